import Billing
import Store

/// `invoice run`: the scheduled run for cron (SPEC §6). For one "today" it
/// 1. catches up the paid-status watcher (paid invoices whose period is still unpaid),
/// 2. brings every booking up to date with today, one step at a time in date order, so a run after
///    days without runs catches up exactly as daily runs would have: invoice renewals `renewal_days`
///    before a period ends (the renewal starts the day after — contiguous), invoice and start scheduled
///    changes, roll paid renewals in, expire trials and cancelled bookings, stop bookings whose invoice
///    stayed unpaid past due date + `grace_days` (the invoice is cancelled, never deleted),
/// 3. records the payment reminders that became due: per invoice the next level only, level 1 `reminder_days[0]`
///    days past due for an invoice that was sent, level L+1 (d(L+1) − dL) days after level L's mail was sent
///    (see `Store.recordDueReminders`), then queues their mails, each on its own (one that fails is reported),
/// 4. counts overdue invoices (overdue is derived from the due date, nothing to store).
///
/// A period whose renewal is unpaid when it ends moves into the renewal period anyway: usable while its
/// invoice is open up to due date + `grace_days`, then `lapsed` (no access); paying later reactivates the
/// rest of the printed period, never shifted. Inactive customers are never renewed: what they paid runs
/// out, and the run reports them.
///
/// Running it again for the same day finds nothing to do: every step is guarded by state (and by the
/// unique keys of periods and reminders), so two runs at once also cannot invoice anything twice.
/// Bookings are paged by id from SQLite (memory stays flat), a page per write transaction, each
/// booking in its own savepoint: one failing booking is reported and the run goes on.
public struct ScheduledRun {
    let store: Store
    let watcher: PaidStatusWatcher
    let bookings: Bookings

    let outbox: Outbox?

    public init(store: Store, outbox: Outbox? = nil) {
        self.store = store
        self.outbox = outbox
        watcher = PaidStatusWatcher(store: store, outbox: outbox)
        bookings = Bookings(store: store, outbox: outbox)
    }

    /// What a run did.
    public struct Summary: Sendable {
        public var date: Day
        public var paymentsCaughtUp = 0
        public var scheduledStarted = 0
        public var renewalsInvoiced = 0
        public var changesInvoiced = 0
        public var renewed = 0
        public var expired = 0
        public var lapsed = 0
        public var stopped = 0
        /// Bookings of inactive customers due for renewal that were not renewed (reported, not an error).
        public var inactiveNotRenewed = 0
        public var overdueInvoices: Int64 = 0
        public var reminders: [Store.ReminderRecord] = []
        /// Reminder mails queued (recorded reminders of earlier runs whose mail was not queued included).
        public var remindersQueued = 0
        /// Reminders whose mail could not be queued, with the reason (the run goes on; they are tried
        /// again by the next run). Reported, not an error of the run.
        public var reminderErrors: [String] = []
        /// Invoice and credit-note mails queued for issued documents never mailed.
        public var invoiceMailsQueued = 0
        /// Receipts queued now that could not be queued when their payment was recorded.
        public var receiptsRetried = 0
        /// Numbers of the invoices the run issued.
        public var invoices: [String] = []
        public var errors: [String] = []
        /// Events of the run itself: invoices that became overdue, trials about to end.
        public var eventsWritten = 0
        /// Mail that could not be queued (an address, a rendering error): reported, never fatal.
        public var mailErrors: [String] = []

        public var changedAnything: Bool {
            paymentsCaughtUp + scheduledStarted + renewalsInvoiced + changesInvoiced + renewed + expired + lapsed + stopped > 0
                || !reminders.isEmpty
        }
    }

    public func run(today: Day, pageSize: Int = 500) throws -> Summary {
        // Time only goes forward: a run for an earlier day than the last one would judge bookings by a
        // past that has already been acted on (it reactivated lapsed bookings). The same day again is fine.
        if let last = try store.lastRunDay(), today < last {
            throw WorkflowError("invoice run for \(today) is before the last run (\(last)); runs go forward in time: run for \(last) or later")
        }
        try store.recordRun(on: today)
        var summary = Summary(date: today)
        let op = try store.loadOperator()
        summary.paymentsCaughtUp = try watcher.catchUp()
        // A scheduled change is invoiced `renewal_days` before the period it follows ends, that is before
        // the day before it starts: it must be looked at when it starts within `renewal_days` + 1 days.
        let horizon = today.adding(days: max(0, op.renewalLeadDays) + 1)
        var after: Int64 = 0
        while true {
            let ids = try store.bookingIDsNeedingAttention(horizon: horizon, after: after, limit: pageSize)
            guard let last = ids.last else { break }
            // The page's summary is built from the one before it in every attempt of the transaction: on
            // PostgreSQL a transaction that failed to serialize runs again whole, and the errors (or
            // counts) of the attempt that was rolled back must not stay in the summary.
            summary = try store.write {
                var page = summary
                for id in ids {
                    do {
                        try store.isolated { try bringUpToDate(bookingID: id, today: today, op: op, summary: &page) }
                    } catch {
                        page.errors.append("booking \(id): \(error)")
                    }
                }
                return page
            }
            after = last
        }
        summary.eventsWritten = try writeRunEvents(today: today)
        summary.reminders = try store.recordDueReminders(on: today, reminderDays: op.reminderDays)
        if let outbox, try outbox.hasSender(store: store) {
            // Every issued invoice and credit note reaches the customer once: whatever made it (a plan,
            // a module, a renewal, an upgrade, `invoice new --issue`), unless opted out (`--no-mail`).
            // One document's mail problem (an address, a rendering error) is reported and skipped.
            for id in try store.documentsWithoutMail() {
                do {
                    // Counted once committed (a transaction run again on PostgreSQL must not count twice).
                    let queued = try store.isolated {
                        try outbox.queueDocumentMail(invoice: try store.invoice(id: id), store: store, today: today) != nil
                    }
                    if queued { summary.invoiceMailsQueued += 1 }
                } catch {
                    summary.mailErrors.append("\(error)")
                }
            }
            do {
                let reminders = try outbox.queueRecordedReminders(store: store, today: today)
                summary.remindersQueued = reminders.queued
                summary.reminderErrors = reminders.errors
            } catch {
                summary.mailErrors.append("reminders: \(error)")
            }
            summary.receiptsRetried = try watcher.retryPendingReceipts(today: today)
            for pending in try store.pendingReceipts() {
                summary.mailErrors.append("receipt for invoice \(try store.invoiceNumber(id: pending.invoiceID) ?? String(pending.invoiceID)) not queued: \(pending.error)")
            }
        }
        summary.overdueInvoices = try store.overdueInvoiceCount(on: today)
        return summary
    }


    /// Applies the booking's due steps in date order until nothing is due on `today`.
    func bringUpToDate(bookingID: Int64, today: Day, op: Operator, summary: inout Summary) throws {
        for _ in 0..<1_000 {
            let booking = try store.booking(id: bookingID)
            guard try step(booking, today: today, op: op, summary: &summary) else { return }
        }
        throw WorkflowError("booking \(bookingID) did not settle after 1000 steps")
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension ScheduledRun: Sendable {}
