import Billing
import SQLite

/// Payment reminders: which level of which invoice became due, recorded once.
extension Store {
    /// A payment reminder that became due: level 1–3 of an open invoice, recorded once.
    public struct ReminderRecord: Sendable, Hashable {
        public var invoiceID: Int64
        public var level: Int
        public var dueOn: Day
    }

    /// Records the payment reminders due on `day` for open or partially paid invoices: level L is due
    /// `reminderDays[L-1]` days after the due date. Each (invoice, level) is recorded once; when a run
    /// catches up several levels at once only the highest is recorded (nobody wants three letters in a day).
    /// Returns the reminders recorded now.
    public func recordDueReminders(on day: Day, reminderDays: [Int]) throws -> [ReminderRecord] {
        try write {
            var recorded: [ReminderRecord] = []
            for level in stride(from: min(3, reminderDays.count), through: 1, by: -1) {
                let offset = reminderDays[level - 1]
                let cutoff = day.adding(days: -offset)
                let due = try connection.query("""
                    SELECT i.id, i.due_date FROM invoices i
                    WHERE i.status IN ('open', 'partially_paid') AND i.due_date <= ?
                      AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.invoice_id = i.id AND r.level >= ?)
                    ORDER BY i.id
                    """, [.text(cutoff.description), .integer(Int64(level))]) { row in
                        (row.int(0), try Day(parsing: row.text(1)).adding(days: offset))
                    }
                for (invoiceID, dueOn) in due {
                    let inserted = try connection.run("""
                        INSERT OR IGNORE INTO reminders (invoice_id, level, due_on, recorded_on) VALUES (?, ?, ?, ?)
                        """, [.integer(invoiceID), .integer(Int64(level)), .text(dueOn.description), .text(day.description)])
                    if inserted == 1 { recorded.append(ReminderRecord(invoiceID: invoiceID, level: level, dueOn: dueOn)) }
                }
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
