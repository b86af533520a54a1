import Billing
import Foundation

/// Everything one invoice document shows: the invoice, who it is for, who issues it.
public struct InvoiceDocument: Sendable {
    public var invoice: Invoice
    public var customer: Customer
    /// The customer's user the invoice is addressed to, if any.
    public var addressee: User?
    public var seller: Operator
    /// The PDF's creation date; `nil` leaves it out (byte-identical output for tests).
    public var creationDate: Date?

    public init(invoice: Invoice, customer: Customer, addressee: User? = nil, seller: Operator,
                creationDate: Date? = nil) {
        self.invoice = invoice
        self.customer = customer
        self.addressee = addressee
        self.seller = seller
        self.creationDate = creationDate
    }

    /// The file name without extension: the invoice number made safe for file systems, or `draft-ID`.
    public var fileStem: String {
        guard let number = invoice.number, !number.isEmpty else { return "draft-\(invoice.id)" }
        let safe = number.map { character -> Character in
            character.isLetter || character.isNumber || "-_.".contains(character) ? character : "-"
        }
        let stem = String(safe)
        return stem.hasPrefix(".") ? "_" + stem : stem
    }
}
