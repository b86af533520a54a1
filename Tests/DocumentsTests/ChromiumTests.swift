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
        // Measured with the installed Chromium: three pages of lines, the payment terms on the fourth,
        // the Swiss QR-bill on a fifth page of its own.
        #expect(pages == 5)
        let pageTexts = text.split(separator: "\u{0C}").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        for page in pageTexts.dropFirst() where page.contains("Leistung") { #expect(page.contains("Einzelpreis"), "the table header repeats") }
    }

    @Test("Chromium prints the Swiss QR-bill's payment part with a QR code that decodes to the payload")
    func printsQRBill() throws {
        let directory = try TemporaryDirectory("chromium-qrbill")
        defer { directory.remove() }
        let document = try Fixtures.swissGross()
        let bill = try #require(Fixtures.renderer.qrBill(document))
        let html = directory.path("swiss.html"), pdf = directory.path("swiss.pdf"), png = directory.path("swiss")
        try Fixtures.renderer.html(document).write(toFile: html, atomically: true, encoding: .utf8)
        let run = try ProcessRunner.shell(
            "timeout 90 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer "
                + "--user-data-dir='\(directory.path("profile"))' --print-to-pdf='\(pdf)' 'file://\(html)' 2>&1",
            timeout: 100)
        #expect(run.status == 0, "chromium: \(run.stdout)")
        let pages = try PDFTools.pages(pdf)
        #expect(pages == 2, "the invoice, then the payment part on a page of its own")
        let text = try ProcessRunner.shell("pdftotext -f \(pages) -l \(pages) -layout '\(pdf)' -").stdout
        for word in ["Zahlteil", "Empfangsschein", "Vor der Einzahlung abzutrennen", "CH93 0076 2011 6238 5295 7", "66.00"] {
            #expect(text.contains(word), "\(word)")
        }
        _ = try ProcessRunner.shell("pdftoppm -r 300 -f \(pages) -l \(pages) -singlefile -png '\(pdf)' '\(png)'")
        let scan = try ProcessRunner.shell("zbarimg --raw -q -Sbinary '\(png).png'")
        #expect(String(decoding: scan.stdoutData, as: UTF8.self) == bill.payload)
    }
}
