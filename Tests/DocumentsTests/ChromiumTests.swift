import Documents
import Foundation
import Testing
import TestSupport

struct ChromiumTests {
    @Test("Chromium prints the long invoice's HTML on A4 with totals, the last line and the header on every page")
    func printsLongInvoice() throws {
        let directory = try TemporaryDirectory("chromium")
        defer { directory.remove() }
        let html = directory.path("long.html"), pdf = directory.path("long.pdf")
        try Fixtures.renderer.html(try Fixtures.long()).write(toFile: html, atomically: true, encoding: .utf8)
        let run = try ProcessRunner.shell(
            "timeout 90 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer "
                + "--user-data-dir='\(directory.path("profile"))' --print-to-pdf='\(pdf)' 'file://\(html)' 2>&1",
            timeout: 100)
        #expect(run.status == 0, "chromium: \(run.stdout)")
        let text = try ProcessRunner.shell("pdftotext -layout '\(pdf)' -").stdout
        #expect(text.contains("Leistung 60: Konfiguration Modul 60"))
        #expect(text.contains("Rechnungsbetrag"))
        #expect(text.contains("CHF\u{00A0}9'") || text.contains("CHF 9'"), "the total is shown")
        let pages = try PDFTools.pages(pdf)
        // Measured with the installed Chromium: three pages of lines, the payment terms on the fourth.
        #expect(pages == 4)
        let pageTexts = text.split(separator: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        for page in pageTexts.dropFirst() where page.contains("Leistung") { #expect(page.contains("Einzelpreis"), "the table header repeats") }
    }
}
