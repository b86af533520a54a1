@testable import Documents
import Testing

/// The line split of the template data (issue 11's print speed) against Swift's own split.
@Suite struct LineSplitTests {
    // Mutation (mutants.tsv lines-lf-with-cr): lines(of:) also splits at LF bytes when the text has a CR (drop the guard) →
    // "a\r\nb" gives two lines where `split` gives one → fails. Mutation (mutants.tsv lines-last-dropped): the last line is not
    // appended → every text loses its last line → fails.
    @Test func linesAreThoseOfSplit() {
        let texts = ["", "one line", "a\nb", "a\n\nb\n", "\n", "Abonnement 01.12.2026 – 31.12.2026\nZürich 東京 👩‍👩‍👧",
                     "a\r\nb", "a\rb\nc", "\n\u{301}x", "e\u{301}\n\u{1F1E8}\u{1F1ED}"]
        for text in texts {
            #expect(InvoiceView.lines(of: text) == text.split(separator: "\n", omittingEmptySubsequences: false),
                    "\(text.debugDescription)")
        }
    }
}
