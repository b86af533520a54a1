import Mustache
import Testing

struct ErrorTests {
    private func parseError(_ source: String) -> String {
        do {
            _ = try Template(source, name: "invoice.html")
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test("An unclosed section names the file, line and column of its opening tag")
    func unclosedSection() {
        #expect(parseError("<table>\n  <tr>\n      {{#lines}}<td>{{x}}</td>\n") == #"invoice.html:3:7: unclosed section "lines""#)
    }

    @Test("An unclosed tag is reported where it starts")
    func unclosedTag() {
        #expect(parseError("Total: {{total\n") == #"invoice.html:1:8: unclosed tag: missing "}}""#)
    }

    @Test("A section end that does not match the open section is reported")
    func mismatchedEnd() {
        #expect(parseError("{{#a}}\n{{/b}}") == #"invoice.html:2:1: section end "b" does not match "a""#)
    }

    @Test("A section end without an opening tag is reported")
    func strayEnd() {
        #expect(parseError("x {{/b}}") == #"invoice.html:1:3: section end "b" without an opening tag"#)
    }

    @Test("A malformed delimiter change is reported")
    func badDelimiters() {
        #expect(parseError("a\n {{=<%=}}").hasPrefix("invoice.html:2:2: invalid delimiter change"))
    }

    @Test("A partial missing from the given map throws by default and renders empty when asked")
    func missingPartialOption() throws {
        let template = try Template("a\n{{>footer}}b", name: "invoice.html")
        #expect(throws: MustacheError(file: "invoice.html", line: 2, column: 1, message: #"partial "footer" not found"#)) {
            try template.render([:])
        }
        #expect(try template.render([:], missingPartials: .renderEmpty) == "a\nb")
    }
}
