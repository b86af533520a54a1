import Billing
import Foundation
import Store
import Testing
import TestSupport

/// `Store.recordDueReminders` on a real database (a SQLite file, or PostgreSQL in the second pass): which invoice gets which level on which day.
/// Rows are written through the store, then shaped with SQL (`TestEngine.sql`) (sent days, payments,
/// mail states) the way the mailing run and payments leave them.
@Suite struct ReminderRuleTests {
    let days = [7, 21, 35]

    struct Desk {
        let directory: TemporaryDirectory
        let store: Store
        let active: Int64
        let inactive: Int64

        init() throws {
            let directory = try TemporaryDirectory("reminder-rules")
            let store = try Store(path: try TestEngine.location(for: directory.path("invoice.sqlite")))
            let chf = try Currency(code: "CHF")
            func customer(_ name: String) throws -> Int64 {
                try store.addCustomer(Customer(id: 0, company: name, address: Address(country: try Country(code: "CH")),
                                               email: "ap@\(name.lowercased()).example", currency: chf, language: .en,
                                               billingInfo: "")).id
            }
            self.active = try customer("Active")
            self.inactive = try customer("Inactive")
            self.directory = directory
            self.store = store
            try sql("UPDATE customers SET active = 0 WHERE id = \(inactive)")
        }

        func remove() { directory.remove() }

        @discardableResult
        func sql(_ query: String) throws -> [String] {
            try TestEngine.rows(directory.path("invoice.sqlite"), query)
        }

        /// An issued invoice of CHF 100.00 due on `due`, in `status`, sent (or not), with amounts paid and credited.
        func invoice(_ status: String = "open", due: String = "2026-01-31", sent: Bool = true, paid: Int = 0, credited: Int = 0,
                     kind: String = "invoice", customer: Int64? = nil) throws -> Int64 {
            let stored = try store.insertInvoice(Invoice(customerID: customer ?? active, currency: try Currency(code: "CHF"),
                                                         language: .en, status: .open))
            try sql("""
                UPDATE invoices SET status = '\(status)', kind = '\(kind)', issue_date = '2026-01-01', due_date = '\(due)',
                    total = 10000, paid = \(paid), credited = \(credited), sent_at = \(sent ? "'2026-01-01'" : "NULL")
                WHERE id = \(stored.id)
                """)
            return stored.id
        }

        /// The mail row of reminder `level` of `invoice`, in `state` (sent on `sentOn`).
        func reminderMail(invoice: Int64, level: Int, state: String, sentOn: String? = nil) throws {
            let key = Store.reminderMailKey(invoiceID: invoice, level: level)
            _ = try store.enqueueMail(QueuedMail(idempotencyKey: key, kind: "reminder-\(level)", invoiceID: invoice,
                                                 sender: "billing@example.ch", recipient: "ap@active.example", subject: "Reminder",
                                                 file: "\(key).eml", messageID: "<\(key)@example.ch>", size: 1, nextAttemptAt: 0))
            try sql("""
                UPDATE mail_queue SET state = '\(state)', sent_at = \(sentOn.map { "'\($0)T09:30:00Z'" } ?? "NULL")
                WHERE idempotency_key = '\(key)'
                """)
        }

        func record(on day: String, _ days: [Int]) throws -> [String] {
            try store.recordDueReminders(on: try Day(parsing: day), reminderDays: days).map { "\($0.invoiceID):\($0.level)@\($0.dueOn)" }
        }
    }

    // Mutation (mutants.tsv reminder-unsent): drop `i.sent_at IS NOT NULL` from the level-1 query → the unsent invoice is reminded → fails.
    // Mutation (mutants.tsv reminder-owed-kind-only): the owed line → `i.kind = 'invoice'` → the paid, cancelled and fully credited ones are reminded → fails.
    // Mutation (mutants.tsv reminder-inactive-customer): drop the `c.active = 1` line → the inactive customer's invoice is reminded → fails.
    @Test func levelOneOnlyForSentInvoicesStillOwedByActiveCustomers() throws {
        let desk = try Desk()
        defer { desk.remove() }
        let open = try desk.invoice()
        let partly = try desk.invoice("partially_paid", paid: 4000)
        let partlyCredited = try desk.invoice(credited: 2500)
        _ = try desk.invoice(sent: false)
        _ = try desk.invoice(credited: 10000)
        _ = try desk.invoice("paid", paid: 10000)
        _ = try desk.invoice("cancelled", credited: 10000)
        _ = try desk.invoice("issued", kind: "credit_note")
        _ = try desk.invoice(customer: desk.inactive)
        let later = try desk.invoice(due: "2026-02-05")
        #expect(try desk.record(on: "2026-02-06", days).isEmpty)
        #expect(try desk.record(on: "2026-02-07", days) == ["\(open):1@2026-02-07", "\(partly):1@2026-02-07",
                                                            "\(partlyCredited):1@2026-02-07"])
        #expect(try desk.record(on: "2026-02-07", days).isEmpty)
        #expect(try desk.record(on: "2026-02-12", days) == ["\(later):1@2026-02-12"])
    }

    // Mutation (mutants.tsv reminder-spacing-zero): the spacing `reminderDays[level] - reminderDays[level - 1]` → `0` → level 2 on 02-23 → fails.
    // Mutation (mutants.tsv reminder-wait-unsent): drop `m.state = 'sent' AND` and take the sent day as `coalesce(m.sent_at, m.created_at)` (two lines; the
    // one-line forms run through the binary in DunningTests) → level 2 while level 1 waits → fails.
    @Test func theNextLevelWaitsForThePreviousMailToBeSentThenForItsSpacing() throws {
        let desk = try Desk()
        defer { desk.remove() }
        let invoice = try desk.invoice()
        #expect(try desk.record(on: "2026-02-07", days) == ["\(invoice):1@2026-02-07"])
        // Not sent yet, or never: level 2 never comes, however late.
        for state in ["queued", "sending", "deferred", "failed", "cancelled"] {
            try desk.sql("DELETE FROM mail_queue")
            try desk.reminderMail(invoice: invoice, level: 1, state: state)
            #expect(try desk.record(on: "2026-12-31", days).isEmpty, "\(state)")
        }
        // Sent (250) on 02-10: level 2 is due 21 − 7 = 14 days later, counted from that day.
        try desk.sql("DELETE FROM mail_queue")
        try desk.reminderMail(invoice: invoice, level: 1, state: "sent", sentOn: "2026-02-10")
        #expect(try desk.record(on: "2026-02-23", days).isEmpty)
        #expect(try desk.record(on: "2026-02-24", days) == ["\(invoice):2@2026-02-24"])
        // One level per run: level 3 needs level 2's mail sent, whatever the date.
        #expect(try desk.record(on: "2026-12-31", days).isEmpty)
        try desk.reminderMail(invoice: invoice, level: 2, state: "sent", sentOn: "2026-03-01")
        #expect(try desk.record(on: "2026-03-14", days).isEmpty)
        #expect(try desk.record(on: "2026-03-15", days) == ["\(invoice):3@2026-03-15"])
        try desk.reminderMail(invoice: invoice, level: 3, state: "sent", sentOn: "2026-03-15")
        #expect(try desk.record(on: "2026-12-31", days).isEmpty)
        #expect(try desk.store.reminders(invoiceID: invoice).map(\.level) == [1, 2, 3])

        // Paid after level 1 was sent: no level 2.
        let paid = try desk.invoice()
        #expect(try desk.record(on: "2026-02-07", days) == ["\(paid):1@2026-02-07"])
        try desk.reminderMail(invoice: paid, level: 1, state: "sent", sentOn: "2026-02-07")
        try desk.sql("UPDATE invoices SET status = 'paid', paid = 10000 WHERE id = \(paid)")
        #expect(try desk.record(on: "2026-12-31", days).isEmpty)
    }

    /// A database whose old run recorded the final notice only (the catch-up bug) gets nothing more.
    // Mutation (mutants.tsv reminder-level1-guard): the level-1 guard `NOT EXISTS (… reminders r WHERE r.invoice_id = i.id)` → `… AND r.level = 1)` → a level 1
    // after the final notice → fails.
    @Test func anInvoiceWhoseOldRunJumpedToTheFinalNoticeGetsNothingMore() throws {
        let desk = try Desk()
        defer { desk.remove() }
        let invoice = try desk.invoice()
        try desk.sql("INSERT INTO reminders (invoice_id, level, due_on, recorded_on) VALUES (\(invoice), 3, '2026-03-07', '2026-03-20')")
        try desk.reminderMail(invoice: invoice, level: 3, state: "sent", sentOn: "2026-03-20")
        #expect(try desk.record(on: "2026-12-31", days).isEmpty)
    }
}
