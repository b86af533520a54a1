import Billing
import Store

/// The one place that turns "an invoice became paid" into its consequences, inside the transaction
/// that recorded the payment: bookings it pays for are activated exactly once.
///
/// Exactly once: each invoiced period moves `invoiced` → `paid` with a conditional update
/// (`markPeriodPaid` changes one row or none), inside the payment's transaction; a paid period is
/// unique per (booking, start). Whoever calls — `Invoicing.pay`, a webhook, the catch-up pass of
/// `invoice run` — a second call finds nothing left to activate.
public struct PaidStatusWatcher {
    let store: Store
    /// Where receipts are queued; nil only for callers that send no mail (benchmarks, some tests).
    let outbox: Outbox?
    /// Set: receipts are not written now but remembered as pending with this reason (a full disk).
    var receiptDeferral: String?

    public init(store: Store, outbox: Outbox? = nil) {
        self.store = store
        self.outbox = outbox
    }

    /// Called by `Invoicing` in the transaction that made the invoice paid (`day` the payment's date,
    /// `recordedOn` the day it is recorded).
    ///
    /// Paying the overdue invoice of a booking whose period ended unpaid (lapsed) renews it at once, in
    /// this transaction (SPEC §5): a booking paid for a printed period (a renewal, a scheduled change) is
    /// brought up to the recording day as `invoice run` would (a renewal held while it was unpaid is
    /// invoiced, a period that began is entered), so access never waits for the next run.
    func invoiceBecamePaid(_ invoice: Invoice, on day: Day, recordedOn: Day? = nil) throws {
        try store.write {
            try EventLog(store: store).invoice(.invoicePaid, id: invoice.id, today: recordedOn ?? day)
            var printed: [Int64] = []
            for period in try store.periods(invoiceID: invoice.id) where period.state == .invoiced {
                if try activate(period, paidOn: day), !period.startsOnPayment { printed.append(period.bookingID) }
            }
            let today = max(recordedOn ?? day, try store.lastRunDay() ?? day)
            for id in printed {
                guard try store.booking(id: id).status == .active else { continue }
                var summary = ScheduledRun.Summary(date: today)
                // Never at the payment's expense (money is never refused): a step that cannot be made now
                // (an invoice date the numbering refuses) rolls back alone, and the next run makes it.
                do {
                    try store.isolated {
                        try ScheduledRun(store: store, outbox: outbox).bringUpToDate(bookingID: id, today: today, op: try store.loadOperator(),
                                                                                     summary: &summary)
                    }
                } catch {
                    try store.logBookingEvent(bookingID: id, date: today, action: "renewal deferred", detail: "\(error); the next invoice run makes it")
                }
            }
            try queueReceipt(for: invoice, on: day)
        }
    }

    /// Called by `Invoicing` in the transaction that cancelled the invoice (credited it in full): its
    /// unpaid periods are void, and a booking waiting for it gives up (pending → expired; an active
    /// booking whose renewal was cancelled → cancelled, so it ends with its paid period; a scheduled
    /// change → expired). With `paidPeriodsEnd` (a paid invoice credited in full, all of it back to the
    /// customer) the periods it paid are no longer paid (`Bookings.creditedPeriodRule`): a period running
    /// today ends today (access stops, the booking expires, nothing renews); a paid period not yet begun is
    /// void and the booking ends with its current period. Returns what happened to access, for the output.
    @discardableResult
    func invoiceWasCancelled(_ invoice: Invoice, on day: Day, paidPeriodsEnd: Bool = false) throws -> [String] {
        try store.write {
            try EventLog(store: store).invoice(.invoiceCancelled, id: invoice.id, today: day)
            var changes: [String] = []
            let number = invoice.number ?? String(invoice.id)
            if paidPeriodsEnd {
                for period in try store.periods(invoiceID: invoice.id) where period.state == .paid {
                    var booking = try store.booking(id: period.bookingID)
                    guard !booking.status.isHistory else { continue }
                    let name = booking.displayName
                    let running = booking.invoiceID == invoice.id || (booking.start == period.start && booking.end == period.end)
                    guard period.start > day || running, try store.voidPaidPeriod(id: period.id) else { continue }
                    if period.start > day {
                        // Paid ahead, not begun: the booking ends with the period it is in.
                        if booking.status == .active { booking.status = .cancelled }
                        try store.updateBooking(booking)
                        let detail = "invoice \(number) credited in full: period \(period.start) – \(period.end) is void; the booking ends \(booking.end?.description ?? "-") and does not renew"
                        try store.logBookingEvent(bookingID: booking.id, date: day, action: "invoice credited", detail: detail)
                        changes.append("\(name): \(detail)")
                    } else {
                        // The period it is in: credited in full, it is not paid any more; access ends today.
                        booking.status = .expired
                        booking.end = max(booking.start ?? day, day)
                        try store.updateBooking(booking)
                        let detail = "invoice \(number) credited in full: period \(period.start) – \(period.end) is no longer paid; access ends today (\(day)), nothing renews"
                        try store.logBookingEvent(bookingID: booking.id, date: day, action: "invoice credited", detail: detail)
                        changes.append("\(name): \(detail)")
                    }
                }
            }
            for period in try store.periods(invoiceID: invoice.id) where period.state == .invoiced {
                guard try store.voidPeriod(id: period.id) else { continue }
                var booking = try store.booking(id: period.bookingID)
                let number = invoice.number ?? String(invoice.id)
                var detail = "invoice \(number) cancelled; period \(period.plannedStart) – \(period.end) will not be paid"
                switch booking.status {
                case .pending, .scheduled:
                    booking.status = .expired
                    detail += "; booking expired (nothing was active from it)"
                    if let start = booking.start, start > day {
                        booking.start = nil
                        booking.end = nil
                    } else {
                        booking.end = day
                    }
                case .active, .cancelled, .lapsed:
                    if booking.invoiceID == invoice.id {
                        // The period the booking is in was not paid and will not be: access ends today.
                        booking.status = .expired
                        if let start = booking.start { booking.end = max(start, min(booking.end ?? day, day)) }
                        detail += "; the booking ends \(booking.end?.description ?? "-")"
                    } else if booking.status == .active, period.reason == .renewal {
                        // A scheduled change follows instead of the renewal: the booking stays active to its end.
                        if try store.successors(of: booking.id).contains(where: { $0.status == .scheduled }) { break }
                        booking.status = .cancelled
                        detail += "; booking will not renew and ends \(booking.end?.description ?? "-")"
                    }
                default: break
                }
                try store.updateBooking(booking)
                try store.logBookingEvent(bookingID: booking.id, date: day, action: "invoice cancelled", detail: detail)
            }
            return changes
        }
    }

    /// Activates what paid invoices pay for when the payment's own transaction did not (a crash between
    /// versions, data imported from elsewhere). Returns how many periods it activated.
    public func catchUp() throws -> Int {
        try store.write {
            var count = 0
            for (period, paidOn) in try store.periodsAwaitingActivation() where try activate(period, paidOn: paidOn) {
                count += 1
            }
            return count
        }
    }

    /// Marks one period paid with its final dates and activates what it pays for, whatever the date of
    /// the payment (SPEC §1): activation happens when the payment is recorded.
    /// - A period "from the day of payment" (a first period, an upgrade) starts on the payment day, or on
    ///   the day it was invoiced if the money moved earlier; its booking is active at once (from that day)
    ///   and the booking it replaces ends the day before. An upgrade's credit is recomputed for that day.
    /// - A printed period (a renewal, a scheduled change) keeps its printed dates: paid ahead it is rolled
    ///   in by `invoice run` on its first day; paid while the booking is in it (renewal open, past due or
    ///   lapsed) the booking is active for the rest of it.
    /// Returns false if it had been activated already.
    @discardableResult
    func activate(_ period: BookingPeriod, paidOn: Day) throws -> Bool {
        try store.write {
            var booking = try store.booking(id: period.bookingID)
            let start: Day, end: Day
            if period.startsOnPayment {
                start = RenewalPlan.actualStart(planned: period.plannedStart, paidOn: paidOn)
                end = RenewalPlan.periodEnd(start: start, cycle: period.cycle, anchorDay: start.dayOfMonth)
            } else {
                start = period.plannedStart
                end = period.end
            }
            guard try store.markPeriodPaid(id: period.id, start: start, end: end, paidOn: paidOn) else { return false }
            let number = try store.invoiceNumber(id: period.invoiceID) ?? String(period.invoiceID)
            try store.logBookingEvent(bookingID: booking.id, date: paidOn, action: "paid",
                                      detail: "invoice \(number) paid; period \(start) – \(end)")
            // An upgrade credit beyond the new price: credit notes on what paid the replaced booking (gross).
            let replacedNow = try booking.replacesID.map { try store.booking(id: $0) }
            func giveBackCarried() throws {
                guard period.carriedCredit.minorUnits > 0 else { return }
                if let replacedNow {
                    try creditUnused(period.carriedCredit, inGross: booking.price?.isGross ?? false, of: replacedNow, from: start,
                                     paidOn: paidOn, upgradeInvoice: number)
                } else {
                    try store.addCredit(customerID: booking.customerID, amount: period.carriedCredit,
                                        reason: "unused part of a replaced booking beyond invoice \(number)",
                                        invoiceID: period.invoiceID, date: paidOn)
                }
            }
            guard !booking.status.isHistory, period.startsOnPayment else {
                try giveBackCarried()
                guard !booking.status.isHistory else { return true }
                // A printed period: reactivate a lapsed booking, or confirm the open renewal it is in.
                if booking.invoiceID == period.invoiceID, booking.status == .lapsed {
                    booking.status = .active
                    try store.updateBooking(booking)
                    try store.logBookingEvent(bookingID: booking.id, date: paidOn, action: "reactivate",
                                              detail: "invoice \(number) paid: active again for the rest of \(start) – \(end)")
                }
                return true
            }
            var replacedNote = ""
            if let replacedID = booking.replacesID {
                let replaced = try store.booking(id: replacedID)
                if !replaced.status.isHistory {
                    if replaced.status == .trial { replacedNote = "trial ended at payment; " }
                    try settleUpgradeCredit(period, booking: booking, replaced: replaced, start: start, number: number, paidOn: paidOn)
                    try Bookings(store: store, outbox: outbox).endNow(replaced, replacedBy: booking, lastDay: start.adding(days: -1), today: paidOn)
                }
            }
            try giveBackCarried()
            booking.status = .active
            booking.cycle = period.cycle
            booking.start = start
            // A one-time module is bought for good: open-ended from the day of payment, never renewed.
            booking.end = period.cycle.isRecurring ? end : nil
            booking.anchorDay = start.dayOfMonth
            booking.invoiceID = period.invoiceID
            try store.updateBooking(booking)
            try store.logBookingEvent(bookingID: booking.id, date: paidOn, action: "activate",
                                      detail: "\(replacedNote)active \(start) – \(booking.end?.description ?? "open-ended"), paid by invoice \(number)")
            return true
        }
    }

    /// Recomputes an upgrade's credit for the day the new booking starts and settles the difference with
    /// the amount on its invoice, never silently: a smaller credit waits for the customer's next invoice
    /// as a line of its own, a larger one becomes customer credit. Both are in the booking's history.
    private func settleUpgradeCredit(_ period: BookingPeriod, booking: Booking, replaced: Booking, start: Day, number: String,
                                     paidOn: Day) throws {
        guard period.reason == .change, let newPrice = booking.price else { return }
        let invoiced = period.credit + period.carriedCredit
        let paidPeriods = try store.periods(bookingID: replaced.id).filter { $0.state == .paid }
        let due = try Bookings.unusedCredit(of: replaced, paidPeriods: paidPeriods, from: start, newPriceIsGross: newPrice.isGross)
        let dueTotal = due.reduce(Money.zero(invoiced.currency)) { $0 + $1.amount }
        let difference = dueTotal - invoiced
        guard !difference.isZero else { return }
        let vatRate = replaced.price?.vatRate ?? newPrice.vatRate
        if difference.minorUnits < 0 {
            let owed = Money(minorUnits: -difference.minorUnits, currency: difference.currency)
            let customer = try store.customer(id: booking.customerID)
            let labels = Bookings(store: store, outbox: outbox).labels(for: customer)
            let title = labels.text("bookingCreditCorrection", [
                "product": labels.product(replaced.productName, kind: replaced.kind), "number": number, "start": labels.date(start)])
            try store.addBookingAdjustment(customerID: booking.customerID, bookingID: booking.id, amount: owed, vatRate: vatRate,
                                           isGross: newPrice.isGross, title: title, on: paidOn)
            try store.logBookingEvent(bookingID: booking.id, date: paidOn, action: "credit corrected",
                                      detail: "upgrade credit on invoice \(number) was \(invoiced.decimalString), due for \(start) on is \(dueTotal.decimalString): \(owed.decimalString) goes on the next invoice")
        } else {
            let notes = try creditUnused(difference, inGross: newPrice.isGross, of: replaced, from: start, paidOn: paidOn,
                                         upgradeInvoice: number)
            try store.logBookingEvent(bookingID: booking.id, date: paidOn, action: "credit corrected",
                                      detail: "upgrade credit on invoice \(number) was \(invoiced.decimalString), due for \(start) on is \(dueTotal.decimalString): \(difference.decimalString) credited"
                                          + (notes.isEmpty ? " to the customer's credit" : " by credit note \(notes.joined(separator: ", "))"))
        }
    }

    /// Queues the payment receipt for `invoice`, inside the payment's transaction, so the queue row
    /// lands with the payment or not at all; keyed by invoice, so a receipt is queued once.
    /// An operator without a sender address gets no receipts (recording the payment must not fail).
    /// A receipt that cannot be queued (an address mail cannot go to, a rendering error) never fails the
    /// payment: its own savepoint rolls back, it is remembered, and `invoice run` tries again.
    func queueReceipt(for invoice: Invoice, on day: Day) throws {
        guard let outbox, try outbox.hasSender(store: store) else { return }
        if let receiptDeferral {
            try store.addPendingReceipt(invoiceID: invoice.id, error: receiptDeferral, on: day)
            return
        }
        do {
            try store.isolated {
                _ = try outbox.queue(.receipt, invoice: invoice, store: store, key: "invoice:\(invoice.id):receipt", today: day,
                                     payment: invoice.payments.last)
            }
        } catch {
            try store.addPendingReceipt(invoiceID: invoice.id, error: "\(error)", on: day)
        }
    }

    /// Queues the receipts that could not be queued when their payment was recorded; returns how many.
    public func retryPendingReceipts(today: Day) throws -> Int {
        guard let outbox, try outbox.hasSender(store: store) else { return 0 }
        var count = 0
        for pending in try store.pendingReceipts() {
            try store.write {
                let invoice = try store.invoice(id: pending.invoiceID)
                do {
                    try store.isolated {
                        _ = try outbox.queue(.receipt, invoice: invoice, store: store, key: "invoice:\(invoice.id):receipt",
                                             today: today, payment: invoice.payments.last)
                    }
                    try store.removePendingReceipt(invoiceID: invoice.id)
                    count += 1
                } catch {
                    try store.addPendingReceipt(invoiceID: invoice.id, error: "\(error)", on: today)
                }
            }
        }
        return count
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension PaidStatusWatcher: Sendable {}
