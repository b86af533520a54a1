import Billing
import Documents
import Foundation
import PDF

/// Factur-X 1.0 / ZUGFeRD 2 (profile EN 16931): the printable PDF as PDF/A-3b with the invoice's CII
/// embedded as `factur-x.xml` (`/AFRelationship /Data`), described in the XMP by the Factur-X extension schema.
public enum FacturX: Sendable {
    public static let fileName = "factur-x.xml"
    static let namespace = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#"

    /// The Factur-X PDF of `document`, whose EN 16931 data is `invoice`, and the characters its PDF substituted.
    public static func pdf(_ document: InvoiceDocument, invoice: EInvoice, renderer: DocumentRenderer) throws
        -> (data: [UInt8], substitutions: [CharacterSubstitution]) {
        let rendered = try renderer.pdf(document)
        return (try pdf(Array(rendered.data), document: document, invoice: invoice), rendered.substitutions)
    }

    /// Makes an already rendered invoice PDF a Factur-X PDF.
    public static func pdf(_ printed: [UInt8], document: InvoiceDocument, invoice: EInvoice) throws -> [UInt8] {
        var embedded = invoice
        embedded.specification = .en16931  // Factur-X's EN 16931 profile, whatever the buyer's CIUS
        let xml = CIIWriter.xml(embedded)
        let info = PDFDocumentInfo(title: invoice.number, author: document.seller.company,
                                   subject: document.invoice.title.isEmpty ? nil : document.invoice.title,
                                   creator: "invoice", creationDate: document.creationDate)
        let attachment = PDFAttachment(fileName: fileName, mimeType: "text/xml",
                                       description: "Factur-X invoice (EN 16931, UN/CEFACT CII)",
                                       relationship: "Data", data: xml)
        do {
            return try PDFArchive.pdfA3(printed, info: info, attachments: [attachment], xmpDescriptions: xmpDescriptions)
        } catch {
            throw EInvoiceError("\(invoice.number): cannot make the Factur-X PDF: \(error)")
        }
    }

    /// The Factur-X properties and their PDF/A extension schema (PDF/A wants every custom property described).
    static let xmpDescriptions: String = {
        func property(_ name: String, _ description: String) -> String {
            "<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>\(name)</pdfaProperty:name>"
                + "<pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category>"
                + "<pdfaProperty:description>\(description)</pdfaProperty:description></rdf:li>"
        }
        return "<rdf:Description rdf:about=\"\" xmlns:fx=\"\(namespace)\">"
            + "<fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>\(fileName)</fx:DocumentFileName>"
            + "<fx:Version>1.0</fx:Version><fx:ConformanceLevel>EN 16931</fx:ConformanceLevel></rdf:Description>\n"
            + "<rdf:Description rdf:about=\"\" xmlns:pdfaExtension=\"http://www.aiim.org/pdfa/ns/extension/\""
            + " xmlns:pdfaSchema=\"http://www.aiim.org/pdfa/ns/schema#\" xmlns:pdfaProperty=\"http://www.aiim.org/pdfa/ns/property#\">"
            + "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
            + "<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>"
            + "<pdfaSchema:namespaceURI>\(namespace)</pdfaSchema:namespaceURI><pdfaSchema:prefix>fx</pdfaSchema:prefix>"
            + "<pdfaSchema:property><rdf:Seq>"
            + property("DocumentFileName", "The name of the embedded XML document")
            + property("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER")
            + property("Version", "The actual version of the standard applying to the embedded XML document")
            + property("ConformanceLevel", "The conformance level of the embedded XML document")
            + "</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>\n"
    }()
}
