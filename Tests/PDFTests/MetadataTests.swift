import Foundation
import PDF
import Testing

@Suite struct MetadataTests {
    @Test func theInfoDictionaryAppearsInPdfinfo() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        let date = Date(timeIntervalSince1970: 1_738_333_800)  // 2025-01-31 14:30:00 UTC
        var document = PDFDocument(info: PDFDocumentInfo(
            title: "Rechnung 2025-001 für Müller (Zürich)", author: "Muster AG \\ Buchhaltung",
            subject: "Invoice “Q1” – €", keywords: "invoice", creator: "invoice 1.0",
            producer: "invoice PDF", creationDate: date))
        document.append(PDFPage())
        let path = try toolbox.save(document)

        #expect(try toolbox.qpdfCheck(path).status == 0)
        let info = try toolbox.info(path)
        #expect(info.contains("Title:           Rechnung 2025-001 für Müller (Zürich)"))
        #expect(info.contains("Author:          Muster AG \\ Buchhaltung"))
        #expect(info.contains("Subject:         Invoice “Q1” – €"))
        #expect(info.contains("Creator:         invoice 1.0"))
        #expect(info.contains("Producer:        invoice PDF"))
        let isoDate = try toolbox.shell("TZ=UTC pdfinfo -isodates '\(path)'").stdout
        #expect(isoDate.contains("2025-01-31T14:30:00"))
        let raw = String(decoding: document.render(), as: UTF8.self)
        #expect(raw.contains("/CreationDate (D:20250131143000Z)"))
    }
}
