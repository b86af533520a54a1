import Billing
import Documents
import Foundation
import Testing
import TestSupport

/// The invoice PDF with the embedded Liberation Sans: names print as written, only embedded
/// fonts, the seller's VAT number on every page, the address inside the envelope window.
struct PDFFontTests {
    static let mm = 72.0 / 25.4

    // Mutation (mutants.tsv pdf-sender-no-vat): InvoicePDFLayout drops `sellerVATLine` from the first page's sender block → the
    // one-page swiss-gross invoice (its payment part replaces the footer) has no VAT number and
    // this test fails. Mutation (mutants.tsv pdf-header-no-vat): newPage() drops it from the running header → the QR-bill page
    // of german-net has none → fails.
    @Test("The seller's VAT number is in the text of every page of every golden PDF", arguments: 0..<5)
    func vatNumberOnEveryPage(index: Int) throws {
        let (name, make) = GoldenDocumentTests.cases[index]
        let directory = try TemporaryDirectory("pdf-vat")
        defer { directory.remove() }
        let (text, pages) = try PDFTools.check(try Fixtures.renderer.pdf(try make()).data, in: directory, name: "\(name).pdf")
        let pageTexts = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).prefix(pages)
        #expect(pageTexts.count == pages)
        for (number, page) in pageTexts.enumerated() {
            #expect(page.contains("CHE-109.322.551 MWST"), "\(name) page \(number + 1) of \(pages) lacks the VAT number")
        }
    }

    // Mutation (mutants.tsv pdf-standard-font-text): any drawText in InvoicePDFLayout or QRBillPDFPart without `font:` (the standard
    // Helvetica default) → pdffonts lists an unembedded Type 1 font and this test fails.
    @Test("Every golden PDF uses only the embedded Liberation Sans subsets", arguments: 0..<5)
    func onlyEmbeddedFonts(index: Int) throws {
        let (name, make) = GoldenDocumentTests.cases[index]
        let directory = try TemporaryDirectory("pdf-fonts")
        defer { directory.remove() }
        let path = directory.path("\(name).pdf")
        try Fixtures.renderer.pdf(try make()).data.write(to: URL(fileURLWithPath: path))
        let fonts = try ProcessRunner.shell("pdffonts '\(path)'").stdout.split(separator: "\n").dropFirst(2)
        #expect(!fonts.isEmpty)
        for font in fonts {
            #expect(font.wholeMatch(of: /[A-Z]{6}\+LiberationSans(-Bold|-Italic)? +CID TrueType +Identity-H +yes yes yes .*/) != nil,
                    "\(name): \(font)")
        }
    }

    // Mutation (mutants.tsv pdf-standard-fonts): DocumentRenderer passes the standard fonts (`.helvetica`) to the layout → Ł, ř, Ğ
    // are transliterated, the text differs and this test fails.
    @Test("Names print as written; what the font lacks is reported once")
    func namesPrintAsWritten() throws {
        var document = try Fixtures.swissGross()
        document.customer.company = "Zoë Łódź-Dvořák"
        document.customer.contact = "東京 Иван Ğebze"
        document.customer.address.town = "Ærøskøbing"
        document.invoice.lines[0].title = "Plan Łódź-Dvořák, Ærøskøbing, Ğebze, 東京"
        let directory = try TemporaryDirectory("pdf-names")
        defer { directory.remove() }
        let rendered = try Fixtures.renderer.pdf(document)
        let (text, _) = try PDFTools.check(rendered.data, in: directory, name: "names.pdf")
        let plain = try ProcessRunner.shell("pdftotext '\(directory.path("names.pdf"))' -").stdout
        for expected in ["Zoë Łódź-Dvořák", "□□ Иван Ğebze", "8001 Ærøskøbing", "Plan Łódź-Dvořák, Ærøskøbing, Ğebze, □□"] {
            #expect(plain.contains(expected) || text.contains(expected), "missing \(expected)")
        }
        // 東 and 京 appear in the window, the table and the QR-bill: reported once each.
        #expect(rendered.substitutions.map(\.original) == ["東", "京"])
        #expect(rendered.substitutionSummary == "'東' as '□', '京' as '□'")
    }

    // Mutation (mutants.tsv pdf-window-no-limit): recipientWindowLines returns every wrapped line (no limit) → the ninth line lands
    // below the window (95 mm from the top) and this test fails.
    @Test("A long address stays inside the envelope window")
    func longAddressStaysInTheWindow() throws {
        var document = try Fixtures.swissGross()
        document.customer.company = "Internationale Gesellschaft für angewandte Cloud-Infrastruktur AG"
        document.customer.contact = "Maximiliane Theodora von Hohenzollern-Sigmaringen"
        document.customer.address = Address(street: "Avenue du Général-Guisan et de la Confédération Helvétique Nord",
                                             building: "Gebäude C, 3. OG", postcode: "CH-8001",
                                             town: "Rapperswil-Jona bei Zürich am See", country: try Country(code: "DE"))
        document.customer.vatID = ""
        let directory = try TemporaryDirectory("pdf-window")
        defer { directory.remove() }
        let path = directory.path("window.pdf")
        try Fixtures.renderer.pdf(document).data.write(to: URL(fileURLWithPath: path))
        let bbox = try ProcessRunner.shell("pdftotext -f 1 -l 1 -bbox '\(path)' -").stdout
        var inWindow: [String] = []
        for line in bbox.split(separator: "\n") where line.contains("<word") {
            let xMin = Self.attribute("xMin", line), yMin = Self.attribute("yMin", line), yMax = Self.attribute("yMax", line)
            guard xMin >= 117 * Self.mm, yMin >= 45 * Self.mm, yMin < 100 * Self.mm else { continue }
            inWindow.append(String(line.split(separator: ">").dropFirst().first?.split(separator: "<").first ?? ""))
            #expect(yMax <= 95 * Self.mm, "\(line) ends below the window")
        }
        // The post needs the last lines: town and country.
        #expect(inWindow.contains("Rapperswil-Jona"), "\(inWindow)")
        #expect(inWindow.contains("DEUTSCHLAND"), "\(inWindow)")
    }

    static func attribute(_ name: String, _ line: Substring) -> Double {
        guard let range = line.range(of: "\(name)=\"") else { return .nan }
        return Double(line[range.upperBound...].prefix { $0 != "\"" }) ?? .nan
    }
}
