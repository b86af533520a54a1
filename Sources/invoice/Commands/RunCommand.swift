import Billing
import Store
import Webhook
import Workflows

/// `invoice run [--date D]`: the scheduled run for cron; prints what it did.
enum RunCommand {
    static let command = Command(
        name: "run", summary: "the scheduled run for cron: renewals, expiries, reminders, then mail",
        discussion: """
            The scheduled run for cron, once a day or more. For "today" (--date) it activates what
            paid invoices pay for if a payment was missed, invoices renewals renewal_days before a
            period ends (the renewal starts the day after, at the booking's own price), starts scheduled
            changes, moves bookings into their next period (paid, or with its invoice open: usable up to
            due date + grace_days), lapses bookings unpaid past that (no access until paid; unpaid at
            the period's end they expire and the invoice is cancelled), expires ended trials and
            cancelled bookings, stops first bookings unpaid past due date + grace_days (their invoice
            cancelled), never renews for inactive customers (reported; what they paid runs out),
            records payment reminders due and queues their mails (dunning: level 1 reminder_days[0]
            days past due, only for an invoice whose mail was sent; level 2 and 3 each only once the
            previous level's mail was sent, the difference of reminder_days after it; one level per
            run, never skipped; a reminder that cannot be queued is reported and does not stop the run)
            and counts overdue invoices. Days without a
            run are caught up (bookings step by step; reminders one level per run). Running it again for the same date changes nothing. It ends with the
            mailing run (invoice mail run) when a mail server is configured.
            """,
        options: [.flag("--no-mail", "skip the mailing run at the end")],
        featuredGlobals: ["--date"],
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        let noMail = args.flag("--no-mail")
        let store = try context.openStore()
        MailCommands.sweepOutbox(store: store, context: context)
        let summary = try ScheduledRun(store: store, outbox: try context.outbox()).run(today: context.today)
        // The run ends with the mailing run (when a mail server is configured). One message's problem
        // is that message's (failed, with the reason); a mailing run that cannot start at all is
        // reported after the summary, which is always printed.
        var mailing: MailingRun.Summary?
        var mailingBroke: String?
        if !noMail {
            do {
                mailing = try MailCommands.runMailing(store: store, context: context, limit: nil, connections: 2)
            } catch {
                mailingBroke = "\(error)"
            }
        }
        // Then the events: what this run and the commands since wrote goes to the operator's app.
        var events: EventDeliveryRun.Summary?
        var eventsBroke: String?
        if try !store.endpoints().isEmpty {
            do { events = try EventsCommand.delivery(store: store, context: context).run() } catch { eventsBroke = "\(error)" }
        }
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
                ("inactive_not_renewed", .int(Int64(summary.inactiveNotRenewed))),
                ("overdue_invoices", .int(summary.overdueInvoices)),
                // The invoice's number, as everywhere else in the output (its internal id as invoice_id).
                ("reminders", .array(try summary.reminders.map {
                    .object([("invoice", .string(try store.invoiceNumber(id: $0.invoiceID) ?? String($0.invoiceID))),
                             ("invoice_id", .int($0.invoiceID)), ("level", .int(Int64($0.level))),
                             ("due_on", .string($0.dueOn.description))])
                })),
                ("invoices", .array(summary.invoices.map { .string($0) })),
                ("errors", .array(summary.errors.map { .string($0) })),
                ("changed", .bool(summary.changedAnything)),
                ("invoice_mails_queued", .int(Int64(summary.invoiceMailsQueued))),
                ("reminder_mails_queued", .int(Int64(summary.remindersQueued))),
                ("mail_errors", .array(summary.mailErrors.map { .string($0) })),
                ("reminder_errors", .array(summary.reminderErrors.map { .string($0) })),
                ("mail", mailing.map { m in .object([("sent", .int(Int64(m.sent))), ("deferred", .int(Int64(m.deferred))),
                                                      ("failed", .int(Int64(m.failed))), ("cancelled", .int(Int64(m.cancelled))),
                                                      ("unknown_outcome", .int(Int64(m.unknown))),
                                                      ("paused", .optional(m.pausedBecause)),
                                                      ("errors", .array(m.errors.map { .string($0) }))]) } ?? .null),
                ("mail_run_error", .optional(mailingBroke)),
                ("events_written", .int(Int64(summary.eventsWritten))),
                ("events", events.map(EventsCommand.summaryJSON) ?? .null),
                ("events_run_error", .optional(eventsBroke)),
            ]))
        } else {
            var lines = ["invoice run for \(summary.date):"]
            lines.append("  payments caught up by the watcher: \(summary.paymentsCaughtUp)")
            lines.append("  scheduled changes started:         \(summary.scheduledStarted)")
            lines.append("  renewal invoices made:             \(summary.renewalsInvoiced)")
            lines.append("  scheduled change invoices made:    \(summary.changesInvoiced)")
            lines.append("  paid renewals rolled in:           \(summary.renewed)")
            lines.append("  bookings expired:                  \(summary.expired)")
            lines.append("  lapsed (unpaid past due + grace):  \(summary.lapsed)")
            lines.append("  stopped (unpaid past grace):       \(summary.stopped)")
            if summary.inactiveNotRenewed > 0 {
                lines.append("  not renewed (customer inactive):   \(summary.inactiveNotRenewed)")
            }
            lines.append("  payment reminders due:             \(summary.reminders.count)")
            lines.append("  overdue invoices:                  \(summary.overdueInvoices)")
            lines.append("  mails queued:                      \(summary.invoiceMailsQueued) invoices, \(summary.remindersQueued) reminders")
            for error in summary.mailErrors { lines.append("  mail not queued: \(error)") }
            if let m = mailing {
                let cancelled = m.cancelled > 0 ? ", \(m.cancelled) cancelled (the books changed)" : ""
                lines.append("  mail run:                          \(m.sent) sent, \(m.deferred) deferred, \(m.failed) failed\(cancelled)\(m.pausedBecause.map { " (paused: \($0))" } ?? "")")
                for error in m.errors { lines.append("  mail run error: \(error)") }
            } else if let mailingBroke {
                lines.append("  mail run:                          could not run: \(mailingBroke)")
            } else if !noMail {
                lines.append("  mail run:                          no SMTP server configured; mail waits in the outbox")
            }
            if let events {
                lines.append("  events run:                        \(EventsCommand.summaryText(events))")
                for line in events.disabled { lines.append("  events: disabled \(line)") }
            } else if let eventsBroke {
                lines.append("  events run:                        could not run: \(eventsBroke)")
            }
            if !summary.invoices.isEmpty {
                let shown = summary.invoices.prefix(10).joined(separator: ", ")
                let more = summary.invoices.count > 10 ? " … and \(summary.invoices.count - 10) more (--json lists all)" : ""
                lines.append("  invoices: \(shown)\(more)")
            }
            for error in summary.reminderErrors { lines.append("  reminder: \(error)") }
            for error in summary.errors { lines.append("  error: \(error)") }
            let mailQueued = summary.invoiceMailsQueued + summary.remindersQueued + summary.receiptsRetried
            if !summary.changedAnything && mailQueued == 0 && summary.errors.isEmpty && summary.mailErrors.isEmpty
                && summary.reminderErrors.isEmpty {
                lines.append("  nothing was due")
            }
            context.emit(lines.joined(separator: "\n"))
        }
        if !summary.errors.isEmpty {
            throw CommandFailure(message: "\(summary.errors.count) booking\(summary.errors.count == 1 ? "" : "s") could not be processed; see above")
        }
        // Mail that could not be queued is one message's problem (reported above, exit 0); a mailing
        // run that could not start at all (no connection, a bad smtp_url) is the run's.
        if let mailingBroke { throw CommandFailure(message: "the mailing run could not run: \(mailingBroke)") }
    }
}
