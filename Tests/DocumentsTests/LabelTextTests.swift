import Billing
import Documents
import Testing

struct LabelTextTests {
    // Mutation (mutants.tsv label-stray-brace-twice): the unmatched-brace branch appends the remainder twice → "Total {x Total {x" → fails.
    // Mutation (mutants.tsv label-substitute-again): values are substituted again after insertion → "{pages}" inside a value expands → fails.
    @Test("Placeholders are filled in one pass; unknown ones and stray braces stay as written")
    func placeholders() {
        let labels = DocumentLabels(language: .de, values: [
            "page": "Seite {page} von {pages}", "stray": "Total {x", "unknown": "{a} and {b}", "plain": "Danke",
        ])
        #expect(labels.text("page", ["page": "2", "pages": "3"]) == "Seite 2 von 3")
        #expect(labels.text("page", ["page": "{pages}", "pages": "3"]) == "Seite {pages} von 3")
        #expect(labels.text("stray", ["x": "1"]) == "Total {x")
        #expect(labels.text("unknown", ["a": "A"]) == "A and {b}")
        #expect(labels.text("plain", ["a": "A"]) == "Danke")
        #expect(labels.text("missing", [:]) == "missing")
    }
}
