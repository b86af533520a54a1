import Billing
import Documents
import Foundation
import Testing
import TestSupport

/// The HTML printed by headless Chromium must come out as designed: A4 at 100 %, the designed page
/// count, the running header with the VAT number and the page number on every page, the table
/// header repeated, the address in the envelope window, and the Swiss payment part at its IG
/// position and size on the last page.
@Suite(.serialized)
struct ChromiumTests {
    /// Pages each golden invoice is designed to print on: one-page invoices print as one page (the
    /// payment part at the bottom of it when it fits), german-net's payment part does not fit under
    /// its content and takes a page of its own, long has three pages of lines and the payment part's page.
    static let designedPages: [String: Int] = ["german-net": 2, "swiss-gross": 1, "french-exempt": 1, "us": 1, "long": 4]

    /// Before: every one-page invoice printed as two pages (the fixed footer spilled onto an extra
    /// page), at 93 % (the address box ended at 183 mm of 170), and the VAT number was missing from
    /// QR-bill invoices.
    /// Mutation (mutants.tsv css-window-wide): `.window { width: 105mm }` in styles.html (past the paper's edge) → Chromium shrinks the
    /// page and the window starts left of 118 mm. Mutation (mutants.tsv css-no-running-header): `@top-left { content: "" }` → no VAT number
    /// on the pages after the first, nor on the payment part's page.
    @Test("Chromium prints each golden invoice on its designed pages, at 100 %, with the VAT number and page number on every page",
          arguments: 0..<5)
    func goldenPrints(index: Int) throws {
        let (name, make) = GoldenDocumentTests.cases[index]
        let directory = try TemporaryDirectory("chromium-\(name)")
        defer { directory.remove() }
        let document = try make()
        let printed = try ChromiumPrint(try Fixtures.renderer.html(document), name: name, in: directory)
        #expect(printed.pages == ChromiumTests.designedPages[name], "\(name): \(printed.pages) pages")
        let labels = Fixtures.renderer.labels(document.invoice.language)
        for page in 1...max(1, printed.pages) {
            let text = printed.text(page: page)
            #expect(text.contains("CHE-109.322.551 MWST"), "\(name) page \(page) names the VAT number")
            let number = labels.text("page", ["page": String(page), "pages": String(printed.pages)])
            #expect(text.contains(number), "\(name) page \(page) says \(number)")
        }
        // The recipient's first line starts at the envelope window, 118 mm from the left edge:
        // only at 100 % (a shrunk page moves it left).
        let firstWord = try #require(document.customer.company.split(separator: " ").first.map(String.init))
        let recipient = try #require(printed.words.first { $0.page == 1 && $0.text == firstWord && $0.y > 50 && $0.y < 95 })
        #expect(abs(recipient.x - 118) < 0.5, "\(name): window at \(recipient.x) mm")
        #expect(printed.words.allSatisfy { $0.right <= 190.5 }, "\(name): nothing beyond the right margin")
        // The shipped font, embedded by Chromium from the @font-face (not a system fallback).
        let fonts = try ProcessRunner.shell("pdffonts '\(printed.pdf)'").stdout
        #expect(fonts.contains("LiberationSans") && !fonts.contains("DejaVu"), "\(fonts)")
    }

    /// Before: the payment part's top line was at 178.6 mm and the QR code 42.8 mm (the page shrunk to 93 %).
    /// Mutation (mutants.tsv css-qrbill-height): `.qrbill { height: 100mm }` → the heading moves 5 mm down. Mutation (mutants.tsv qr-svg-40mm): `width="40mm"` on the
    /// SVG in QRBillHTML → the code measures 40 mm.
    @Test("The payment part sits at its IG position on the last page, the QR code is 46 mm with a 7 mm cross, and it decodes",
          arguments: ["swiss-gross", "german-net", "french-exempt"])
    func paymentPart(name: String) throws {
        let directory = try TemporaryDirectory("chromium-qr-\(name)")
        defer { directory.remove() }
        let document = try GoldenDocumentTests.cases.first { $0.0 == name }!.1()
        let bill = try #require(Fixtures.renderer.qrBill(document))
        let printed = try ChromiumPrint(try Fixtures.renderer.html(document), name: name, in: directory)
        let last = printed.pages
        let heading = QRBillLabels(document.invoice.language).paymentPart.split(separator: " ").first.map(String.init) ?? ""
        let found = try #require(printed.word(heading, page: last), "\(heading) on page \(last)")
        // IG 2.3: the payment part starts 62 mm from the left and 105 mm above the bottom edge;
        // its heading sits inside the 5 mm margin.
        #expect(abs(found.x - 67) < 1, "heading at x = \(found.x) mm")
        #expect(abs(found.y - 197) < 1.5, "heading at y = \(found.y) mm")
        #expect(try printed.decodeQR(page: last, in: directory) == bill.payload)

        // The code's size and the cross, measured on a 300 dpi rendering of the last page.
        let (width, height, pixels) = try printed.raster(page: last, dpi: 300, in: directory)
        let perMM = 300 / 25.4
        func dark(_ x: Int, _ y: Int) -> Bool { pixels[y * width + x] < 128 }
        // The QR code lies 67–113 mm from the left, between the heading (197–201 mm) and the amount (from 257 mm).
        let left = Int(64 * perMM), right = Int(117 * perMM), top = Int(203 * perMM), bottom = Int(255 * perMM)
        var minX = width, maxX = 0, minY = height, maxY = 0
        for y in top..<bottom { for x in left..<right where dark(x, y) {
            minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
        } }
        let side = Double(maxX - minX + 1) / perMM, tall = Double(maxY - minY + 1) / perMM
        #expect(abs(side - 46) < 0.4 && abs(tall - 46) < 0.4,
                "QR code \(side) × \(tall) mm at \(Double(minX) / perMM), \(Double(minY) / perMM)")
        // The cross's black square (6.2 mm inside its 0.4 mm white border: 7 mm in all), on a row 2.2 mm
        // below the centre, past the white arms.
        let centreX = (minX + maxX) / 2, row = (minY + maxY) / 2 + Int(2.2 * perMM)
        var start = centreX, end = centreX
        while dark(start - 1, row) { start -= 1 }
        while dark(end + 1, row) { end += 1 }
        let square = Double(end - start + 1) / perMM
        #expect(abs(square - 6.2) < 0.3, "cross square \(square) mm")
        #expect(!dark(start - 2, row) && !dark(end + 2, row), "a white border around the cross")
    }

    /// Mutation (mutants.tsv css-recipient-wrap): `.recipient div { white-space: normal }` → the long parts wrap and run below the window.
    @Test("A long address stays inside the 72 × 45 mm envelope window")
    func longAddressStaysInTheWindow() throws {
        let directory = try TemporaryDirectory("chromium-window")
        defer { directory.remove() }
        var document = try Fixtures.swissGross()
        document.customer.company = "Internationale Gesellschaft für angewandte Informatik und Logistik AG"
        document.customer.contact = "Dr. Maximiliane Alexandra von Hohenberg-Württemberg-Schwarzenfels"
        document.customer.address.street = "Untere Bahnhofstrasse beim alten Güterschuppen und Lagerhaus"
        document.customer.address.building = "1234a"
        document.customer.address.town = "Zürich-Oerlikon Industriequartier"
        document.customer.address.country = try Country(code: "DE")
        let printed = try ChromiumPrint(try Fixtures.renderer.html(document), name: "window", in: directory)
        let inWindow = printed.words.filter { $0.page == 1 && $0.x >= 117.5 && $0.y > 50 && $0.y < 120 }
        #expect(!inWindow.isEmpty)
        for word in inWindow where word.y < 100 {
            #expect(word.right <= 190.5 && word.bottom <= 95, "\(word.text) at \(word.right) × \(word.bottom) mm")
        }
        #expect(printed.text(page: 1).contains("DEUTSCHLAND"), "the country line is still in the window")
        // Each address line stays one line (cut with "…"), never wrapped onto the next.
        let company = try #require(inWindow.first { $0.text == "Internationale" })
        for word in inWindow where ["Gesellschaft", "angewandte", "Informatik", "Logistik"].contains(word.text) {
            #expect(abs(word.y - company.y) < 1, "the company line wraps: \(word.text) at \(word.y) mm, its first word at \(company.y) mm")
        }
        #expect(printed.pages == 1)
    }

    /// Issue 17: on a one-page invoice the payment part shares page 1 with the invoice, and the
    /// receipt (0–62 mm) lay in the 20 mm left page margin (`.qrbill-page { margin-left: -20mm }`),
    /// which Chromium clips: "Empfangsschein" printed as "gsschein", the IBAN's first group and the
    /// amount vanished. Now the page margins are 0 and the body pads 20 mm. Judged by pdftotext -bbox.
    /// Mutation (mutants.tsv css-page-left-margin): styles.html: `margin: 22mm 0 18mm 20mm` and `body { padding-right: 20mm }` again →
    /// no "Receipt" and no "Payable to" on page 1, the IBAN's first group missing.
    @Test("The receipt prints whole when the payment part shares page 1 with the invoice", arguments: [Language.en, .de])
    func receiptInsideThePageOnPageOne(language: Language) throws {
        let directory = try TemporaryDirectory("chromium-receipt-\(language.rawValue)")
        defer { directory.remove() }
        var document = try Fixtures.swissGross()
        document.invoice.language = language
        let bill = try #require(Fixtures.renderer.qrBill(document))
        let printed = try ChromiumPrint(try Fixtures.renderer.html(document), name: "receipt", in: directory)
        #expect(printed.pages == 1, "the payment part shares the invoice's only page")
        let labels = QRBillLabels(language)
        // The receipt's words: its heading, "Account / Payable to", the IBAN and the amount, each whole
        // inside the paper and inside the receipt's 62 mm, below the payment part's top line (192 mm).
        let receipt = printed.words.filter { $0.page == 1 && $0.y > 190 && $0.right <= 62 }
        let text = receipt.map(\.text).joined(separator: " ")
        #expect(text.contains(labels.receipt), "receipt heading: \(text)")
        #expect(text.contains(labels.account), "\(labels.account): \(text)")
        if language == .en { #expect(text.contains("Payable to")) }
        #expect(text.contains(bill.formattedAccount), "IBAN \(bill.formattedAccount): \(text)")
        #expect(text.contains(bill.formattedAmount), "amount \(bill.formattedAmount): \(text)")
        for word in receipt { #expect(word.x >= 4.5, "\(word.text) starts at \(word.x) mm, inside the receipt's 5 mm margin") }
        let heading = try #require(printed.word(labels.receipt, page: 1))
        #expect(abs(heading.x - 5) < 1, "receipt heading at x = \(heading.x) mm")
        // The rest of the page keeps its places: the running header and the text at 20 mm from the left.
        let header = try #require(printed.words.first { $0.page == 1 && $0.y < 15 })
        #expect(abs(header.x - 20) < 1, "running header at x = \(header.x) mm")
    }
}
