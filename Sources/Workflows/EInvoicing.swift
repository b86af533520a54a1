import Billing
import Documents
import EInvoice
import Foundation
import Store

/// E-invoices of stored invoices: the EN 16931 data of an issued invoice as the customer was billed.
public enum EInvoicing: Sendable {
    /// The EN 16931 model of `invoice` (issued), from the frozen recipient and the operator in `store`.
    public static func eInvoice(for invoice: Invoice, store: Store) throws -> EInvoice {
        try eInvoice(for: try Printing.document(for: invoice, store: store, creationDate: nil))
    }

    public static func eInvoice(for document: InvoiceDocument) throws -> EInvoice {
        try EInvoice(document)
    }

    /// The Factur-X PDF of an issued invoice (PDF/A-3b with its CII inside), and the substituted characters.
    public static func facturX(for document: InvoiceDocument, renderer: DocumentRenderer) throws
        -> (data: [UInt8], substitutions: [CharacterSubstitution]) {
        try FacturX.pdf(document, invoice: try eInvoice(for: document), renderer: renderer)
    }

    /// What the invoice mail carries besides (or instead of) the plain PDF, by the customer's e-invoice setting:
    /// Factur-X replaces the PDF; XRechnung CII and UBL come as XML beside it. Nothing for drafts or `none`.
    public static func mailFiles(for document: InvoiceDocument, format: EInvoiceFormat, renderer: DocumentRenderer,
                                 stem: String) throws -> (pdf: [UInt8]?, xml: [(name: String, data: [UInt8])]) {
        guard document.invoice.number != nil else { return (nil, []) }
        switch format {
        case .none: return (nil, [])
        case .facturX: return (try facturX(for: document, renderer: renderer).data, [])
        case .xRechnungCII: return (nil, [("\(stem).xml", CIIWriter.xml(try eInvoice(for: document)))])
        case .ubl: return (nil, [("\(stem).ubl.xml", UBLWriter.xml(try eInvoice(for: document)))])
        }
    }
}
