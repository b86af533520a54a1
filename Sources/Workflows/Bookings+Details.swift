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
    }

    public func details(of booking: Booking, today: Day? = nil) throws -> Details {
        try store.read {
            let op = try store.loadOperator()
            let periods = try store.periods(bookingID: booking.id).map {
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
            if booking.status == .active || booking.status == .cancelled || booking.status == .lapsed, let summary,
               summary.status == .open || summary.status == .partiallyPaid, let due = summary.dueDate {
                let last = RenewalPlan.lastGraceDay(dueDate: due, graceDays: op.graceDays)
                if booking.status == .lapsed {
                    renewal = nil
                } else if let state = RenewalState.of(dueDate: due, graceDays: op.graceDays, on: today ?? due) {
                    renewal = (state, due, last)
                }
            }
            let owed = try store.openBookingAdjustments(customerID: booking.customerID)
                .filter { $0.bookingID == booking.id }.map(\.amount)
            return Details(booking: booking, invoiceNumber: try booking.invoiceID.flatMap { try store.invoiceNumber(id: $0) },
                           invoice: summary, nextRenewal: next, periods: periods,
                           events: try store.bookingEvents(bookingID: booking.id), change: change, renewal: renewal,
                           owedOnNextInvoice: owed, today: today)
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
