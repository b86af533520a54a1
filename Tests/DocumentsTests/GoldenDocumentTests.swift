import Documents
import Foundation
import Testing
import TestSupport

struct GoldenDocumentTests {
    static let cases: [(String, @Sendable () throws -> InvoiceDocument)] = [
        ("german-net", Fixtures.germanNet), ("swiss-gross", Fixtures.swissGross),
        ("french-exempt", Fixtures.frenchExempt), ("us", Fixtures.american), ("long", Fixtures.long),
    ]

    // Mutation (mutants.tsv qr-svg-relative-move): the QR SVG path writes `m` (relative) for `M` → the HTML differs from the golden
    // files of every invoice with a QR-bill → fails (checked).
    @Test("The HTML of each sample invoice matches its golden file", arguments: 0..<5)
    func html(index: Int) throws {
        let (name, make) = GoldenDocumentTests.cases[index]
        // The @font-face URLs name this checkout's Templates/fonts/; the golden files say TEMPLATES/.
        let templates = Paths.packageRoot.appendingPathComponent("Templates").standardizedFileURL.absoluteString
        let html = try Fixtures.renderer.html(try make()).replacingOccurrences(of: templates, with: "TEMPLATES/")
        try Golden.check(html, "\(name).html")
    }

    @Test("The text of each sample invoice matches its golden file", arguments: 0..<5)
    func text(index: Int) throws {
        let (name, make) = GoldenDocumentTests.cases[index]
        try Golden.check(try Fixtures.renderer.text(try make()), "\(name).txt")
    }

    @Test("The PDF of each sample invoice passes qpdf and its text matches the golden file", arguments: 0..<5)
    func pdf(index: Int) throws {
        let (name, make) = GoldenDocumentTests.cases[index]
        let directory = try TemporaryDirectory("golden-pdf")
        defer { directory.remove() }
        let rendered = try Fixtures.renderer.pdf(try make())
        let (text, _) = try PDFTools.check(rendered.data, in: directory, name: "\(name).pdf")
        try Golden.check(text, "\(name).pdf.txt")
    }
}
