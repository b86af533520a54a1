import Billing
import Database

/// What the VAT report's received basis (issue 22) reads besides the documents: when customer credit
/// was applied to an invoice, and how much of a credit note went back to the customer as money (paid
/// back, or credited to the balance) rather than reducing what the invoice still owed.
extension Store {
    /// Customer credit applied to invoice `id` as a prepaid amount (BT-113), by date: at issue, or
    /// later to a reminder fee invoice from a surplus.
    public func prepaidApplications(invoiceID id: Int64) throws -> [(date: Day, amount: Int64)] {
        try read {
            try connection.query("""
                SELECT date, -amount FROM credit_ledger
                WHERE invoice_id = ? AND amount < 0 AND refund_id IS NULL AND reason LIKE 'applied to %'
                ORDER BY date, id
                """, [.integer(id)]) { (try Day(parsing: $0.text(0)), $0.int(1)) }
        }
    }

    /// The part of credit note `id` that went back to the customer as money: paid back with it, or
    /// credited to the customer's balance (minor units).
    public func creditNoteReturned(creditNoteID id: Int64) throws -> Int64 {
        try read {
            let refunded = try connection.scalarInt("SELECT coalesce(sum(amount), 0) FROM refunds WHERE credit_note_id = ?", [.integer(id)])
            let credited = try connection.scalarInt("SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE invoice_id = ? AND amount > 0",
                                                    [.integer(id)])
            return refunded + credited
        }
    }
}
