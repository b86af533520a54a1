import Billing
import Documents
import Foundation
import Store

/// The six actions on a customer's plan or modules (SPEC §1): activate free, trial or a paid cycle,
/// edit the period, cancel at expiry, revoke, withdraw. Each action is one write transaction.
///
/// A customer has one current plan and one current booking per module. Changing a paid plan or cycle
/// makes a second booking that replaces the current one: an upgrade when its invoice is paid (with the
/// unused paid part credited), a downgrade on the day after the current period (invoiced by the
/// scheduled run like a renewal).
public struct Bookings {
    let store: Store
    let invoicing: Invoicing
    /// The words of plan and module invoice lines per language, read once.
    let labelSets: [Language: DocumentLabels]

    public init(store: Store, outbox: Outbox? = nil) {
        self.store = store
        invoicing = Invoicing(store: store, outbox: outbox)
        labelSets = BookingLabels.sets(outbox: outbox)
    }

    /// The rule for plan changes, as `plan --help`, the README and activation messages state it.
    public static let upgradeRule = """
        An upgrade (a dearer plan, or monthly → yearly) takes effect on the day its invoice is paid. The invoice \
        credits the unused part of the current paid period as of the day it is made; when it is paid, the credit \
        is recomputed for the day the new booking starts: a smaller credit is added to the customer's next plan \
        or module invoice as a line of its own, a larger one — like any credit beyond the new price — is credited \
        back by a credit note on the invoice that paid the current period (gross, reversing its VAT), to the \
        customer's credit. Downgrades and \
        yearly → monthly start the day after the paid period ends and are invoiced like a renewal.
        """

    /// How `activate` books the product.
    public enum Activation: String, Sendable, CaseIterable {
        case free, trial, monthly, yearly
        /// A module's one-time price (a setup fee): invoiced once, active from payment, open-ended.
        case onetime

        var cycle: BookingCycle {
            switch self {
            case .free: .free
            case .trial: .trial
            case .monthly: .monthly
            case .yearly: .yearly
            case .onetime: .onetime
            }
        }
    }

    /// What an action changed: the booking as it now is, and the invoices and credit it touched.
    public struct Outcome: Sendable {
        public var action: String
        /// For activations of a paid cycle over a current booking: conversion, upgrade or downgrade.
        public var change: BookingChange?
        public var booking: Booking
        public var message: String
        /// The invoice the action made.
        public var invoice: Invoice?
        public var cancelledInvoices: [String] = []
        /// Withdraw: the unused value of the withdrawn booking's paid periods, forfeited (recorded, never credited).
        public var forfeited: [Money] = []
    }

    // MARK: Activate

    public func activate(customerReference: String, kind: ProductKind, productReference: String, as activation: Activation,
                         today: Day) throws -> Outcome {
        try store.write {
            let customer = try store.customer(reference: customerReference)
            guard customer.isActive else {
                throw WorkflowError("customer \(customer.id) (\(customer.company)) is inactive; activate it first")
            }
            let product = try store.product(kind, reference: productReference)
            guard product.isActive else {
                throw WorkflowError("the \(kind.rawValue) \(product.name) is inactive in the catalog and cannot be booked")
            }
            let slot = try self.slot(customerID: customer.id, kind: kind, productID: product.id)
            let current = Bookings.current(in: slot)
            switch activation {
            case .free: return try activateFree(customer: customer, product: product, current: current, today: today)
            case .trial: return try activateTrial(customer: customer, product: product, current: current, today: today)
            case .monthly, .yearly:
                return try activatePaid(customer: customer, product: product, cycle: activation.cycle, current: current,
                                        slot: slot, today: today)
            case .onetime: return try activateOnetime(customer: customer, product: product, current: current, today: today)
            }
        }
    }

    private func activateFree(customer: Customer, product: Product, current: Booking?, today: Day) throws -> Outcome {
        if let current, current.productID == product.id, current.status == .free {
            throw WorkflowError("\(current.displayName) is already free for \(customer.company)")
        }
        var booking = try store.insertBooking(Booking(
            customerID: customer.id, productID: product.id, kind: product.kind, productName: product.name, cycle: .free,
            status: .free, start: today, end: nil, replacesID: current?.id))
        var cancelled: [String] = []
        var message = "\(booking.displayName) is free for \(customer.company) from \(today), open-ended"
        if let current {
            cancelled = try endNow(current, replacedBy: booking, lastDay: today.adding(days: -1), today: today)
            message += "; it replaces \(current.displayName) (\(current.status.rawValue)) without refund"
        }
        booking = try store.booking(id: booking.id)
        try store.logBookingEvent(bookingID: booking.id, date: today, action: "activate", detail: "free, open-ended")
        return Outcome(action: "activate", change: nil, booking: booking, message: message, cancelledInvoices: cancelled)
    }

    private func activateTrial(customer: Customer, product: Product, current: Booking?, today: Day) throws -> Outcome {
        guard product.trialDays > 0 else {
            throw WorkflowError("the \(product.kind.rawValue) \(product.name) has no trial (trial days 0 in the catalog)")
        }
        if let current {
            let what = current.productID == product.id ? current.displayName : "the \(current.displayName)"
            throw WorkflowError("\(customer.company) already has \(what) (\(current.status.rawValue)); a trial is for a \(product.kind.rawValue) not yet running")
        }
        guard try store.recordTrial(customerID: customer.id, productID: product.id, date: today) else {
            let since = try store.trialStarted(customerID: customer.id, productID: product.id)
            throw WorkflowError("\(customer.company) already had the trial of \(product.name)\(since.map { " (started \($0))" } ?? ""); a trial is given once per customer and product")
        }
        let end = RenewalPlan.trialEnd(start: today, days: product.trialDays)
        let booking = try store.insertBooking(Booking(
            customerID: customer.id, productID: product.id, kind: product.kind, productName: product.name, cycle: .trial,
            status: .trial, start: today, end: end))
        try store.logBookingEvent(bookingID: booking.id, date: today, action: "activate",
                                  detail: "trial of \(product.trialDays) days, \(today) – \(end)")
        return Outcome(action: "activate", change: nil, booking: booking,
                       message: "\(booking.displayName) trial for \(customer.company): \(today) – \(end) (\(product.trialDays) days), no invoice")
    }

    /// A module bought once (its catalog `--onetime` price, a setup fee): one invoice, pending until it
    /// is paid, then active from the day of payment with no end; nothing renews. Booked once per customer
    /// while the booking lasts (withdraw ends it).
    private func activateOnetime(customer: Customer, product: Product, current: Booking?, today: Day) throws -> Outcome {
        guard product.kind == .module else {
            throw WorkflowError("a plan has no one-time price; book it --monthly or --yearly")
        }
        _ = try Bookings.price(of: product, cycle: .onetime, currency: customer.currency)
        if let current {
            throw WorkflowError("\(customer.company) already has the \(current.displayName) (\(current.status.rawValue)); a one-time module is booked once")
        }
        var booking = try store.insertBooking(newBooking(customer: customer, product: product, cycle: .onetime, today: today))
        let invoice = try invoicePeriod(of: &booking, product: product, plannedStart: today, reason: .initial,
                                        startsOnPayment: true, today: today)
        let state = booking.status == .active
            ? "paid at once (customer credit): active from \(booking.start?.description ?? "-"), open-ended"
            : "the booking is pending until it is paid, then active from the day of payment, open-ended (it never renews)"
        return Outcome(action: "activate", change: nil, booking: booking,
                       message: "\(booking.displayName) one-time for \(customer.company): invoice \(invoice.number ?? "") for \(invoice.totals.payable) made; " + state,
                       invoice: invoice)
    }

    private func activatePaid(customer: Customer, product: Product, cycle: BookingCycle, current: Booking?, slot: [Booking],
                              today: Day) throws -> Outcome {
        guard !product.isFree else {
            throw WorkflowError("the \(product.kind.rawValue) \(product.name) is free; activate it with --free")
        }
        let price = try Bookings.price(of: product, cycle: cycle, currency: customer.currency)
        guard let current else {
            var booking = try store.insertBooking(newBooking(customer: customer, product: product, cycle: cycle, today: today))
            let invoice = try invoicePeriod(of: &booking, product: product, plannedStart: today, reason: .initial,
                                            startsOnPayment: true, today: today)
            return Outcome(action: "activate", change: nil, booking: booking,
                           message: "\(booking.displayName) \(cycle.rawValue) for \(customer.company): invoice \(invoice.number ?? "") for \(invoice.totals.payable) made; "
                               + Bookings.stateAfterInvoice(booking, invoice: invoice, cycle: cycle),
                           invoice: invoice)
        }
        if current.productID == product.id, current.cycle == cycle {
            switch current.status {
            case .active:
                throw WorkflowError("\(current.displayName) is already booked \(cycle.rawValue) and active until \(current.end?.description ?? "-"); nothing to change")
            case .cancelled:
                throw WorkflowError("\(current.displayName) is already booked \(cycle.rawValue) (cancelled, usable until \(current.end?.description ?? "-")); to keep it, revoke the cancellation")
            case .pending:
                let number = try current.invoiceID.flatMap { try store.invoiceNumber(id: $0) } ?? "-"
                throw WorkflowError("\(current.displayName) \(cycle.rawValue) is already pending; invoice \(number) awaits payment")
            default: break
            }
        }
        let paidPeriods = try store.periods(bookingID: current.id).filter { $0.state == .paid }
        let currentIsPaid = (current.status == .active || current.status == .cancelled) && !paidPeriods.isEmpty
        let currentProduct = try store.product(id: current.productID)
        let change = BookingChange.classify(
            currentPaid: currentIsPaid, sameProduct: current.productID == product.id, currentCycle: current.cycle,
            newCycle: cycle, currentPrice: currentProduct.price(in: customer.currency), newPrice: price)
        var cancelled: [String] = []
        // A new change supersedes any change still waiting.
        for waiting in try store.successors(of: current.id) where waiting.status == .pending || waiting.status == .scheduled {
            cancelled += try withdrawBooking(waiting, today: today, reason: "superseded by \(product.name) \(cycle.rawValue)")
        }
        if current.status == .pending && paidPeriods.isEmpty {
            // Nothing was ever paid: the new choice simply replaces the unpaid one.
            cancelled += try withdrawBooking(current, today: today, reason: "superseded by \(product.name) \(cycle.rawValue)")
            var booking = try store.insertBooking(newBooking(customer: customer, product: product, cycle: cycle, today: today))
            let invoice = try invoicePeriod(of: &booking, product: product, plannedStart: today, reason: .initial,
                                            startsOnPayment: true, today: today)
            return Outcome(action: "activate", change: nil, booking: booking,
                           message: "\(booking.displayName) \(cycle.rawValue) replaces the unpaid \(current.displayName) (invoice\(cancelled.count == 1 ? "" : "s") \(cancelled.joined(separator: ", ")) cancelled); invoice \(invoice.number ?? "") for \(invoice.totals.payable) made; "
                               + Bookings.stateAfterInvoice(booking, invoice: invoice, cycle: cycle),
                           invoice: invoice, cancelledInvoices: cancelled)
        }
        switch change {
        case .conversion, .upgrade:
            var booking = try store.insertBooking(newBooking(customer: customer, product: product, cycle: cycle, today: today,
                                                             replaces: current.id))
            let labels = self.labels(for: customer)
            var credits: [CreditLine] = []
            if change == .upgrade {
                credits = try Bookings.unusedCredit(of: current, paidPeriods: paidPeriods, from: today, newPriceIsGross: price.isGross)
                    .map { CreditLine(title: labels.text("bookingCredit", ["product": labels.product(current.productName, kind: current.kind),
                                                                             "start": labels.date($0.from), "end": labels.date($0.to)]),
                                      amount: $0.amount, vatRate: $0.vatRate) }
            }
            let invoice = try invoicePeriod(of: &booking, product: product, plannedStart: today,
                                            reason: change == .upgrade ? .change : .initial, credits: credits,
                                            startsOnPayment: true, today: today)
            let verb = change == .upgrade ? "upgrade" : "change"
            let creditText = credits.isEmpty ? "" : " (including a credit of \(credits.map(\.amount.decimalString).joined(separator: " + ")) for the unused part of \(current.displayName) as of today; recomputed for the day it is paid, any difference goes on the next invoice)"
            let trialText = current.status == .trial ? "; the trial ends when this invoice is paid (its remaining days are not added)" : ""
            let effect = booking.status == .active ? "in effect now (paid)" : "takes effect when paid"
            return Outcome(action: "activate", change: change, booking: booking,
                           message: "\(verb) from \(current.displayName) (\(current.status.rawValue)) to \(booking.displayName) \(cycle.rawValue): invoice \(invoice.number ?? "") for \(invoice.totals.payable)\(creditText); \(effect)" + trialText + Bookings.cancelledText(cancelled),
                           invoice: invoice, cancelledInvoices: cancelled)
        case .downgrade:
            let lastPaidEnd = paidPeriods.map(\.end).max() ?? current.end ?? today
            let start = RenewalPlan.renewalStart(after: lastPaidEnd)
            var scheduled = newBooking(customer: customer, product: product, cycle: cycle, today: start, replaces: current.id)
            scheduled.status = .scheduled
            // The change keeps the day of the month the current booking renews on (Stripe keeps the billing
            // anchor across a scheduled phase change): after a 31st-anchored period ending on the 29th it runs
            // 04-30 – 05-30, not 04-30 – 05-29.
            scheduled.anchorDay = current.anchorDay ?? current.start?.dayOfMonth ?? start.dayOfMonth
            let booking = try store.insertBooking(scheduled)
            // The waiting renewal of the current booking is replaced by the downgrade.
            for period in try store.periods(bookingID: current.id) where period.state == .invoiced && period.plannedStart > lastPaidEnd {
                cancelled += try cancelInvoice(id: period.invoiceID, today: today)
            }
            let op = try store.loadOperator()
            let invoiceOn = max(today, RenewalPlan.renewalDue(periodEnd: lastPaidEnd, leadDays: op.renewalLeadDays))
            try store.logBookingEvent(bookingID: booking.id, date: today, action: "schedule",
                                      detail: "replaces \(current.displayName) \(current.cycle.rawValue) from \(start); invoiced on \(invoiceOn)")
            try store.logBookingEvent(bookingID: current.id, date: today, action: "change scheduled",
                                      detail: "\(booking.displayName) \(cycle.rawValue) from \(start); no renewal")
            return Outcome(action: "activate", change: .downgrade, booking: booking,
                           message: "downgrade from \(current.displayName) \(current.cycle.rawValue) to \(booking.displayName) \(cycle.rawValue) scheduled for \(start) (the day after the paid period ends); invoiced on \(invoiceOn) by invoice run"
                               + Bookings.cancelledText(cancelled),
                           cancelledInvoices: cancelled)
        }
    }

    // MARK: Edit period

    public func editPeriod(customerReference: String, kind: ProductKind, productReference: String?, start: Day?, end: Day?,
                           today: Day) throws -> Outcome {
        try store.write {
            guard start != nil || end != nil else { throw WorkflowError("give --start and/or --end") }
            var booking = try target(customerReference: customerReference, kind: kind, productReference: productReference)
            switch booking.status {
            case .pending: throw WorkflowError("\(booking.displayName) is pending: its period is set when its invoice is paid")
            case .scheduled: throw WorkflowError("\(booking.displayName) is scheduled: it starts when the current period ends")
            default: break
            }
            let newStart = start ?? booking.start ?? today
            let newEnd = end ?? booking.end
            if let newEnd, newEnd < newStart {
                throw WorkflowError("the end \(newEnd) is before the start \(newStart)")
            }
            let periods = try store.periods(bookingID: booking.id)
            if end != nil, let currentEnd = booking.end,
               let later = periods.first(where: { $0.state != .void && $0.plannedStart > currentEnd }) {
                let number = try store.invoiceNumber(id: later.invoiceID) ?? String(later.invoiceID)
                throw WorkflowError("the next period from \(later.plannedStart) is already invoiced (invoice \(number)); cancel that invoice before moving the end")
            }
            if let paid = periods.first(where: { $0.state == .paid && $0.invoiceID == booking.invoiceID }), let newEnd {
                try store.setPeriodDates(id: paid.id, start: newStart, end: newEnd)
            }
            let before = "\(booking.start?.description ?? "-") – \(booking.end?.description ?? "open")"
            var anchorNote = ""
            if let newEnd, newEnd != booking.end, booking.cycle.isRecurring {
                // The next period is a full cycle from the day after the new end (Stripe moves the billing
                // anchor the same way): it renews on that day of the month from now on. An end that falls
                // on the old anchor (03-30 of a 31st booking) keeps it.
                let next = RenewalPlan.renewalStart(after: newEnd)
                if RenewalPlan.anchored(next, anchorDay: booking.anchorDay ?? next.dayOfMonth) != next {
                    booking.anchorDay = next.dayOfMonth
                    anchorNote = "; the next period is a full \(booking.cycle.unit) from \(next)"
                }
            }
            booking.start = newStart
            booking.end = newEnd
            try store.updateBooking(booking)
            let after = "\(newStart) – \(newEnd?.description ?? "open")"
            try store.logBookingEvent(bookingID: booking.id, date: today, action: "period", detail: "\(before) → \(after)\(anchorNote)")
            return Outcome(action: "period", change: nil, booking: booking,
                           message: "\(booking.displayName) period changed from \(before) to \(after)\(anchorNote)")
        }
    }

    // MARK: Cancel, revoke, withdraw

    public func cancel(customerReference: String, kind: ProductKind, productReference: String?, today: Day) throws -> Outcome {
        try store.write {
            var booking = try target(customerReference: customerReference, kind: kind, productReference: productReference)
            guard booking.status == .active else {
                let hint: String
                switch booking.status {
                case .trial: hint = "; a trial ends by itself on \(booking.end?.description ?? "-"), or withdraw it to end it now"
                case .free: hint = "; a free booking has no expiry date, withdraw it to end it"
                case .cancelled: hint = " already; revoke to keep it"
                default: hint = ""
                }
                throw WorkflowError("\(booking.displayName) is \(booking.status.rawValue), not active; only an active booking can be cancelled\(hint)")
            }
            guard booking.cycle.isRecurring else {
                throw WorkflowError("\(booking.displayName) was bought once and never renews: there is nothing to cancel; withdraw it to end it")
            }
            var cancelled: [String] = []
            // The renewal not yet started is cancelled; the current period, even if still unpaid, stays owed.
            for period in try store.periods(bookingID: booking.id)
            where period.state == .invoiced && period.plannedStart > (booking.end ?? today) {
                cancelled += try cancelInvoice(id: period.invoiceID, today: today)
            }
            for waiting in try store.successors(of: booking.id) where waiting.status == .pending || waiting.status == .scheduled {
                cancelled += try withdrawBooking(waiting, today: today, reason: "\(booking.displayName) was cancelled")
            }
            booking = try store.booking(id: booking.id)
            booking.status = .cancelled
            try store.updateBooking(booking)
            // Periods paid ahead are delivered (Stripe's cancel at period end): usable to the end of the last one.
            let until = (try Bookings.paidThrough(booking, periods: store.periods(bookingID: booking.id)) ?? booking.end)?.description ?? "-"
            try store.logBookingEvent(bookingID: booking.id, date: today, action: "cancel",
                                      detail: "no renewal; usable until \(until)" + (cancelled.isEmpty ? "" : "; cancelled invoices \(cancelled.joined(separator: ", "))"))
            return Outcome(action: "cancel", change: nil, booking: booking,
                           message: "\(booking.displayName) cancelled: it will not renew, stays usable until \(until), then expires"
                               + (cancelled.isEmpty ? "" : "; cancelled invoice\(cancelled.count == 1 ? "" : "s") \(cancelled.joined(separator: ", "))"),
                           cancelledInvoices: cancelled)
        }
    }

    public func revoke(customerReference: String, kind: ProductKind, productReference: String?, today: Day) throws -> Outcome {
        try store.write {
            var booking = try target(customerReference: customerReference, kind: kind, productReference: productReference)
            guard booking.status == .cancelled else {
                throw WorkflowError("\(booking.displayName) is \(booking.status.rawValue), not cancelled; there is no cancellation to revoke")
            }
            booking.status = .active
            try store.updateBooking(booking)
            try store.logBookingEvent(bookingID: booking.id, date: today, action: "revoke", detail: "cancellation revoked; renews again")
            return Outcome(action: "revoke", change: nil, booking: booking,
                           message: "\(booking.displayName) is active again and renews after \(booking.end?.description ?? "-")")
        }
    }

    public func withdraw(customerReference: String, kind: ProductKind, productReference: String?, today: Day) throws -> Outcome {
        try store.write {
            let booking = try target(customerReference: customerReference, kind: kind, productReference: productReference)
            var cancelled: [String] = []
            for waiting in try store.successors(of: booking.id) where waiting.status == .pending || waiting.status == .scheduled {
                cancelled += try withdrawBooking(waiting, today: today, reason: "\(booking.displayName) was withdrawn")
            }
            // The unused value of what was paid for this booking is forfeited (SPEC §1 Withdraw): recorded on
            // the booking, never credited. The customer's credit balance is cash on account and is not touched.
            var forfeited: [Money] = []
            for period in try store.periods(bookingID: booking.id) where period.state == .paid && period.end >= today {
                // The booking ends today, so today is used: the unused days start tomorrow (as an upgrade
                // credits from the day the new booking starts, the old one having ended the day before).
                let unused = Proration.credit(paid: period.paidAmount, periodStart: period.start, periodEnd: period.end,
                                              from: today.adding(days: 1))
                if unused.minorUnits > 0 { forfeited.append(unused) }
            }
            cancelled += try withdrawBooking(booking, today: today, reason: "withdrawn by the operator")
            if !forfeited.isEmpty {
                try store.logBookingEvent(bookingID: booking.id, date: today, action: "unused value forfeited",
                                          detail: forfeited.map(\.description).joined(separator: ", ") + " not credited (withdrawn)")
            }
            let result = try store.booking(id: booking.id)
            var message = "\(result.displayName) withdrawn: ended \(today)"
            message += cancelled.isEmpty ? "; no unpaid invoices" : "; cancelled unpaid invoice\(cancelled.count == 1 ? "" : "s") \(cancelled.joined(separator: ", ")) by credit note"
            if !forfeited.isEmpty { message += "; unused value \(forfeited.map(\.description).joined(separator: ", ")) forfeited" }
            message += "; the customer's credit balance is kept"
            return Outcome(action: "withdraw", change: nil, booking: result, message: message, cancelledInvoices: cancelled,
                           forfeited: forfeited)
        }
    }

    /// The last day of the paid periods that follow `booking`'s current period without a gap (its own
    /// end when none is paid ahead); nil for an open-ended booking.
    public static func paidThrough(_ booking: Booking, periods: [BookingPeriod]) -> Day? {
        guard var end = booking.end else { return nil }
        while let next = periods.first(where: { $0.state == .paid && $0.start == end.adding(days: 1) }) { end = next.end }
        return end
    }

    static func cancelledText(_ numbers: [String]) -> String {
        numbers.isEmpty ? "" : "; cancelled invoice\(numbers.count == 1 ? "" : "s") \(numbers.joined(separator: ", "))"
    }

    // MARK: Finding bookings

    /// The bookings of one slot: all plans of the customer, or all bookings of one module.
    func slot(customerID: Int64, kind: ProductKind, productID: Int64) throws -> [Booking] {
        try store.bookings(customerID: customerID, kind: kind, productID: kind == .module ? productID : nil)
    }

    /// The booking in force in a slot: the newest one that is not history and not a change waiting to
    /// replace another.
    public static func current(in slot: [Booking]) -> Booking? {
        let byID = Dictionary(uniqueKeysWithValues: slot.map { ($0.id, $0) })
        return slot.last { booking in
            guard !booking.status.isHistory else { return false }
            if let replaced = booking.replacesID, let old = byID[replaced], !old.status.isHistory,
               booking.status == .pending || booking.status == .scheduled {
                return false
            }
            return true
        }
    }

    /// The booking an action without a product (plan) or with one (module) applies to.
    func target(customerReference: String, kind: ProductKind, productReference: String?) throws -> Booking {
        let customer = try store.customer(reference: customerReference)
        let slot: [Booking]
        let what: String
        if kind == .module {
            guard let productReference else { throw WorkflowError("name the module") }
            let product = try store.product(.module, reference: productReference)
            slot = try store.bookings(customerID: customer.id, kind: .module, productID: product.id)
            what = "the module \(product.name)"
        } else {
            slot = try store.bookings(customerID: customer.id, kind: .plan)
            what = "a plan"
        }
        guard let current = Bookings.current(in: slot) else {
            let last = slot.last.map { " (the last one, \($0.displayName), is \($0.status.rawValue))" } ?? ""
            throw WorkflowError("\(customer.company) has no current booking of \(what)\(last)")
        }
        return current
    }

    // MARK: Building blocks (also used by the watcher and the scheduled run)

    /// The catalog price of a product for a cycle in a currency, or a clear refusal.
    static func price(of product: Product, cycle: BookingCycle, currency: Currency) throws -> ProductPrice {
        guard let price = product.price(in: currency) else {
            throw WorkflowError("the \(product.kind.rawValue) \(product.name) has no price in \(currency.code)")
        }
        let amount: Money?
        switch cycle {
        case .yearly: amount = price.yearly
        case .onetime: amount = price.onetime
        default: amount = price.monthly
        }
        guard amount != nil else {
            throw WorkflowError("the \(product.kind.rawValue) \(product.name) has no \(cycle.rawValue) price in \(currency.code)")
        }
        return price
    }

    /// A new booking of `product` at today's catalog price (the booking keeps it: SPEC §1).
    func newBooking(customer: Customer, product: Product, cycle: BookingCycle, today: Day, replaces: Int64? = nil) -> Booking {
        let price = product.price(in: customer.currency).flatMap { BookingPrice($0, cycle: cycle) }
        return Booking(customerID: customer.id, productID: product.id, kind: product.kind, productName: product.name,
                       cycle: cycle, status: .pending, start: today, end: RenewalPlan.periodEnd(start: today, cycle: cycle),
                       replacesID: replaces, price: price)
    }

    /// How the booking stands after its invoice was made (it may have been paid at once, by credit).
    static func stateAfterInvoice(_ booking: Booking, invoice: Invoice, cycle: BookingCycle) -> String {
        if booking.status == .active {
            return "paid at once (customer credit): active \(booking.start?.description ?? "-") – \(booking.end?.description ?? "-")"
        }
        return "the booking is pending until it is paid, then runs 1 \(cycle.unit) from the day of payment"
    }

    func labels(for customer: Customer) -> BookingLabels {
        BookingLabels(labels: labelSets[customer.language] ?? DocumentLabels(language: customer.language, values: BookingLabels.fallback),
                      currency: customer.currency, country: customer.address.country)
    }

    /// The unused part of a booking's paid periods from `day` on, in the tax mode of the new price.
    static func unusedCredit(of booking: Booking, paidPeriods: [BookingPeriod], from day: Day, newPriceIsGross: Bool) throws
        -> [(from: Day, to: Day, amount: Money, vatRate: Percentage)] {
        guard let oldPrice = booking.price else { return [] }
        var result: [(Day, Day, Money, Percentage)] = []
        for period in paidPeriods {
            var amount = Proration.credit(paid: period.paidAmount, periodStart: period.start, periodEnd: period.end, from: day)
            guard amount.minorUnits > 0 else { continue }
            if oldPrice.isGross && !newPriceIsGross { amount = Proration.net(ofGross: amount, rate: oldPrice.vatRate) }
            if !oldPrice.isGross && newPriceIsGross { amount = Proration.gross(ofNet: amount, rate: oldPrice.vatRate) }
            result.append((max(day, period.start), period.end, amount, oldPrice.vatRate))
        }
        return result
    }

    struct CreditLine {
        var title: String
        var amount: Money
        var vatRate: Percentage
    }

    /// Makes and issues the invoice for one period of `booking` planned to start on `plannedStart`, and
    /// records the period (unique per booking and planned start: a period is never invoiced twice).
    ///
    /// The price is the booking's own (a repriced booking moves to its new price here, with a note on the
    /// line). A period that starts on the day of payment says so instead of dates; every other line prints
    /// its exact period, in the customer's language. Credits become negative lines, capped at the period's
    /// price; any rest goes to the customer's balance when the invoice is paid. Upgrade credit corrections
    /// waiting for this customer are added as lines of their own.
    @discardableResult
    func invoicePeriod(of booking: inout Booking, product: Product, plannedStart: Day, reason: BookingPeriodReason,
                       credits: [CreditLine] = [], startsOnPayment: Bool = false, today: Day) throws -> Invoice {
        let customer = try store.customer(id: booking.customerID)
        guard customer.isActive else {
            throw WorkflowError("customer \(customer.id) (\(customer.company)) is inactive; nothing is invoiced for it")
        }
        let labels = self.labels(for: customer)
        var price: BookingPrice
        if let stored = booking.price, stored.amount.currency == customer.currency {
            price = stored
        } else {
            let catalog = try Bookings.price(of: product, cycle: booking.cycle, currency: customer.currency)
            guard let fromCatalog = BookingPrice(catalog, cycle: booking.cycle) else {
                throw WorkflowError("the \(product.kind.rawValue) \(product.name) has no \(booking.cycle.rawValue) price in \(customer.currency.code)")
            }
            price = fromCatalog
        }
        var note = product.description
        var repriced = false
        if reason == .renewal, let next = booking.nextPrice, next.currency == price.amount.currency {
            let change = labels.text("bookingPriceChanged", ["old": labels.amount(price.amount), "new": labels.amount(next)])
            note = note.isEmpty ? change : note + "\n" + change
            price.amount = next
            booking.nextPrice = nil
            repriced = true
        }
        // A VAT change (law) reaches every period that starts on or after its day, whatever the booking's price.
        if let change = try store.vatChange(productID: product.id, currency: price.amount.currency),
           plannedStart >= change.from, price.vatRate != change.rate {
            let text = labels.text("bookingVATChanged", ["old": "\(price.vatRate)%", "new": "\(change.rate)%", "date": labels.date(change.from)])
            note = note.isEmpty ? text : note + "\n" + text
            price.vatRate = change.rate
        }
        booking.price = price
        let amount = price.amount
        let end = RenewalPlan.periodEnd(start: plannedStart, cycle: booking.cycle, anchorDay: booking.anchorDay)
        let name = labels.product(booking.productName, kind: booking.kind)
        let title = booking.cycle == .onetime
            ? labels.text("bookingOneTime", ["product": name])
            : startsOnPayment
            ? labels.text("bookingFromPayment", ["product": name, "length": labels.length(booking.cycle)])
            : labels.text("bookingPeriod", ["product": name, "start": labels.date(plannedStart), "end": labels.date(end)])
        var lines = [InvoiceLine(title: title, description: note, quantity: DecimalNumber(1), unit: labels.unit(booking.cycle),
                                 unitPrice: amount, vatRate: price.vatRate)]
        var remaining = amount.minorUnits
        var onInvoice: Int64 = 0, carried: Int64 = 0
        for credit in credits {
            let used = min(credit.amount.minorUnits, max(0, remaining))
            remaining -= used
            onInvoice += used
            carried += credit.amount.minorUnits - used
            if used > 0 {
                lines.append(InvoiceLine(title: credit.title, quantity: DecimalNumber(1), unit: "",
                                         unitPrice: Money(minorUnits: -used, currency: customer.currency), vatRate: credit.vatRate))
            }
        }
        let adjustments = try store.openBookingAdjustments(customerID: customer.id).filter { $0.amount.currency == customer.currency }
        for adjustment in adjustments {
            var value = adjustment.amount
            if adjustment.isGross && !price.isGross { value = Proration.net(ofGross: value, rate: adjustment.vatRate) }
            if !adjustment.isGross && price.isGross { value = Proration.gross(ofNet: value, rate: adjustment.vatRate) }
            lines.append(InvoiceLine(title: adjustment.title, quantity: DecimalNumber(1), unit: "", unitPrice: value,
                                     vatRate: adjustment.vatRate))
        }
        let invoiceTitle = reason == .renewal ? labels.text("bookingRenewal", ["product": name]) : name
        let draft = InvoiceDraft(title: invoiceTitle, taxMode: price.isGross ? .gross : .net, lines: lines)
        let created = try invoicing.create(customerReference: String(customer.id), draft, issue: false, today: today)
        try store.settleBookingAdjustments(ids: adjustments.map(\.id), invoiceID: created.id)
        _ = try store.insertPeriod(BookingPeriod(
            bookingID: booking.id, cycle: booking.cycle, reason: reason, plannedStart: plannedStart, start: plannedStart,
            end: end, invoiceID: created.id, listAmount: amount,
            credit: Money(minorUnits: onInvoice, currency: customer.currency),
            carriedCredit: Money(minorUnits: carried, currency: customer.currency), startsOnPayment: startsOnPayment))
        if reason != .renewal { booking.invoiceID = created.id }
        try store.updateBooking(booking)
        let issued = try invoicing.issue(invoiceID: created.id, today: today)
        let what = booking.cycle == .onetime ? "\(reason.rawValue), one-time, active from the day of payment"
            : startsOnPayment ? "\(reason.rawValue), 1 \(booking.cycle.unit) from the day of payment" : "\(reason.rawValue) \(plannedStart) – \(end)"
        try store.logBookingEvent(bookingID: booking.id, date: today, action: "invoice",
                                  detail: "\(what): invoice \(issued.number ?? "") for \(issued.totals.payable)"
                                      + (onInvoice > 0 ? ", credit \(Money(minorUnits: onInvoice, currency: customer.currency).decimalString)" : "")
                                      + (repriced ? ", at the new price \(amount.decimalString) (repriced)" : ""))
        booking = try store.booking(id: booking.id)
        return issued
    }

    /// Cancels an invoice if it is still unpaid; returns its number when it did.
    func cancelInvoice(id: Int64, today: Day) throws -> [String] {
        let invoice = try store.invoice(id: id)
        guard invoice.status == .open || invoice.status == .partiallyPaid else { return [] }
        let cancelled = try invoicing.cancel(reference: String(id), today: today)
        return [cancelled.invoice.number ?? String(id)]
    }

    /// Ends a booking now as withdrawn and cancels its unpaid invoices (never deletes them).
    func withdrawBooking(_ booking: Booking, today: Day, reason: String) throws -> [String] {
        var changed = booking
        let paid = try store.periods(bookingID: booking.id).contains { $0.state == .paid }
        if (booking.status == .pending || booking.status == .scheduled) && !paid {
            // It never started: no period to end (its history says when it was withdrawn).
            changed.start = nil
            changed.end = nil
        } else if let start = booking.start, start > today {
            changed.end = start
        } else {
            changed.end = today
        }
        changed.status = .withdrawn
        try store.updateBooking(changed)
        var cancelled: [String] = []
        for period in try store.periods(bookingID: booking.id) where period.state == .invoiced {
            cancelled += try cancelInvoice(id: period.invoiceID, today: today)
        }
        try store.logBookingEvent(bookingID: booking.id, date: today, action: "withdraw",
                                  detail: reason + (cancelled.isEmpty ? "" : "; cancelled invoices \(cancelled.joined(separator: ", "))"))
        return cancelled
    }

    /// Ends a booking because another one took its place; its last day is `lastDay`.
    @discardableResult
    func endNow(_ old: Booking, replacedBy new: Booking, lastDay: Day, today: Day) throws -> [String] {
        var ended = old
        var cancelled: [String] = []
        if old.status == .pending || old.status == .scheduled {
            return try withdrawBooking(old, today: today, reason: "replaced by \(new.displayName)")
        }
        ended.status = .expired
        if let end = old.end { ended.end = min(end, lastDay) } else { ended.end = lastDay }
        let periods = try store.periods(bookingID: old.id)
        if let start = old.start, let end = ended.end, end < start {
            // Replaced before its current period began: it ends with the last period it was in.
            let last = periods.filter { $0.state == .paid && $0.start <= lastDay }.max { $0.start < $1.start }
            ended.start = last?.start
            ended.end = last.map { min($0.end, lastDay) }
        }
        try store.updateBooking(ended)
        for period in periods where period.state == .invoiced {
            cancelled += try cancelInvoice(id: period.invoiceID, today: today)
        }
        for waiting in try store.successors(of: old.id) where waiting.id != new.id && (waiting.status == .pending || waiting.status == .scheduled) {
            cancelled += try withdrawBooking(waiting, today: today, reason: "\(new.displayName) took effect instead")
        }
        try store.logBookingEvent(bookingID: old.id, date: today, action: "replaced",
                                  detail: "by \(new.displayName) \(new.cycle.rawValue); last day \(ended.end?.description ?? "-")"
                                      + (cancelled.isEmpty ? "" : "; cancelled invoices \(cancelled.joined(separator: ", "))"))
        return cancelled
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Bookings: Sendable {}
