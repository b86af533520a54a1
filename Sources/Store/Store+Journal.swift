import Billing
import Database

/// What the journal export (issue 22) reads: the issued documents, payments, refunds and credit
/// movements of a period, each streamed in date order (memory flat whatever the period's size).
extension Store {
    /// A movement on a customer's credit ledger as the journal books it.
    public struct CreditMovement: Sendable {
        public let customerID: Int64
        public let amount: Money
        public let reason: String
        public let date: Day
        /// The document it belongs to (an invoice whose prepaid amount it is, a credit note credited
        /// to the balance, an overpaid invoice), by number; "" when none.
        public let document: String
        /// Whether it is the ledger side of a refund paid out (booked against the bank).
        public let isRefund: Bool
    }

    /// A payment received, with the number and customer of its invoice.
    public struct ReceivedPayment: Sendable {
        public let customerID: Int64
        public let invoiceNumber: String
        public let payment: Payment
    }

    /// Money paid back through a credit note (a refund from credit is a credit movement).
    public struct NoteRefund: Sendable {
        public let customerID: Int64
        public let creditNoteNumber: String
        public let amount: Money
        public let date: Day
        public let reference: String
    }

    /// Ids of the invoices and credit notes issued in `from…to` (issue date), oldest first.
    public func forEachIssuedDocumentID(from: Day, to: Day, _ body: (Int64) throws -> Void) throws {
        try read {
            let ids = try connection.query("""
                SELECT id FROM invoices WHERE number IS NOT NULL AND issue_date >= ? AND issue_date <= ?
                ORDER BY issue_date, id
                """, [.text(from.description), .text(to.description)]) { $0.int(0) }
            for id in ids { try body(id) }
        }
    }

    /// Whether invoice `id` is the fee invoice of a reminder.
    public func isReminderFeeInvoice(id: Int64) throws -> Bool {
        try guarded { try connection.scalarInt("SELECT count(*) FROM reminder_fees WHERE fee_invoice_id = ?", [.integer(id)]) > 0 }
    }

    public func forEachPayment(from: Day, to: Day, _ body: (ReceivedPayment) throws -> Void) throws {
        try read {
            try connection.forEach("""
                SELECT i.customer_id, i.number, i.currency, p.amount, p.date, p.method, p.reference
                FROM payments p JOIN invoices i ON i.id = p.invoice_id
                WHERE p.date >= ? AND p.date <= ? ORDER BY p.date, p.id
                """, [.text(from.description), .text(to.description)]) { row in
                let currency = try Currency(code: row.text(2))
                try body(ReceivedPayment(customerID: row.int(0), invoiceNumber: row.optionalText(1) ?? "",
                                         payment: Payment(amount: Money(minorUnits: row.int(3), currency: currency),
                                                          date: try Day(parsing: row.text(4)), method: row.text(5), reference: row.text(6))))
            }
        }
    }

    public func forEachCreditNoteRefund(from: Day, to: Day, _ body: (NoteRefund) throws -> Void) throws {
        try read {
            try connection.forEach("""
                SELECT r.customer_id, coalesce(n.number, ''), r.currency, r.amount, r.date, r.reference
                FROM refunds r JOIN invoices n ON n.id = r.credit_note_id
                WHERE r.date >= ? AND r.date <= ? ORDER BY r.date, r.id
                """, [.text(from.description), .text(to.description)]) { row in
                let currency = try Currency(code: row.text(2))
                try body(NoteRefund(customerID: row.int(0), creditNoteNumber: row.text(1),
                                    amount: Money(minorUnits: row.int(3), currency: currency),
                                    date: try Day(parsing: row.text(4)), reference: row.text(5)))
            }
        }
    }

    public func forEachCreditMovement(from: Day, to: Day, _ body: (CreditMovement) throws -> Void) throws {
        try read {
            try connection.forEach("""
                SELECT c.customer_id, c.currency, c.amount, c.reason, c.date, coalesce(i.number, ''),
                    CASE WHEN c.refund_id IS NULL THEN 0 ELSE 1 END
                FROM credit_ledger c LEFT JOIN invoices i ON i.id = c.invoice_id
                WHERE c.date >= ? AND c.date <= ? ORDER BY c.date, c.id
                """, [.text(from.description), .text(to.description)]) { row in
                let currency = try Currency(code: row.text(1))
                try body(CreditMovement(customerID: row.int(0), amount: Money(minorUnits: row.int(2), currency: currency),
                                        reason: row.text(3), date: try Day(parsing: row.text(4)), document: row.text(5),
                                        isRefund: row.int(6) == 1))
            }
        }
    }
}
