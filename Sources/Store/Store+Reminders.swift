import Billing
import Database

/// Payment reminders (dunning): which level of which invoice became due, recorded once.
extension Store {
    /// A payment reminder that became due: level 1–3 of an open invoice, recorded once.
    public struct ReminderRecord: Sendable, Hashable {
        public var invoiceID: Int64
        public var level: Int
        public var dueOn: Day
    }

    /// The idempotency key of a reminder's mail in `mail_queue` (kind `reminder-<level>`).
    public static func reminderMailKey(invoiceID: Int64, level: Int) -> String { "invoice:\(invoiceID):reminder:\(level)" }

    /// Records the payment reminders due on `day`, one level at a time. With `reminderDays` = [d1, d2, d3]:
    /// - level 1 is due d1 days after the due date, for an invoice whose own mail was sent (`sent_at`)
    ///   and that is still open or partially paid with an amount open;
    /// - level L+1 is due (d(L+1) − dL) days after the day level L's mail was **sent** (its queue row is
    ///   `sent`; queued, deferred, failed or cancelled mail holds the next level back);
    /// - nothing for a paid, cancelled or credited invoice, a credit note, an inactive customer, or a
    ///   reminder fee's own invoice (a fee is never dunned: no fee on a fee).
    ///
    /// Each invoice gets at most its next level per run (never two, never a skipped one), so after a
    /// pause the run records level 1, not the last level. Each (invoice, level) is recorded once.
    /// Returns the reminders recorded now.
    public func recordDueReminders(on day: Day, reminderDays: [Int]) throws -> [ReminderRecord] {
        guard reminderDays.count >= 3 else { throw StoreError("reminder_days must name three day counts") }
        return try write {
            var candidates: [ReminderRecord] = []
            // Still owed, by a customer we still bill: the same test for every level.
            let owed = """
                i.kind = 'invoice' AND i.status IN ('open', 'partially_paid') AND i.total - i.prepaid - i.paid - i.credited > 0
                AND EXISTS (SELECT 1 FROM customers c WHERE c.id = i.customer_id AND c.active = 1)
                AND NOT EXISTS (SELECT 1 FROM reminder_fees f WHERE f.fee_invoice_id = i.id)
                """
            // Level 1: the invoice was sent, d1 days past its due date, no reminder yet.
            candidates += try connection.query("""
                SELECT i.id, i.due_date FROM invoices i
                WHERE \(owed) AND i.sent_at IS NOT NULL AND i.due_date IS NOT NULL AND i.due_date <= ?
                  AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.invoice_id = i.id)
                ORDER BY i.id
                """, [.text(day.adding(days: -reminderDays[0]).description)]) { row in
                    ReminderRecord(invoiceID: row.int(0), level: 1, dueOn: try Day(parsing: row.text(1)).adding(days: reminderDays[0]))
                }
            // Level L+1: level L's mail was accepted by the server, the spacing after that day has passed.
            for level in 1...2 {
                let spacing = reminderDays[level] - reminderDays[level - 1]
                candidates += try connection.query("""
                    SELECT i.id, substr(m.sent_at, 1, 10) FROM reminders r
                    JOIN invoices i ON i.id = r.invoice_id
                    JOIN mail_queue m ON m.idempotency_key = 'invoice:' || r.invoice_id || ':reminder:' || r.level
                    WHERE r.level = ? AND m.state = 'sent' AND m.sent_at IS NOT NULL AND substr(m.sent_at, 1, 10) <= ?
                      AND \(owed)
                      AND NOT EXISTS (SELECT 1 FROM reminders later WHERE later.invoice_id = r.invoice_id AND later.level > r.level)
                    ORDER BY i.id
                    """, [.integer(Int64(level)), .text(day.adding(days: -spacing).description)]) { row in
                        ReminderRecord(invoiceID: row.int(0), level: level + 1, dueOn: try Day(parsing: row.text(1)).adding(days: spacing))
                    }
            }
            var recorded: [ReminderRecord] = []
            var reminded: Set<Int64> = []
            for candidate in candidates.sorted(by: { ($0.invoiceID, $0.level) < ($1.invoiceID, $1.level) })
            where reminded.insert(candidate.invoiceID).inserted {
                let inserted = try connection.run("""
                    INSERT INTO reminders (invoice_id, level, due_on, recorded_on) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING
                    """, [.integer(candidate.invoiceID), .integer(Int64(candidate.level)), .text(candidate.dueOn.description),
                          .text(day.description)])
                if inserted == 1 { recorded.append(candidate) }
            }
            return recorded
        }
    }

    public func reminders(invoiceID: Int64) throws -> [ReminderRecord] {
        try guarded {
            try connection.query("SELECT invoice_id, level, due_on FROM reminders WHERE invoice_id = ? ORDER BY level",
                                 [.integer(invoiceID)]) {
                ReminderRecord(invoiceID: $0.int(0), level: Int($0.int(1)), dueOn: try Day(parsing: $0.text(2)))
            }
        }
    }
}
