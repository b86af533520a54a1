import Billing
import Database

/// One movement of a customer's credit (cash on account): positive when money comes in (an
/// overpayment, a payment for a cancelled or paid invoice, a credit note credited to the balance),
/// negative when it is used on an invoice (prepaid amount) or paid back (refund).
public struct CreditEntry: Sendable, Hashable {
    public let id: Int64
    public let date: Day
    public let amount: Money
    public let reason: String
    /// The number of the invoice or credit note it belongs to, if any.
    public let document: String?
    public let refundID: Int64?
}

/// Money paid back to a customer.
public struct Refund: Sendable, Hashable {
    public let id: Int64
    public let customerID: Int64
    public let amount: Money
    public let date: Day
    public let reference: String
    /// The credit note that was refunded, when the refund comes from one.
    public let creditNoteID: Int64?
    public let eventID: String?
}

/// A provider's payment nobody could match to an invoice (unknown number, other currency), kept for
/// the operator to assign.
public struct UnmatchedPayment: Sendable, Hashable {
    public let eventID: String
    public let invoiceNumber: String
    public let amount: Money
    public let paidOn: Day
    public let reason: String
    public let receivedAt: String
    public let assignedInvoiceID: Int64?
}

extension Store {
    // MARK: Credit ledger

    /// Books a credit movement: positive when money comes onto the account, negative when it is used
    /// or paid back.
    public func addCredit(customerID: Int64, amount: Money, reason: String, invoiceID: Int64?, date: Day,
                          refundID: Int64? = nil) throws {
        try write {
            if amount.minorUnits > 0 {
                // Money that came onto the account stays representable, so every running sum of the
                // ledger (SQLite's sum() fails on any intermediate overflow) stays inside the range.
                let received = try connection.scalarInt("""
                    SELECT coalesce(sum(CASE WHEN amount > 0 THEN amount ELSE 0 END), 0) FROM credit_ledger
                    WHERE customer_id = ? AND currency = ?
                    """, [.integer(customerID), .text(amount.currency.code)])
                _ = try Money(minorUnits: received, currency: amount.currency).adding(amount)
            }
            try connection.run("""
                INSERT INTO credit_ledger (customer_id, currency, amount, reason, invoice_id, date, refund_id)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(customerID), .text(amount.currency.code), .integer(amount.minorUnits), .text(reason),
                      invoiceID.map { .integer($0) } ?? .null, .text(date.description), refundID.map { .integer($0) } ?? .null])
            noteChanged("customer:\(customerID)")
        }
    }

    /// The ledger of one customer, oldest first (all currencies).
    public func creditLedger(customerID: Int64) throws -> [CreditEntry] {
        try read {
            try connection.query("""
                SELECT l.id, l.date, l.amount, l.currency, l.reason, i.number, l.refund_id
                FROM credit_ledger l LEFT JOIN invoices i ON i.id = l.invoice_id
                WHERE l.customer_id = ? ORDER BY l.date, l.id
                """, [.integer(customerID)]) { row in
                    CreditEntry(id: row.int(0), date: try Day(parsing: row.text(1)),
                                amount: Money(minorUnits: row.int(2), currency: try Currency(code: row.text(3))),
                                reason: row.text(4), document: row.optionalText(5), refundID: row.optionalInt(6))
                }
        }
    }

    // MARK: Credit notes

    /// The credit notes issued against an invoice, oldest first.
    public func creditNotes(invoiceID: Int64) throws -> [Invoice] {
        try read {
            try connection.query("SELECT id FROM invoices WHERE preceding_id = ? AND kind = 'credit_note' ORDER BY id",
                                 [.integer(invoiceID)]) { $0.int(0) }
                .map { try invoice(id: $0) }
        }
    }

    // MARK: Refunds

    /// Records money paid back; returns its id. `eventID` keys a provider's refund event.
    public func addRefund(customerID: Int64, amount: Money, date: Day, reference: String, creditNoteID: Int64?,
                          eventID: String?) throws -> Int64 {
        try write {
            noteChanged("customer:\(customerID)")
            return try connection.insert("""
                INSERT INTO refunds (customer_id, currency, amount, date, reference, credit_note_id, event_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(customerID), .text(amount.currency.code), .integer(amount.minorUnits), .text(date.description),
                      .text(reference), creditNoteID.map { .integer($0) } ?? .null, eventID.map { .text($0) } ?? .null,
                      .text(Store.timestamp())])
        }
    }

    public func refunds(customerID: Int64) throws -> [Refund] {
        try read {
            try connection.query("""
                SELECT id, customer_id, amount, currency, date, reference, credit_note_id, event_id FROM refunds
                WHERE customer_id = ? ORDER BY date, id
                """, [.integer(customerID)]) { row in
                    Refund(id: row.int(0), customerID: row.int(1),
                           amount: Money(minorUnits: row.int(2), currency: try Currency(code: row.text(3))),
                           date: try Day(parsing: row.text(4)), reference: row.text(5), creditNoteID: row.optionalInt(6),
                           eventID: row.optionalText(7))
                }
        }
    }

    /// Sum of all payments received from a customer in one currency (whatever they were applied to).
    /// Each payment fits the money range, their sum over many invoices need not: it is added up checked
    /// (a `BillingError` of kind `.outOfRange` naming the limit), never by the engine's `sum()`, which
    /// fails with "integer overflow" on SQLite and changes type on PostgreSQL.
    public func receivedTotal(customerID: Int64, currency: Currency) throws -> Money {
        try checkedSum("""
            SELECT p.amount FROM payments p JOIN invoices i ON i.id = p.invoice_id
            WHERE i.customer_id = ? AND i.currency = ? ORDER BY p.id
            """, [.integer(customerID), .text(currency.code)], currency: currency,
            what: "the payments received from customer \(customerID) in \(currency)")
    }

    /// Sum of refunds paid to a customer in one currency, checked like `receivedTotal`.
    public func refundedTotal(customerID: Int64, currency: Currency) throws -> Money {
        try checkedSum("SELECT amount FROM refunds WHERE customer_id = ? AND currency = ? ORDER BY id",
                       [.integer(customerID), .text(currency.code)], currency: currency,
                       what: "the refunds paid to customer \(customerID) in \(currency)")
    }

    /// The amounts `sql` selects, added up with `Money.adding` (streamed: memory stays flat).
    private func checkedSum(_ sql: String, _ values: [SQLValue], currency: Currency, what: String) throws -> Money {
        var total = Money.zero(currency)
        try read {
            try connection.forEach(sql, values) { row in
                do { total = try total.adding(Money(minorUnits: row.int(0), currency: currency)) } catch {
                    throw BillingError("\(what) add up to more than the largest amount that can be recorded (\(Money.largest(currency)))",
                                       kind: .outOfRange)
                }
            }
        }
        return total
    }

    /// Whether a payment with this provider event id is recorded.
    public func paymentExists(eventID: String) throws -> Bool {
        try guarded { try connection.scalarInt("SELECT count(*) FROM payments WHERE event_id = ?", [.text(eventID)]) > 0 }
    }

    // MARK: Unmatched payments

    public func addUnmatchedPayment(eventID: String, invoiceNumber: String, amount: Money, paidOn: Day, reason: String) throws {
        try write {
            try connection.run("""
                INSERT INTO unmatched_payments (event_id, invoice_number, amount, currency, paid_on, reason, received_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(eventID), .text(invoiceNumber), .integer(amount.minorUnits), .text(amount.currency.code),
                      .text(paidOn.description), .text(reason), .text(Store.timestamp())])
        }
    }

    private func unmatched(_ row: Row) throws -> UnmatchedPayment {
        UnmatchedPayment(eventID: row.text(0), invoiceNumber: row.text(1),
                         amount: Money(minorUnits: row.int(2), currency: try Currency(code: row.text(3))),
                         paidOn: try Day(parsing: row.text(4)), reason: row.text(5), receivedAt: row.text(6),
                         assignedInvoiceID: row.optionalInt(7))
    }

    private static let unmatchedColumns =
        "event_id, invoice_number, amount, currency, paid_on, reason, received_at, assigned_invoice_id"

    /// Payments still waiting for the operator (with `all`, assigned ones too).
    public func unmatchedPayments(all: Bool = false) throws -> [UnmatchedPayment] {
        try read {
            try connection.query("SELECT \(Store.unmatchedColumns) FROM unmatched_payments"
                                 + (all ? "" : " WHERE assigned_invoice_id IS NULL") + " ORDER BY received_at, event_id",
                                 [], unmatched)
        }
    }

    public func unmatchedPayment(eventID: String) throws -> UnmatchedPayment? {
        try read {
            try connection.first("SELECT \(Store.unmatchedColumns) FROM unmatched_payments WHERE event_id = ?",
                                 [.text(eventID)], unmatched)
        }
    }

    /// Marks an unmatched payment as assigned; false when it was assigned already (by another process).
    public func markUnmatchedAssigned(eventID: String, invoiceID: Int64) throws -> Bool {
        try write {
            try connection.run("""
                UPDATE unmatched_payments SET assigned_invoice_id = ?, assigned_at = ?
                WHERE event_id = ? AND assigned_invoice_id IS NULL
                """, [.integer(invoiceID), .text(Store.timestamp()), .text(eventID)]) == 1
        }
    }

    // MARK: Receipts that could not be queued

    /// Remembers that an invoice's receipt could not be queued (the payment stands); `invoice run` retries.
    public func addPendingReceipt(invoiceID: Int64, error: String, on day: Day) throws {
        try write {
            try connection.run("""
                INSERT INTO pending_receipts (invoice_id, error, since) VALUES (?, ?, ?)
                ON CONFLICT (invoice_id) DO UPDATE SET error = excluded.error
                """, [.integer(invoiceID), .text(String(error.prefix(500))), .text(day.description)])
        }
    }

    public func pendingReceipts() throws -> [(invoiceID: Int64, error: String)] {
        try read {
            try connection.query("SELECT invoice_id, error FROM pending_receipts ORDER BY invoice_id") { (invoiceID: $0.int(0), error: $0.text(1)) }
        }
    }

    public func removePendingReceipt(invoiceID: Int64) throws {
        try write { _ = try connection.run("DELETE FROM pending_receipts WHERE invoice_id = ?", [.integer(invoiceID)]) }
    }
}
