import Billing
import Store

extension Bookings {
    /// Everything `plan show` and `module list` print about a booking.
    public struct Details: Sendable {
        public struct PeriodLine: Sendable {
            public var period: BookingPeriod
            public var invoiceNumber: String?
        }

        public var booking: Booking
        /// Number of the invoice paying for the booking (for a pending one: awaiting payment).
        public var invoiceNumber: String?
        /// The paying invoice's status, total and open amount.
        public var invoice: InvoiceSummary?
        /// For a running recurring booking: the day its renewal is (or was) invoiced and when that period starts.
        public var nextRenewal: (invoiceOn: Day, periodStart: Day, invoiceNumber: String?)?
        public var periods: [PeriodLine]
        public var events: [BookingEvent]
        /// A pending or scheduled change that will replace this booking.
        public var change: Booking?
        /// For a running booking whose current period is not paid yet: open (before its due date) or past
        /// due (within `grace_days`); with the last day it stays usable unpaid.
        public var renewal: (state: RenewalState, due: Day, usableUntil: Day)?
        /// Upgrade credit corrections waiting for the customer's next invoice.
        public var owedOnNextInvoice: [Money] = []
        /// The day the details were taken for.
        public var today: Day?
        /// For a lapsed booking: the last day its unpaid invoice can be paid (due date + `grace_days`).
        public var payableUntil: Day?
    }

    /// The booking as it stands on `today`, whether or not `invoice run` has been run since its period
    /// ended (`plan show` tells what is true today): a running booking whose period is over is in the
    /// next period if that one is paid (or, renewing, invoiced); a cancelled one with nothing paid after
    /// is expired. Nothing is stored: the next run records the same.
    static func asOf(_ today: Day, _ booking: Booking, periods: [BookingPeriod]) -> Booking {
        guard booking.status == .active || booking.status == .cancelled, var end = booking.end, end < today else { return booking }
        var result = booking
        while end < today,
              let next = periods.filter({ $0.state != .void && $0.plannedStart > end }).min(by: { $0.plannedStart < $1.plannedStart }),
              next.start <= today,
              next.state == .paid || result.status == .active {
            result.start = next.start
            result.end = next.end
            result.cycle = next.cycle
            result.invoiceID = next.invoiceID
            end = next.end
        }
        if end < today, result.status == .cancelled { result.status = .expired }
        return result
    }

    /// History in the order things happened (a run catching up records steps dated in the past after
    /// later ones; a backdated payment is dated when the money moved), same-day lines as recorded.
    static func inDateOrder(_ events: [BookingEvent]) -> [BookingEvent] {
        events.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    public func details(of stored: Booking, today: Day? = nil) throws -> Details {
        try store.read {
            let op = try store.loadOperator()
            let storedPeriods = try store.periods(bookingID: stored.id)
            var booking = today.map { Bookings.asOf($0, stored, periods: storedPeriods) } ?? stored
            let periods = try storedPeriods.map {
                Details.PeriodLine(period: $0, invoiceNumber: try store.invoiceNumber(id: $0.invoiceID))
            }
            var summary: InvoiceSummary?
            if let id = booking.invoiceID {
                try store.forEachInvoice(InvoiceFilter(numbers: [String(id)], limit: 1)) { if $0.id == id { summary = $0 } }
            }
            let change = try store.successors(of: booking.id).first { $0.status == .pending || $0.status == .scheduled }
            var next: (Day, Day, String?)?
            if booking.cycle.isRecurring, booking.status == .active, change?.status != .scheduled, let end = booking.end {
                let start = RenewalPlan.renewalStart(after: end)
                let invoiced = periods.first { $0.period.plannedStart == start && $0.period.state != .void }
                next = (RenewalPlan.renewalDue(periodEnd: end, leadDays: op.renewalLeadDays), start, invoiced?.invoiceNumber)
            }
            var renewal: (RenewalState, Day, Day)?
            var payableUntil: Day?
            if booking.status == .active || booking.status == .cancelled || booking.status == .lapsed, let summary,
               summary.status == .open || summary.status == .partiallyPaid, let due = summary.dueDate {
                let last = RenewalPlan.lastGraceDay(dueDate: due, graceDays: op.graceDays)
                if booking.status == .lapsed {
                    renewal = nil
                    payableUntil = last
                } else if let state = RenewalState.of(dueDate: due, graceDays: op.graceDays, on: today ?? due),
                          booking.end.map({ $0 >= (today ?? due) }) ?? true {
                    renewal = (state, due, min(last, booking.end ?? last))
                } else if booking.status == .active {
                    // Past due date + grace (or past its own end) with no run since: lapsed today.
                    booking.status = .lapsed
                    payableUntil = last
                }
            }
            let owed = try store.openBookingAdjustments(customerID: booking.customerID)
                .filter { $0.bookingID == booking.id }.map(\.amount)
            return Details(booking: booking, invoiceNumber: try booking.invoiceID.flatMap { try store.invoiceNumber(id: $0) },
                           invoice: summary, nextRenewal: next, periods: periods,
                           events: Bookings.inDateOrder(try store.bookingEvents(bookingID: booking.id)), change: change,
                           renewal: renewal, owedOnNextInvoice: owed, today: today, payableUntil: payableUntil)
        }
    }

    /// The customer's plan to show: the current one, or else the most recent.
    public func planToShow(customerReference: String) throws -> Booking {
        let customer = try store.customer(reference: customerReference)
        let slot = try store.bookings(customerID: customer.id, kind: .plan)
        guard let booking = Bookings.current(in: slot) ?? slot.last else {
            throw WorkflowError("\(customer.company) has no plan; book one with: invoice plan \(customer.id) activate PLAN --trial|--free|--monthly|--yearly")
        }
        return booking
    }

    /// The customer's module bookings to list: per module the current one (or the most recent), then
    /// any change waiting to replace it. With `history`, every booking.
    public func modulesToList(customerReference: String, history: Bool) throws -> [Booking] {
        let customer = try store.customer(reference: customerReference)
        let all = try store.bookings(customerID: customer.id, kind: .module)
        if history { return all }
        var result: [Booking] = []
        var seen = Set<Int64>()
        for booking in all where !seen.contains(booking.productID) {
            seen.insert(booking.productID)
            let slot = all.filter { $0.productID == booking.productID }
            guard let shown = Bookings.current(in: slot) ?? slot.last else { continue }
            result.append(shown)
            result += slot.filter { $0.replacesID == shown.id && ($0.status == .pending || $0.status == .scheduled) }
        }
        return result
    }

    /// The module booking `module CUSTOMER show MODULE` prints.
    public func moduleToShow(customerReference: String, moduleReference: String) throws -> Booking {
        let customer = try store.customer(reference: customerReference)
        let product = try store.product(.module, reference: moduleReference)
        let slot = try store.bookings(customerID: customer.id, kind: .module, productID: product.id)
        guard let booking = Bookings.current(in: slot) ?? slot.last else {
            throw WorkflowError("\(customer.company) has never booked the module \(product.name)")
        }
        return booking
    }
}
