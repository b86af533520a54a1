import Billing
import Store
import Workflows

/// `invoice plan CUSTOMER …` and `invoice module CUSTOMER …`: the six booking actions, `show` and `list`.
enum PlanCommand {
    static func plan(_ arguments: Arguments, _ context: Context) throws { try run(.plan, arguments, context) }

    static func module(_ arguments: Arguments, _ context: Context) throws { try run(.module, arguments, context) }

    private static func run(_ kind: ProductKind, _ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let command = kind.rawValue
        let customer = try args.positional("CUSTOMER")
        let actions = kind == .plan ? "activate, period, cancel, revoke, withdraw, show or list"
                                    : "activate, period, cancel, revoke, withdraw, show or list"
        let action = try args.positional("action (\(actions))")
        let store = try context.openStore()
        let bookings = Bookings(store: store, outbox: try context.outbox())
        func product() throws -> String? {
            kind == .module ? try args.positional("MODULE") : nil
        }
        switch action {
        case "activate":
            let name = try args.positional(kind == .plan ? "PLAN" : "MODULE")
            let chosen = Bookings.Activation.allCases.filter { args.flag("--\($0.rawValue)") }
            try args.finish()
            guard chosen.count == 1, let activation = chosen.first else {
                throw UsageError("activate needs exactly one of --free, --trial, --monthly, --yearly", command: command)
            }
            let outcome = try bookings.activate(customerReference: customer, kind: kind, productReference: name,
                                                as: activation, today: context.today)
            try emit(outcome, bookings: bookings, context: context)
        case "period":
            let name = try product()
            let start = try args.option("--start").map { try parseDay($0, option: "--start", command: command) }
            let end = try args.option("--end").map { try parseDay($0, option: "--end", command: command) }
            try args.finish()
            guard start != nil || end != nil else { throw UsageError("period needs --start D and/or --end D", command: command) }
            let outcome = try bookings.editPeriod(customerReference: customer, kind: kind, productReference: name,
                                                  start: start, end: end, today: context.today)
            try emit(outcome, bookings: bookings, context: context)
        case "cancel", "revoke", "withdraw":
            let name = try product()
            try args.finish()
            let outcome: Bookings.Outcome
            switch action {
            case "cancel": outcome = try bookings.cancel(customerReference: customer, kind: kind, productReference: name, today: context.today)
            case "revoke": outcome = try bookings.revoke(customerReference: customer, kind: kind, productReference: name, today: context.today)
            default: outcome = try bookings.withdraw(customerReference: customer, kind: kind, productReference: name, today: context.today)
            }
            try emit(outcome, bookings: bookings, context: context)
        case "show":
            let name = kind == .module ? try args.positional("MODULE") : nil
            try args.finish()
            let booking = try name.map { try bookings.moduleToShow(customerReference: customer, moduleReference: $0) }
                ?? bookings.planToShow(customerReference: customer)
            let details = try bookings.details(of: booking)
            if context.json {
                var pairs = bookingPairs(details)
                pairs.append(("change", try details.change.map { bookingObject(try bookings.details(of: $0)) } ?? .null))
                context.emit(.object(pairs))
            } else {
                context.emit(text(details))
                if let change = details.change { context.emit(text(try bookings.details(of: change))) }
            }
        case "list":
            let history = args.flag("--history") || args.flag("--all")
            try args.finish()
            let list: [Booking]
            if kind == .module {
                list = try bookings.modulesToList(customerReference: customer, history: history)
            } else {
                let customerID = try store.customer(reference: customer).id
                list = try store.bookings(customerID: customerID, kind: .plan)
            }
            let details = try list.map { try bookings.details(of: $0) }
            if context.json {
                context.emit(.array(details.map(bookingObject)))
            } else if details.isEmpty {
                context.emit("no \(kind.rawValue) bookings")
            } else {
                for detail in details { context.emit(text(detail)) }
            }
        default:
            throw UsageError("unknown action '\(action)'; use \(actions)", command: command)
        }
    }

    private static func parseDay(_ text: String, option: String, command: String) throws -> Day {
        do { return try Day(parsing: text) } catch { throw UsageError("\(option): \(error)", command: command) }
    }

    private static func emit(_ outcome: Bookings.Outcome, bookings: Bookings, context: Context) throws {
        guard context.json else {
            context.emit(outcome.message)
            return
        }
        let details = try bookings.details(of: outcome.booking)
        var pairs: [(String, JSON)] = [("action", .string(outcome.action)),
                                       ("change", .optional(outcome.change?.rawValue)),
                                       ("message", .string(outcome.message))]
        pairs += bookingPairs(details)
        pairs.append(("new_invoice", outcome.invoice.map { invoice in
            .object([("number", .optional(invoice.number)), ("status", .string(invoice.status.rawValue)),
                     ("total", Presenter.money(invoice.totals.payable)), ("due_date", .optional(invoice.dueDate?.description))])
        } ?? .null))
        pairs.append(("amount", outcome.invoice.map { Presenter.money($0.totals.payable) } ?? .null))
        pairs.append(("cancelled_invoices", .array(outcome.cancelledInvoices.map { .string($0) })))
        pairs.append(("forfeited", .array(outcome.forfeited.map {
            .object([("currency", .string($0.currency.code)), ("amount", Presenter.money($0))])
        })))
        context.emit(.object(pairs))
    }

    // MARK: Presenting bookings

    static func bookingObject(_ details: Bookings.Details) -> JSON { .object(bookingPairs(details)) }

    /// The booking object of the scripting contract: kind, product, status, cycle, start, end, invoice, and more.
    static func bookingPairs(_ details: Bookings.Details) -> [(String, JSON)] {
        let b = details.booking
        var pairs: [(String, JSON)] = [
            ("id", .int(b.id)), ("customer", .int(b.customerID)), ("kind", .string(b.kind.rawValue)),
            ("product", .string(b.productName)), ("status", .string(b.status.rawValue)), ("cycle", .string(b.cycle.rawValue)),
            ("start", .optional(b.start?.description)), ("end", .optional(b.end?.description)),
            ("invoice", .optional(details.invoiceNumber)),
            ("replaces", b.replacesID.map { .int($0) } ?? .null),
        ]
        pairs.append(("paying_invoice", details.invoice.map { s in
            .object([("number", .optional(s.number)), ("status", .string(s.status.rawValue)), ("total", Presenter.money(s.total)),
                     ("paid", Presenter.money(s.paid)), ("open", Presenter.money(s.open)),
                     ("due_date", .optional(s.dueDate?.description))])
        } ?? .null))
        pairs.append(("next_renewal", details.nextRenewal.map { next in
            .object([("invoice_on", .string(next.invoiceOn.description)), ("period_start", .string(next.periodStart.description)),
                     ("invoice", .optional(next.invoiceNumber))])
        } ?? .null))
        pairs.append(("periods", .array(details.periods.map { line in
            let p = line.period
            return .object([("reason", .string(p.reason.rawValue)), ("cycle", .string(p.cycle.rawValue)),
                            ("planned_start", .string(p.plannedStart.description)), ("start", .string(p.start.description)),
                            ("end", .string(p.end.description)), ("state", .string(p.state.rawValue)),
                            ("invoice", .optional(line.invoiceNumber)), ("amount", Presenter.money(p.listAmount)),
                            ("credit", Presenter.money(p.credit)), ("paid_on", .optional(p.paidOn?.description))])
        })))
        pairs.append(("history", .array(details.events.map {
            .object([("date", .string($0.date.description)), ("action", .string($0.action)), ("detail", .string($0.detail))])
        })))
        return pairs
    }

    static func text(_ details: Bookings.Details) -> String {
        let b = details.booking
        let period = "\(b.start?.description ?? "-") – \(b.end?.description ?? "open-ended")"
        var lines = ["\(b.productName) (\(b.kind.rawValue)) — \(b.status.rawValue), \(b.cycle.rawValue), \(period)"]
        if let invoice = details.invoice {
            lines.append("  Invoice:  \(invoice.number ?? String(invoice.id)) \(invoice.status.rawValue), total \(invoice.currency.code) \(invoice.total.decimalString), open \(invoice.open.decimalString)")
        }
        if let next = details.nextRenewal {
            lines.append("  Renewal:  period from \(next.periodStart), " + (next.invoiceNumber.map { "invoice \($0)" } ?? "invoiced on \(next.invoiceOn)"))
        }
        if let change = details.change {
            lines.append("  Change:   \(change.productName) \(change.cycle.rawValue) \(change.status.rawValue) from \(change.start?.description ?? "-")")
        }
        let later = details.periods.filter { $0.period.state == .paid && $0.period.start > (b.end ?? $0.period.start) }
        for line in later { lines.append("  Paid ahead: \(line.period.start) – \(line.period.end) (invoice \(line.invoiceNumber ?? "-"))") }
        if !details.events.isEmpty {
            lines.append("  History:")
            for event in details.events { lines.append("    \(event.date)  \(event.action.padding(18))\(event.detail)") }
        }
        return lines.joined(separator: "\n")
    }
}
