import Billing
import Database

/// What recording one more payment needs to know of an invoice, read from its row alone: the payable
/// total and the sum paid so far are columns, so neither its lines nor its payments are loaded and
/// recording a payment costs the same however many an invoice has collected.
public struct PaymentTarget: Sendable, Hashable {
    public let id: Int64
    public let number: String?
    public let customerID: Int64
    public let currency: Currency
    public var status: InvoiceStatus
    public let payable: Money
    public var paid: Money
    public let kind: DocumentKind
    /// Customer credit applied at issue (BT-113) and the sum of the invoice's credit notes.
    public let prepaid: Money
    public let credited: Money
    public let issueDate: Day?

    /// total − prepaid − credited − paid, never below 0 (see `Invoice.open`).
    public var open: Money { status.openAmount(payable: payable - prepaid - credited, paid: paid) }
}

extension Store {
    private static let targetSelect = "SELECT id, number, customer_id, currency, status, total, paid, kind, prepaid, credited, issue_date FROM invoices WHERE "

    /// The invoice with this number (or id, for drafts) as a payment target.
    public func paymentTarget(reference: String) throws -> PaymentTarget {
        try read {
            let sql = Store.targetSelect
            if let found = try connection.first(sql + "number = ?", [.text(reference)], paymentTarget) { return found }
            if let id = Int64(reference), let found = try connection.first(sql + "id = ?", [.integer(id)], paymentTarget) {
                return found
            }
            throw StoreError.notFound("invoice", reference)
        }
    }

    public func paymentTarget(id: Int64) throws -> PaymentTarget {
        try read {
            guard let found = try connection.first(Store.targetSelect + "id = ?", [.integer(id)], paymentTarget) else {
                throw StoreError.notFound("invoice", String(id))
            }
            return found
        }
    }

    private func paymentTarget(_ row: Row) throws -> PaymentTarget {
        let currency = try Currency(code: row.text(3))
        guard let status = InvoiceStatus(rawValue: row.text(4)) else {
            throw StoreError("corrupt invoice status '\(row.text(4))'")
        }
        return PaymentTarget(id: row.int(0), number: row.optionalText(1), customerID: row.int(2),
                             currency: currency, status: status,
                             payable: Money(minorUnits: row.int(5), currency: currency),
                             paid: Money(minorUnits: row.int(6), currency: currency),
                             kind: DocumentKind(rawValue: row.text(7)) ?? .invoice,
                             prepaid: Money(minorUnits: row.int(8), currency: currency),
                             credited: Money(minorUnits: row.int(9), currency: currency),
                             issueDate: try row.optionalText(10).map(Day.init(parsing:)))
    }

    /// Stores the sum paid and the status after a payment (the totals and lines are unchanged).
    public func recordPaid(invoiceID: Int64, paid: Money, status: InvoiceStatus) throws {
        try write {
            _ = try connection.run("UPDATE invoices SET paid = ?, status = ? WHERE id = ?",
                                   [.integer(paid.minorUnits), .text(status.rawValue), .integer(invoiceID)])
        }
    }
}
