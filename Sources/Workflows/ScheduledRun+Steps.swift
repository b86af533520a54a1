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
        case .pending:
            return try stepPending(booking, today: today, op: op, summary: &summary)
        }
    }

    private func stepScheduled(_ booking: Booking, today: Day, op: Operator, summary: inout Summary) throws -> Bool {
        guard let start = booking.start else { return false }
        let period = try store.livePeriod(bookingID: booking.id, plannedStart: start)
        if period == nil {
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
        guard today >= start, let period else { return false }
        if let replacedID = booking.replacesID {
            let replaced = try store.booking(id: replacedID)
            if !replaced.status.isHistory {
                try bookings.endNow(replaced, replacedBy: booking, lastDay: start.adding(days: -1), today: start)
            }
        }
        var started = booking
        let number = try store.invoiceNumber(id: period.invoiceID) ?? String(period.invoiceID)
        if period.state == .paid {
            started.status = .active
            started.start = period.start
            started.end = period.end
            started.invoiceID = period.invoiceID
            try store.updateBooking(started)
            try store.addBookingEvent(bookingID: booking.id, date: start, action: "start",
                                      detail: "scheduled change started: active \(period.start) – \(period.end), paid by invoice \(number)")
        } else {
            started.status = .pending
            started.invoiceID = period.invoiceID
            try store.updateBooking(started)
            try store.addBookingEvent(bookingID: booking.id, date: start, action: "start",
                                      detail: "scheduled change due, invoice \(number) unpaid: pending until paid")
        }
        summary.scheduledStarted += 1
        return true
    }

    private func stepRunning(_ booking: Booking, today: Day, op: Operator, summary: inout Summary) throws -> Bool {
        guard let end = booking.end else { return false }
        let nextStart = RenewalPlan.renewalStart(after: end)
        let next = try store.livePeriod(bookingID: booking.id, plannedStart: nextStart)
        // 1. The renewal invoice, renewal_days before the end: once per period (unique planned start).
        if next == nil, booking.status == .active, booking.cycle.isRecurring,
           today >= RenewalPlan.renewalDue(periodEnd: end, leadDays: op.renewalLeadDays),
           try !store.successors(of: booking.id).contains(where: { $0.status == .scheduled }) {
            var renewing = booking
            let product = try store.product(id: booking.productID)
            let invoice = try bookings.invoicePeriod(of: &renewing, product: product, plannedStart: nextStart, reason: .renewal,
                                                     today: today)
            summary.renewalsInvoiced += 1
            summary.invoices.append(invoice.number ?? String(invoice.id))
            return true
        }
        // 2. A renewal unpaid past its grace while the paid period still runs (short terms): give it up.
        if let next, next.state == .invoiced, today <= end, try graceOver(invoiceID: next.invoiceID, today: today, op: op) {
            _ = try bookings.cancelInvoice(id: next.invoiceID, today: today)
            summary.stopped += 1
            return true
        }
        guard today > end else { return false }
        // 3. The period is over: roll the paid renewal in, wait for the unpaid one, or expire.
        if let next, next.state == .paid {
            var renewed = booking
            renewed.start = next.start
            renewed.end = next.end
            renewed.cycle = next.cycle
            renewed.invoiceID = next.invoiceID
            try store.updateBooking(renewed)
            let number = try store.invoiceNumber(id: next.invoiceID) ?? String(next.invoiceID)
            try store.addBookingEvent(bookingID: booking.id, date: next.start, action: "renew",
                                      detail: "period \(next.start) – \(next.end), paid by invoice \(number)")
            summary.renewed += 1
        } else if let next {
            var lapsed = booking
            lapsed.status = .pending
            try store.updateBooking(lapsed)
            let number = try store.invoiceNumber(id: next.invoiceID) ?? String(next.invoiceID)
            try store.addBookingEvent(bookingID: booking.id, date: nextStart, action: "lapse",
                                      detail: "period ended with renewal invoice \(number) unpaid; not active until it is paid")
            summary.lapsed += 1
        } else {
            try expire(booking, on: nextStart, why: booking.status == .cancelled ? "cancelled booking ended" : "period ended without renewal")
            summary.expired += 1
        }
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
        try store.addBookingEvent(bookingID: booking.id, date: today, action: "stop",
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
        try store.addBookingEvent(bookingID: booking.id, date: day, action: "expire", detail: why)
    }
}
