import Billing
import Store
import Workflows

/// `invoice run [--date D]`: the scheduled run for cron; prints what it did.
enum RunCommand {
    static func run(_ arguments: Arguments, _ context: Context) throws {
        try arguments.finish()
        let store = try context.openStore()
        let summary = try ScheduledRun(store: store).run(today: context.today)
        if context.json {
            context.emit(.object([
                ("date", .string(summary.date.description)),
                ("payments_caught_up", .int(Int64(summary.paymentsCaughtUp))),
                ("scheduled_started", .int(Int64(summary.scheduledStarted))),
                ("renewals_invoiced", .int(Int64(summary.renewalsInvoiced))),
                ("changes_invoiced", .int(Int64(summary.changesInvoiced))),
                ("renewed", .int(Int64(summary.renewed))),
                ("expired", .int(Int64(summary.expired))),
                ("lapsed", .int(Int64(summary.lapsed))),
                ("stopped", .int(Int64(summary.stopped))),
                ("overdue_invoices", .int(summary.overdueInvoices)),
                ("reminders", .array(summary.reminders.map {
                    .object([("invoice", .int($0.invoiceID)), ("level", .int(Int64($0.level))), ("due_on", .string($0.dueOn.description))])
                })),
                ("invoices", .array(summary.invoices.map { .string($0) })),
                ("errors", .array(summary.errors.map { .string($0) })),
                ("changed", .bool(summary.changedAnything)),
            ]))
        } else {
            var lines = ["invoice run for \(summary.date):"]
            lines.append("  payments caught up by the watcher: \(summary.paymentsCaughtUp)")
            lines.append("  scheduled changes started:         \(summary.scheduledStarted)")
            lines.append("  renewal invoices made:             \(summary.renewalsInvoiced)")
            lines.append("  scheduled change invoices made:    \(summary.changesInvoiced)")
            lines.append("  paid renewals rolled in:           \(summary.renewed)")
            lines.append("  bookings expired:                  \(summary.expired)")
            lines.append("  lapsed (renewal unpaid at end):    \(summary.lapsed)")
            lines.append("  stopped (unpaid past grace):       \(summary.stopped)")
            lines.append("  payment reminders due:             \(summary.reminders.count)")
            lines.append("  overdue invoices:                  \(summary.overdueInvoices)")
            if !summary.invoices.isEmpty {
                let shown = summary.invoices.prefix(10).joined(separator: ", ")
                let more = summary.invoices.count > 10 ? " … and \(summary.invoices.count - 10) more (--json lists all)" : ""
                lines.append("  invoices: \(shown)\(more)")
            }
            for error in summary.errors { lines.append("  error: \(error)") }
            if !summary.changedAnything && summary.errors.isEmpty { lines.append("  nothing was due") }
            context.emit(lines.joined(separator: "\n"))
        }
        if !summary.errors.isEmpty {
            throw CommandFailure(message: "\(summary.errors.count) booking\(summary.errors.count == 1 ? "" : "s") could not be processed; see above")
        }
    }
}
