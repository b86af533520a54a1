import Billing
import Documents
import EInvoice
import Foundation
import Testing
import TestSupport

/// The Factur-X PDF, judged by outside tools: the `factur-x` library (extraction, XSD of the EN 16931
/// level), pikepdf (PDF/A-3 markers, Factur-X XMP, output intent and ICC profile, associated file, fonts),
/// qpdf --check, and pdftotext (the same text as the plain PDF).
@Suite struct FacturXTests {
    struct Report: Decodable {
        struct Intent: Decodable { var S: String; var N: Int; var condition: String; var icc: String?; var icc_space: String? }
        struct Associated: Decodable { var F: String; var UF: String; var relationship: String; var subtype: String }
        var file: String
        var xml_name: String?
        var xml: String?
        var xsd: String
        var encrypted: Bool
        var id: Bool
        var pdfaid: String
        var fx: [String: String?]
        var extension_schema: Bool
        var output_intent: Intent?
        var af: [Associated]
        var embedded_files: [String]
        var embedded_fonts: [String]
        var unembedded_fonts: [String]
    }

    static let checker = Paths.packageRoot.appendingPathComponent("Tests/EInvoiceTests/Fixtures/check_facturx.py").path

    // Mutation (mutants.tsv facturx-relationship-source): FacturX writing relationship "Source" → the AF expectation fails.
    // Mutation (mutants.tsv pdfa-no-output-intents): PDFArchive leaving out /OutputIntents → output_intent is nil; this test fails.
    // Mutation (mutants.tsv pdfa-conformance-a): the XMP saying conformance A → pdfaid "3A"; this test fails.
    @Test func facturXPDFsPassTheOutsideTools() throws {
        let directory = try TemporaryDirectory("facturx")
        defer { directory.remove() }
        var cases: [(name: String, plain: String, facturX: String, xml: [UInt8])] = []
        for (name, make) in OfficialRulesTests.goldens {
            var document = try make()
            document.creationDate = Date(timeIntervalSince1970: 1_795_000_000)
            let invoice = try EInvoice(document)
            let plain = try Fixtures.renderer.pdf(document).data
            let (facturX, _) = try FacturX.pdf(document, invoice: invoice, renderer: Fixtures.renderer)
            try plain.write(to: URL(fileURLWithPath: directory.path("\(name).pdf")))
            try Data(facturX).write(to: URL(fileURLWithPath: directory.path("\(name).fx.pdf")))
            var embedded = invoice
            embedded.specification = .en16931
            cases.append((name, directory.path("\(name).pdf"), directory.path("\(name).fx.pdf"), CIIWriter.xml(embedded)))
        }
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", Self.checker] + cases.map(\.facturX), timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        var reports: [String: Report] = [:]
        for line in result.stdout.split(separator: "\n") {
            let report = try JSONDecoder().decode(Report.self, from: Data(line.utf8))
            reports[report.file] = report
        }
        for (name, plain, facturX, xml) in cases {
            let report = try #require(reports[facturX], "\(name): no report")
            #expect(report.xml_name == "factur-x.xml", "\(name)")
            #expect(report.xsd == "ok", "\(name): \(report.xsd)")
            #expect(report.xml == String(decoding: xml, as: UTF8.self), "\(name): the embedded XML is not our CII")
            #expect(report.pdfaid == "3B", "\(name)")
            #expect(report.fx == ["DocumentType": "INVOICE", "DocumentFileName": "factur-x.xml", "Version": "1.0",
                                  "ConformanceLevel": "EN 16931"], "\(name)")
            #expect(report.extension_schema, "\(name)")
            #expect(report.output_intent?.S == "/GTS_PDFA1", "\(name)")
            #expect(report.output_intent?.N == 3, "\(name)")
            #expect(report.output_intent?.icc == "sRGB IEC61966-2.1", "\(name)")
            #expect(report.output_intent?.icc_space == "RGB", "\(name)")
            #expect(report.af.count == 1, "\(name)")
            #expect(report.af.first?.F == "factur-x.xml", "\(name)")
            #expect(report.af.first?.relationship == "/Data", "\(name)")
            #expect(report.af.first?.subtype == "/text/xml", "\(name)")
            #expect(report.embedded_files == ["factur-x.xml"], "\(name)")
            #expect(report.id, "\(name): no /ID in the trailer")
            #expect(!report.encrypted, "\(name)")
            // PDF/A: every font embedded (the TrueType program as FontFile2).
            #expect(report.unembedded_fonts.isEmpty, "\(name): fonts not embedded: \(report.unembedded_fonts)")
            #expect(!report.embedded_fonts.isEmpty && report.embedded_fonts.allSatisfy { $0.hasSuffix("/FontFile2") },
                    "\(name): \(report.embedded_fonts)")

            let check = try ProcessRunner.shell("qpdf --check '\(facturX)'")
            #expect(check.status == 0, "\(name): \(check.stdout) \(check.stderr)")
            #expect(!check.stdout.contains("WARNING") && check.stderr.isEmpty, "\(name): \(check.stdout) \(check.stderr)")
            let text = try ProcessRunner.shell("pdftotext -layout '\(facturX)' -").stdout
            let plainText = try ProcessRunner.shell("pdftotext -layout '\(plain)' -").stdout
            #expect(!text.isEmpty && text == plainText, "\(name): pdftotext differs")
        }
    }

    // Mutation (mutants.tsv pdfa-prev-own-xref): the update trailer pointing /Prev at its own cross-reference section → this test fails.
    @Test func theUpdateKeepsTheOriginalBytesAndPointsBack() throws {
        let document = try Fixtures.germanNet()
        let plain = Array(try Fixtures.renderer.pdf(document).data)
        let (facturX, _) = try FacturX.pdf(document, invoice: try EInvoice(document), renderer: Fixtures.renderer)
        #expect(Array(facturX.prefix(plain.count)) == plain)
        let tail = String(decoding: facturX.suffix(400), as: UTF8.self)
        let startxref = String(decoding: plain.suffix(40), as: UTF8.self)
            .split(separator: "\n").dropLast().last.map(String.init) ?? ""
        #expect(tail.contains("/Prev \(startxref)"), "\(tail)")
    }
}
