import Billing
import Documents
import EInvoice
import Foundation
import Store

/// E-invoices of stored invoices: the EN 16931 data of an issued invoice as the customer was billed.
public enum EInvoicing: Sendable {
    /// The EN 16931 model of `invoice` (issued), from the frozen recipient and the operator in `store`.
    public static func eInvoice(for invoice: Invoice, store: Store) throws -> EInvoice {
        try eInvoice(for: try Printing.document(for: invoice, store: store, creationDate: nil), store: store)
    }

    /// With `store`, the invoicing period (BG-14) is the span of the booking periods the invoice bills whose
    /// dates are fixed, as the document prints them (renewals, and periods already paid). An invoice for
    /// one booking period bills it on its first line (`Bookings.invoicePeriod` puts the period line first,
    /// credits and adjustments after it): that line gets the period too (BG-26, BT-134/BT-135).
    /// The delivery date (BT-72) of such an invoice is its period's start, so it lies within the period billed.
    /// `specification` nil: by the buyer's country and wish (`EInvoice.specification(for:)`).
    public static func eInvoice(for document: InvoiceDocument, store: Store? = nil,
                                specification: EInvoice.Specification? = nil) throws -> EInvoice {
        var invoice = try EInvoice(document, specification: specification)
        if let store {
            let fixed = try store.periods(invoiceID: document.invoice.id)
                .filter { $0.state == .paid || ($0.state == .invoiced && $0.reason == .renewal) }
            invoice.periodStart = fixed.map(\.start).min()
            invoice.periodEnd = fixed.map(\.end).max()
            if let start = invoice.periodStart { invoice.deliveryDate = start }
            if fixed.count == 1, let period = fixed.first, !invoice.lines.isEmpty {
                invoice.lines[0].periodStart = period.start
                invoice.lines[0].periodEnd = period.end
            }
        }
        return invoice
    }

    /// Why an invoice for `customer` may not be issued: their invoice mail carries an XRechnung (by their
    /// wish, or as a German buyer with a buyer reference) and the seller or buyer lacks what XRechnung
    /// requires. An accounting record that cannot be delivered as asked is refused before it gets a number.
    public static func issueProblem(seller: Operator, customer: Customer) throws -> String? {
        guard [.xRechnungCII, .ubl].contains(customer.effectiveEInvoice) else { return nil }
        let specification: EInvoice.Specification
        do { specification = try EInvoice.specification(for: customer) } catch let error as EInvoiceError { return error.message }
        guard specification == .xRechnung else { return nil }
        let missing = EInvoice.xRechnungProblems(seller: seller, customer: customer, isCreditNote: false)
        guard !missing.isEmpty else { return nil }
        return "customer \(customer.id) receives XRechnung e-invoices, and an XRechnung needs \(missing.joined(separator: ", "))"
    }

    /// The Factur-X PDF of an issued invoice (PDF/A-3b with its CII inside), and the substituted characters.
    public static func facturX(for document: InvoiceDocument, renderer: DocumentRenderer, store: Store? = nil) throws
        -> (data: [UInt8], substitutions: [CharacterSubstitution]) {
        try FacturX.pdf(document, invoice: try eInvoice(for: document, store: store, specification: .en16931), renderer: renderer)
    }

    /// What the invoice mail carries besides (or instead of) the plain PDF, by the customer's e-invoice setting:
    /// Factur-X replaces the PDF; XRechnung CII and UBL come as XML beside it. Nothing for drafts or `none`.
    public static func mailFiles(for document: InvoiceDocument, format: EInvoiceFormat, renderer: DocumentRenderer,
                                 stem: String, store: Store) throws -> (pdf: [UInt8]?, xml: [(name: String, data: [UInt8])]) {
        guard document.invoice.number != nil else { return (nil, []) }
        switch format {
        case .none: return (nil, [])
        case .facturX: return (try facturX(for: document, renderer: renderer, store: store).data, [])
        case .xRechnungCII: return (nil, [("\(stem).xml", CIIWriter.xml(try eInvoice(for: document, store: store)))])
        case .ubl: return (nil, [("\(stem).ubl.xml", UBLWriter.xml(try eInvoice(for: document, store: store)))])
        }
    }
}
