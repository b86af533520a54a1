import Billing
import Store

extension ScheduledRun {
    /// Performs the earliest step due for `booking` on `today`; false when nothing is due.
    func step(_ booking: Booking, today: Day, op: Operator, summary: inout Summary) throws -> Bool {
        switch booking.status {
        case .expired, .withdrawn:
            return false
        case .free, .trial:
            guard let end = booking.end, end < today else { return false }
            try expire(booking, on: end.adding(days: 1), why: booking.status == .trial ? "trial ended" : "free period ended")
            summary.expired += 1
            return true
        case .scheduled:
            return try stepScheduled(booking, today: today, op: op, summary: &summary)
        case .active, .cancelled:
            return try stepRunning(booking, today: today, op: op, summary: &summary)
        case .lapsed:
            return try stepLapsed(booking, today: today, op: op, summary: &summary)
        case .pending:
            return try stepPending(booking, today: today, op: op, summary: &summary)
        }
    }

    private func stepScheduled(_ booking: Booking, today: Day, op: Operator, summary: inout Summary) throws -> Bool {
        guard let start = booking.start else { return false }
        let period = try store.livePeriod(bookingID: booking.id, plannedStart: start)
        let customer = try store.customer(id: booking.customerID)
        if period == nil && customer.isActive {
            // Invoiced like a renewal: renewal_days before the period it follows ends.
            guard today >= RenewalPlan.renewalDue(periodEnd: start.adding(days: -1), leadDays: op.renewalLeadDays) else {
                return false
            }
            var changed = booking
            let product = try store.product(id: booking.productID)
            let invoice = try bookings.invoicePeriod(of: &changed, product: product, plannedStart: start, reason: .change,
                                                     today: today)
            summary.changesInvoiced += 1
            summary.invoices.append(invoice.number ?? String(invoice.id))
            return true
        }
        guard today >= start else {
            if period == nil { summary.inactiveNotRenewed += 1 }
            return false
        }
        guard let period else {
            // The customer is inactive: the change is not invoiced and does not start.
            var ended = booking
            ended.status = .expired
            ended.start = nil
            ended.end = nil
            try store.updateBooking(ended)
            try store.logBookingEvent(bookingID: booking.id, date: start, action: "expire",
                                      detail: "customer inactive: the scheduled change was not invoiced and does not start")
            summary.expired += 1
            return true
        }
        if let replacedID = booking.replacesID {
            let replaced = try store.booking(id: replacedID)
            if !replaced.status.isHistory {
                try bookings.endNow(replaced, replacedBy: booking, lastDay: start.adding(days: -1), today: start)
            }
        }
        // Like a renewal: the printed period starts on its day, usable while its invoice is open.
        var started = booking
        let number = try store.invoiceNumber(id: period.invoiceID) ?? String(period.invoiceID)
        started.status = .active
        started.start = period.start
        started.end = period.end
        started.invoiceID = period.invoiceID
        try store.updateBooking(started)
        try store.logBookingEvent(bookingID: booking.id, date: start, action: "start",
                                  detail: "scheduled change started: \(period.start) – \(period.end), "
                                      + (period.state == .paid ? "paid by invoice \(number)" : "invoice \(number) open"))
        summary.scheduledStarted += 1
        return true
    }

    /// The steps of a running booking, earliest first: invoice the renewal (`renewal_days` before the end),
    /// lapse (an unpaid period it is in, past due date + `grace_days`), move into the next period (the day
    /// after the end: paid, or with its invoice open) or expire.
    private func stepRunning(_ booking: Booking, today: Day, op: Operator, summary: inout Summary) throws -> Bool {
        guard let end = booking.end else { return false }
        let periods = try store.periods(bookingID: booking.id)
        let nextStart = RenewalPlan.renewalStart(after: end)
        // The next period: contiguous, or (renewed after a late payment) starting later.
        let next = periods.filter { $0.plannedStart >= nextStart && $0.state != .void }.min { $0.plannedStart < $1.plannedStart }
        let lapseDay = try self.lapseDay(periods, end: end, op: op)
        var renewalDay: Day?
        // The next period is invoiced only once the one it follows is paid (lapseDay nil: nothing entered
        // is unpaid), so an unpaid month never renews into the next with that one invoiced on top.
        if next == nil, lapseDay == nil, booking.status == .active, booking.cycle.isRecurring,
           try !store.successors(of: booking.id).contains(where: { $0.status == .scheduled }) {
            renewalDay = RenewalPlan.renewalDue(periodEnd: end, leadDays: op.renewalLeadDays)
        }
        let endDay = nextStart
        // 1. The renewal invoice, once per period (unique planned start); never for an inactive customer.
        if let renewalDay, today >= renewalDay, renewalDay <= (lapseDay ?? renewalDay), renewalDay <= endDay {
            guard try store.customer(id: booking.customerID).isActive else {
                summary.inactiveNotRenewed += 1
                if today >= endDay { return try endPeriod(booking, next: nil, today: today, summary: &summary) }
                return false
            }
            var renewing = booking
            let product = try store.product(id: booking.productID)
            // A period paid only after it ended (the booking lapsed at its end) renews from the day it is
            // invoiced, a full cycle (Stripe restarts the billing cycle of a reactivated subscription): the
            // days without access in between are never billed, and the booking renews on that day of the
            // month from then on.
            var start = nextStart
            if today > nextStart, let paidOn = periods.first(where: { $0.invoiceID == booking.invoiceID && $0.state == .paid })?.paidOn,
               paidOn > end {
                start = today
                renewing.anchorDay = today.dayOfMonth
            }
            let invoice = try bookings.invoicePeriod(of: &renewing, product: product, plannedStart: start, reason: .renewal,
                                                     today: today)
            summary.renewalsInvoiced += 1
            summary.invoices.append(invoice.number ?? String(invoice.id))
            return true
        }
        // 2. An unpaid period it is in, past due date + grace: access stops. The grace never outlasts the
        // period: an active booking whose period ends unpaid lapses then, its invoice payable until due
        // date + grace (paid by then, the booking renews; unpaid, it expires and the invoice is cancelled).
        if let lapseDay, today >= lapseDay, lapseDay <= endDay {
            var lapsed = booking
            lapsed.status = .lapsed
            try store.updateBooking(lapsed)
            try store.logBookingEvent(bookingID: booking.id, date: lapseDay, action: "lapse",
                                      detail: "invoice \(try overdueNumber(periods, end: end)) unpaid past due date + \(op.graceDays) grace days: no access until it is paid")
            summary.lapsed += 1
            return true
        }
        if let lapseDay, lapseDay > endDay, today >= endDay, next == nil, booking.status == .active {
            var lapsed = booking
            lapsed.status = .lapsed
            try store.updateBooking(lapsed)
            try store.logBookingEvent(bookingID: booking.id, date: endDay, action: "lapse",
                                      detail: "period ended with invoice \(try overdueNumber(periods, end: end)) unpaid: no access; paid by \(lapseDay.adding(days: -1)) the booking renews, else it expires")
            summary.lapsed += 1
            return true
        }
        // 3. The period is over: move into the next one, or expire.
        guard today >= endDay else { return false }
        return try endPeriod(booking, next: next, today: today, summary: &summary)
    }

    /// Moves a booking whose period ended into its next period (paid, or invoiced and open: usable until
    /// due date + grace), or expires it.
    private func endPeriod(_ booking: Booking, next: BookingPeriod?, today: Day, summary: inout Summary) throws -> Bool {
        guard let end = booking.end else { return false }
        let nextStart = RenewalPlan.renewalStart(after: end)
        guard let next, booking.status != .lapsed || next.state == .paid else {
            let why: String
            if booking.status == .cancelled {
                why = "cancelled booking ended"
            } else if try !store.customer(id: booking.customerID).isActive {
                why = "period ended; customer inactive, not renewed"
            } else {
                why = "period ended without renewal"
            }
            try expire(booking, on: nextStart, why: why)
            summary.expired += 1
            return true
        }
        var renewed = booking
        // A cancelled booking runs on through periods paid before it was cancelled, still cancelled.
        renewed.status = booking.status == .cancelled && next.state == .paid ? .cancelled : .active
        renewed.start = next.start
        renewed.end = next.end
        renewed.cycle = next.cycle
        renewed.invoiceID = next.invoiceID
        try store.updateBooking(renewed)
        let number = try store.invoiceNumber(id: next.invoiceID) ?? String(next.invoiceID)
        try store.logBookingEvent(bookingID: booking.id, date: next.start, action: "renew",
                                  detail: "period \(next.start) – \(next.end), " + (next.state == .paid ? "paid by invoice \(number)" : "invoice \(number) open: usable until due date + grace"))
        summary.renewed += 1
        return true
    }

    /// The first day a running booking lapses: the day after due date + grace of the earliest unpaid
    /// period it has entered (its start on or before the current period's end); nil when none.
    private func lapseDay(_ periods: [BookingPeriod], end: Day, op: Operator) throws -> Day? {
        var earliest: Day?
        for period in periods where period.state == .invoiced && !period.startsOnPayment && period.plannedStart <= end {
            let invoice = try store.invoice(id: period.invoiceID)
            guard invoice.status == .open || invoice.status == .partiallyPaid, let due = invoice.dueDate else { continue }
            // Never before the period itself has started.
            let day = max(period.plannedStart, RenewalPlan.lastGraceDay(dueDate: due, graceDays: op.graceDays).adding(days: 1))
            earliest = min(earliest ?? day, day)
        }
        return earliest
    }

    /// The number of the invoice of the earliest unpaid period a booking has entered (the overdue one).
    private func overdueNumber(_ periods: [BookingPeriod], end: Day) throws -> String {
        guard let period = periods.filter({ $0.state == .invoiced && !$0.startsOnPayment && $0.plannedStart <= end })
            .min(by: { $0.plannedStart < $1.plannedStart }) else { return "-" }
        return try store.invoiceNumber(id: period.invoiceID) ?? String(period.invoiceID)
    }

    /// A lapsed booking: reactivated once nothing it is in is unpaid (a payment the watcher missed; after
    /// its period, the renewal follows), or within its period once nothing is past grace; when its period
    /// is over and the grace of its unpaid invoice too, that invoice is cancelled and it expires (or moves
    /// into a next period that was paid).
    private func stepLapsed(_ booking: Booking, today: Day, op: Operator, summary: inout Summary) throws -> Bool {
        guard let end = booking.end else { return false }
        let periods = try store.periods(bookingID: booking.id)
        let lapseDay = try self.lapseDay(periods, end: end, op: op)
        let withinGrace = lapseDay.map { $0 > today && today <= end }
        if withinGrace != false {
            var active = booking
            active.status = .active
            try store.updateBooking(active)
            try store.logBookingEvent(bookingID: booking.id, date: today, action: "reactivate",
                                      detail: lapseDay == nil ? "nothing unpaid" : "nothing unpaid past grace")
            summary.paymentsCaughtUp += 1
            return true
        }
        let nextStart = RenewalPlan.renewalStart(after: end)
        // Past its period, the unpaid invoice stays payable to due date + grace.
        guard today >= nextStart, let lapseDay, today >= lapseDay else { return false }
        let endedOn = max(nextStart, lapseDay)
        var cancelled: [String] = []
        for period in periods where period.state == .invoiced && period.plannedStart <= end {
            cancelled += try bookings.cancelInvoice(id: period.invoiceID, today: endedOn)
        }
        var current = try store.booking(id: booking.id)
        if !current.status.isHistory {
            let next = periods.first { $0.plannedStart == nextStart && $0.state == .paid }
            if next == nil {
                for period in periods where period.state == .invoiced && period.plannedStart >= nextStart {
                    cancelled += try bookings.cancelInvoice(id: period.invoiceID, today: endedOn)
                }
                current = try store.booking(id: booking.id)
                if !current.status.isHistory {
                    current.status = .expired
                    current.end = end
                    try store.updateBooking(current)
                }
            } else {
                current.status = .lapsed
                _ = try endPeriod(current, next: next, today: today, summary: &summary)
            }
        }
        try store.logBookingEvent(bookingID: booking.id, date: endedOn, action: "expire",
                                  detail: "lapsed period ended unpaid" + (cancelled.isEmpty ? "" : "; cancelled invoices \(cancelled.joined(separator: ", "))"))
        summary.expired += 1
        return true
    }

    private func stepPending(_ booking: Booking, today: Day, op: Operator, summary: inout Summary) throws -> Bool {
        guard let period = try store.periods(bookingID: booking.id).last(where: { $0.state == .invoiced }) else { return false }
        let invoice = try store.invoice(id: period.invoiceID)
        if invoice.status == .paid {
            let paidOn = invoice.payments.map(\.date).max() ?? today
            try watcher.activate(period, paidOn: paidOn)
            summary.paymentsCaughtUp += 1
            return true
        }
        guard try graceOver(invoiceID: invoice.id, today: today, op: op) else { return false }
        let number = invoice.number ?? String(invoice.id)
        _ = try bookings.cancelInvoice(id: invoice.id, today: today)
        try store.logBookingEvent(bookingID: booking.id, date: today, action: "stop",
                                  detail: "invoice \(number) unpaid past due date + \(op.graceDays) grace days; cancelled")
        summary.stopped += 1
        return true
    }

    private func graceOver(invoiceID: Int64, today: Day, op: Operator) throws -> Bool {
        let invoice = try store.invoice(id: invoiceID)
        guard invoice.status == .open || invoice.status == .partiallyPaid, let due = invoice.dueDate else { return false }
        return RenewalPlan.graceExpired(dueDate: due, graceDays: op.graceDays, on: today)
    }

    private func expire(_ booking: Booking, on day: Day, why: String) throws {
        var expired = booking
        expired.status = .expired
        try store.updateBooking(expired)
        try store.logBookingEvent(bookingID: booking.id, date: day, action: "expire", detail: why)
    }
}
