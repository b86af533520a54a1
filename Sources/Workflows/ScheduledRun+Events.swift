import Billing
import Store

extension ScheduledRun {
    /// The run's events that no command writes: `invoice.overdue` once per invoice (the first run after
    /// its due date), `trial.ending` once per trial, `trial_ending_days` before its last day.
    /// Returns how many were written.
    func writeRunEvents(today: Day) throws -> Int {
        let settings = try EventSettings.load(from: store)
        let log = EventLog(store: store)
        var written = 0
        for id in try store.overdueInvoiceIDs(on: today) {
            let key = "invoice.overdue:\(id)"
            guard try !store.eventExists(onceKey: key) else { continue }
            try store.write { try log.invoice(.invoiceOverdue, id: id, today: today, onceKey: key) }
            written += 1
        }
        for trial in try store.trialsEnding(from: today, through: today.adding(days: settings.trialEndingDays)) {
            let key = "trial.ending:\(trial.id):\(trial.end)"
            guard try !store.eventExists(onceKey: key) else { continue }
            try store.write { try log.booking(.trialEnding, id: trial.id, today: today, onceKey: key) }
            written += 1
        }
        return written
    }
}
