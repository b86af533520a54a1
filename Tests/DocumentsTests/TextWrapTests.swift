@testable import Documents
import Testing

/// The plain-text document's wrapping, which glues kept parts bytewise (issue 11's print speed).
@Suite struct TextWrapTests {
    // Mutation (mutants.tsv wrap-no-glue): wrap's byte search never glues the kept parts (skip the assignment) → the IBAN or
    // the reference is broken across lines at some width → fails.
    @Test func keptPartsAreNeverBroken() {
        let iban = "CH93 0076 2011 6238 5295 7", reference = "21 00000 00003 13947 14300 09017"
        let text = "Bitte überweisen Sie CHF 1’234.50 bis 25.12.2026 auf das Konto \(iban) mit der Referenz \(reference)."
        for width in 34...72 {
            let lines = InvoiceView.wrap(text, width: width, keeping: [iban, reference])
            #expect(lines.contains { $0.contains(iban) }, "width \(width): \(lines)")
            #expect(lines.contains { $0.contains(reference) }, "width \(width): \(lines)")
            #expect(lines.joined(separator: " ") == text, "width \(width)")
            for line in lines { #expect(line.count <= width, "width \(width): \(line)") }
        }
    }
}
