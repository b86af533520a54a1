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
}
