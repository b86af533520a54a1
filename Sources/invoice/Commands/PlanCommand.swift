import Billing
import Store
import Workflows

/// `invoice plan CUSTOMER …` and `invoice module CUSTOMER …`: the six booking actions, `show` and `list`.
enum PlanCommand {
    static let plan = command(.plan)
    static let module = command(.module)

    private static func command(_ kind: ProductKind) -> Command {
        let product = kind == .plan ? "PLAN" : "MODULE"
        let thing = kind == .plan ? "the customer's plan" : "the module"
        /// Modules name the module after the action; the plan is the customer's one plan.
        let named: [Argument] = kind == .module ? [Argument("MODULE", "the module's name or id")] : []
        let discussion = kind == .plan ? """
            A customer has one current plan. activate:
              --free     now, no invoice, open-ended
              --trial    now, for the catalog's trial days, no invoice; once per customer and plan
              --monthly, --yearly
                         issues an invoice for one period at the catalog price of the day (the booking
                         keeps that price); its line reads "1 month from the day of payment": pending
                         until paid, then active from the payment day (the day it was invoiced if the
                         money moved earlier), whatever the payment's date. Monthly periods keep their
                         day of the month (a start on the 31st renews on the 28th/29th/30th/31st).
            Renewals are invoiced renewal_days before the end for the next period, contiguous; the
            booking stays usable while that invoice is open (renewal open, then past due) up to due date
            + grace_days, then lapses; paying later reactivates the rest of the printed period.
            Paying for a plan during its trial ends the trial on the day of payment (Stripe's rule):
            the remaining trial days are not added.
            Upgrades: a dearer plan or monthly → yearly takes effect on the day its invoice is paid. The
            invoice credits the unused part of the current paid period as of the day it is made; at
            payment the credit is recomputed for the day the new booking starts: a smaller credit is
            added to the customer's next plan or module invoice as a line of its own, a larger one (or
            a credit beyond the new price) is credited back by a credit note on the invoice that paid the
            current period, gross (with its VAT), to the customer's credit; all shown in the history. A cheaper plan or yearly → monthly is
            scheduled for the day after the paid period and invoiced by `invoice run` like a renewal.
            Over a trial or free plan it converts it.
            cancel: no renewal, usable until the end, then expired (revoke undoes it).
            withdraw: ends today (today is the last day used); unpaid invoices are cancelled by credit note
            (never deleted); the unused value of the paid period from tomorrow on is forfeited (recorded,
            not credited); the customer's credit balance is kept (it is their money).
            show --json: the booking object (kind, product, status, cycle, start, end, invoice, periods,
            next_renewal, renewal (open|past_due|null), usable_until, price, next_price, history, change).
            """ : """
            Modules are booked like plans (see invoice plan --help), any number per customer, one
            booking per module. list --json gives the booking objects.
            --onetime books a module's one-time price (catalog add-module --onetime, a setup fee): one
            invoice; paid, the module is active from the day of payment, open-ended; it never renews and
            cannot be cancelled (withdraw ends it).
            """
        return Command(
            name: kind.rawValue,
            summary: kind == .plan ? "the customer's plan: activate, change, cancel, show" : "the customer's modules, booked like plans",
            discussion: discussion,
            arguments: [Argument("CUSTOMER", "the customer's id (or exact company name)")],
            subcommands: [
                Command(name: "activate", summary: "book \(kind == .plan ? "a plan (or change to it)" : "a module")",
                        arguments: [Argument(product, "the \(kind.rawValue)'s name or id")],
                        options: [.flag("--free", "now, no invoice, open-ended"),
                                  .flag("--trial", "now, for the catalog's trial days, no invoice"),
                                  .flag("--monthly", "an invoice for one month; active once it is paid"),
                                  .flag("--yearly", "an invoice for one year; active once it is paid")]
                            + (kind == .module ? [.flag("--onetime", "an invoice for the one-time price (a setup fee); active from payment, never renews")] : [])
                            + [.flag("--no-mail", "never mail its invoice: invoice run skips it (invoice send still can)")],
                        exclusive: [ExclusiveGroup(["--free", "--trial", "--monthly", "--yearly"] + (kind == .module ? ["--onetime"] : []), required: true)],
                        examples: [kind == .plan ? "invoice plan 3 activate Business --monthly"
                                                 : "invoice module 3 activate Zeiterfassung --trial"],
                        run: { try activate(kind, $0, $1) }),
                Command(name: "period", summary: "move the start or end of \(thing)'s current period",
                        arguments: named,
                        options: [.value("--start", "YYYY-MM-DD", "the new start"), .value("--end", "YYYY-MM-DD", "the new end")],
                        run: { try period(kind, $0, $1) }),
                Command(name: "cancel", summary: "no renewal; usable until the period ends", arguments: named,
                        run: { try change(kind, $0, $1) }),
                Command(name: "revoke", summary: "undo a cancel", arguments: named, run: { try change(kind, $0, $1) }),
                Command(name: "withdraw", summary: "end today: unpaid invoices cancelled, unused value forfeited, credit kept", arguments: named,
                        run: { try change(kind, $0, $1) }),
                Command(name: "show", summary: "status, period, paying invoice, next renewal, history", arguments: named,
                        run: { try show(kind, $0, $1) }),
                Command(name: "list", summary: kind == .plan ? "every plan booking, history included" : "the module bookings",
                        options: [.flag("--history", kind == .plan ? "(plan list always includes the history)"
                                                                   : "ended bookings too", aliases: ["--all"])],
                        run: { try list(kind, $0, $1) }),
            ])
    }

    private static func productName(_ kind: ProductKind, _ args: Arguments) throws -> String? {
        kind == .module ? try args.positional("MODULE") : nil
    }

    private static func activate(_ kind: ProductKind, _ args: Arguments, _ context: Context) throws {
        let customer = try args.positional("CUSTOMER")
        let name = try args.positional(kind == .plan ? "PLAN" : "MODULE")
        let chosen = Bookings.Activation.allCases.filter { (kind == .module || $0 != .onetime) && args.flag("--\($0.rawValue)") }
        guard chosen.count == 1, let activation = chosen.first else {
            throw args.usageError("activate needs exactly one of --free, --trial, --monthly, --yearly" + (kind == .module ? ", --onetime" : ""))
        }
        let store = try context.openStore()
        let bookings = Bookings(store: store, outbox: try context.outbox())
        let noMail = args.flag("--no-mail")
        let outcome = try store.write {
            let outcome = try bookings.activate(customerReference: customer, kind: kind, productReference: name,
                                                as: activation, today: context.today)
            if noMail, let invoice = outcome.invoice { try store.setNoMail(invoiceID: invoice.id, true) }
            return outcome
        }
        try emit(outcome, bookings: bookings, context: context)
    }

    private static func period(_ kind: ProductKind, _ args: Arguments, _ context: Context) throws {
        let customer = try args.positional("CUSTOMER")
        let name = try productName(kind, args)
        let start = try args.option("--start").map { try parseDay($0, option: "--start", args: args) }
        let end = try args.option("--end").map { try parseDay($0, option: "--end", args: args) }
        guard start != nil || end != nil else { throw args.usageError("period needs --start D and/or --end D") }
        let store = try context.openStore()
        let bookings = Bookings(store: store, outbox: try context.outbox())
        let outcome = try bookings.editPeriod(customerReference: customer, kind: kind, productReference: name,
                                              start: start, end: end, today: context.today)
        try emit(outcome, bookings: bookings, context: context)
    }

    /// cancel, revoke, withdraw.
    private static func change(_ kind: ProductKind, _ args: Arguments, _ context: Context) throws {
        let customer = try args.positional("CUSTOMER")
        let name = try productName(kind, args)
        let store = try context.openStore()
        let bookings = Bookings(store: store, outbox: try context.outbox())
        let outcome: Bookings.Outcome
        switch args.command.name {
        case "cancel": outcome = try bookings.cancel(customerReference: customer, kind: kind, productReference: name, today: context.today)
        case "revoke": outcome = try bookings.revoke(customerReference: customer, kind: kind, productReference: name, today: context.today)
        default: outcome = try bookings.withdraw(customerReference: customer, kind: kind, productReference: name, today: context.today)
        }
        try emit(outcome, bookings: bookings, context: context)
    }

    private static func show(_ kind: ProductKind, _ args: Arguments, _ context: Context) throws {
        let customer = try args.positional("CUSTOMER")
        let name = try productName(kind, args)
        let store = try context.openStore()
        let bookings = Bookings(store: store, outbox: try context.outbox())
        let booking = try name.map { try bookings.moduleToShow(customerReference: customer, moduleReference: $0) }
            ?? bookings.planToShow(customerReference: customer)
        let details = try bookings.details(of: booking, today: context.today)
        if context.json {
            var pairs = bookingPairs(details)
            pairs.append(("change", try details.change.map { bookingObject(try bookings.details(of: $0, today: context.today)) } ?? .null))
            context.emit(.object(pairs))
        } else {
            context.emit(text(details))
            if let change = details.change { context.emit(text(try bookings.details(of: change, today: context.today))) }
        }
    }

    private static func list(_ kind: ProductKind, _ args: Arguments, _ context: Context) throws {
        let customer = try args.positional("CUSTOMER")
        let history = args.flag("--history")
        let store = try context.openStore()
        let bookings = Bookings(store: store, outbox: try context.outbox())
        let list: [Booking]
        if kind == .module {
            list = try bookings.modulesToList(customerReference: customer, history: history)
        } else {
            let customerID = try store.customer(reference: customer).id
            list = try store.bookings(customerID: customerID, kind: .plan)
        }
        let details = try list.map { try bookings.details(of: $0, today: context.today) }
        if context.json {
            context.emit(.array(details.map(bookingObject)))
        } else if details.isEmpty {
            context.emit("no \(kind.rawValue) bookings")
        } else {
            for detail in details { context.emit(text(detail)) }
        }
    }

    private static func parseDay(_ text: String, option: String, args: Arguments) throws -> Day {
        do { return try Day(parsing: text) } catch { throw args.usageError("\(option): \(error)") }
    }

    private static func emit(_ outcome: Bookings.Outcome, bookings: Bookings, context: Context) throws {
        guard context.json else {
            context.emit(outcome.message)
            return
        }
        let details = try bookings.details(of: outcome.booking, today: context.today)
        context.emit(Presenter.bookingOutcome(outcome, details: details))
    }

    // MARK: Presenting bookings

    static func bookingObject(_ details: Bookings.Details) -> JSON { Presenter.booking(details) }

    static func bookingPairs(_ details: Bookings.Details) -> [(String, JSON)] { Presenter.bookingPairs(details) }

    static func text(_ details: Bookings.Details) -> String {
        var lines = details.glance
        if let invoice = details.invoice, details.booking.status != .pending, details.renewal == nil {
            lines.append("  Invoice:  \(invoice.number ?? String(invoice.id)) \(invoice.status.rawValue), total \(invoice.currency.code) \(invoice.total.decimalString), open \(invoice.open.decimalString)")
        }
        if !details.events.isEmpty {
            lines.append("  History:")
            for event in details.events { lines.append("    \(event.date)  \(event.action.padding(18))\(event.detail)") }
        }
        return lines.joined(separator: "\n")
    }
}
