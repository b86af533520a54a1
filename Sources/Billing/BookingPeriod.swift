/// Where an invoiced period is: waiting for payment, paid (it counts), or void (its invoice was cancelled).
public enum BookingPeriodState: String, Sendable, Hashable, Codable {
    case invoiced, paid, void
}

/// Why a period was invoiced.
public enum BookingPeriodReason: String, Sendable, Hashable, Codable {
    /// The first paid period of a booking (also a trial's conversion).
    case initial
    /// The period after the current one, planned to start the day after it ends.
    case renewal
    /// The first period of a plan or cycle change (upgrade, downgrade).
    case change
}

/// One invoiced period of a booking. A renewal or scheduled change is delivered exactly as printed;
/// a period "from the day of payment" (first periods, upgrades) gets its dates when paid.
///
/// `(booking, plannedStart)` is unique among periods that are not void, so a period is never invoiced
/// twice; moving `invoiced` → `paid` happens once, which makes activation exactly-once.
public struct BookingPeriod: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var bookingID: Int64
    public var cycle: BookingCycle
    public var reason: BookingPeriodReason
    public var plannedStart: Day
    public var start: Day
    public var end: Day
    public var invoiceID: Int64
    /// The list price of the period as invoiced (net or gross as the price is).
    public var listAmount: Money
    /// The credit for an unused paid period given on the same invoice (positive number).
    public var credit: Money
    /// Credit beyond the new period's price, moved to the customer's balance when paid.
    public var carriedCredit: Money
    public var state: BookingPeriodState
    public var paidOn: Day?
    /// The period starts on the day it is paid ("1 month from the day of payment": a first period, an
    /// upgrade); otherwise its printed dates are delivered as they are (renewals, scheduled changes).
    public var startsOnPayment: Bool

    public init(id: Int64 = 0, bookingID: Int64, cycle: BookingCycle, reason: BookingPeriodReason, plannedStart: Day,
                start: Day, end: Day, invoiceID: Int64, listAmount: Money, credit: Money, carriedCredit: Money,
                state: BookingPeriodState = .invoiced, paidOn: Day? = nil, startsOnPayment: Bool = false) {
        self.id = id
        self.bookingID = bookingID
        self.cycle = cycle
        self.reason = reason
        self.plannedStart = plannedStart
        self.start = start
        self.end = end
        self.invoiceID = invoiceID
        self.listAmount = listAmount
        self.credit = credit
        self.carriedCredit = carriedCredit
        self.state = state
        self.paidOn = paidOn
        self.startsOnPayment = startsOnPayment
    }

    /// What the customer paid for this period: list price less the credit on its invoice.
    public var paidAmount: Money { listAmount - credit }

    public func contains(_ day: Day) -> Bool { start <= day && day <= end }
}
