/// How a booking is paid for: a recurring cycle, or not at all (free, trial), or once.
public enum BookingCycle: String, Sendable, Hashable, Codable, CaseIterable {
    case monthly, yearly, free, trial, onetime

    /// Calendar months one paid period lasts; nil for cycles without periods to renew.
    public var months: Int? {
        switch self {
        case .monthly: 1
        case .yearly: 12
        case .free, .trial, .onetime: nil
        }
    }

    public var isRecurring: Bool { months != nil }

    /// The unit printed on an invoice line for one period.
    public var unit: String {
        switch self {
        case .monthly: "month"
        case .yearly: "year"
        case .onetime: "one-time"
        case .free, .trial: ""
        }
    }
}

/// Where a booking is in its life (see SPEC §1).
public enum BookingStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Activated without charge, open-ended unless an end is set.
    case free
    /// Activated for the catalog's trial days, no invoice.
    case trial
    /// An invoice was made and is not paid yet; nothing is active from it.
    case pending
    /// Paid, or renewed with its renewal invoice open and not past due date + `grace_days`; runs
    /// until the period end, then renews or expires.
    case active
    /// A renewal invoice stayed unpaid past due date + `grace_days`: no access. Paying it reactivates the
    /// rest of the printed period; at the period's end an unpaid lapsed booking expires.
    case lapsed
    /// Paid, will not renew; usable until the period end.
    case cancelled
    /// A downgrade or cycle change waiting for the end of the current period.
    case scheduled
    /// History: ended.
    case expired
    /// History: ended early by the operator.
    case withdrawn

    /// Expired and withdrawn bookings are history: no action applies to them any more.
    public var isHistory: Bool { self == .expired || self == .withdrawn }

    /// Statuses that give the customer the product (within the period).
    public var grantsAccess: Bool { self == .free || self == .trial || self == .active || self == .cancelled }
}

/// A customer's booking of a plan or a module: what is booked, how it is paid, and the current period.
///
/// A plan change is a second booking that `replaces` the current one when it starts (an upgrade when
/// its invoice is paid, a downgrade at the end of the current period).
public struct Booking: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var customerID: Int64
    public var productID: Int64
    public var kind: ProductKind
    public var productName: String
    public var cycle: BookingCycle
    public var status: BookingStatus
    /// First day of the current period (planned, for pending and scheduled bookings).
    public var start: Day?
    /// Last day of the current period, inclusive; nil is open-ended (free).
    public var end: Day?
    /// The invoice paying for the current period (for a pending booking: the one awaiting payment).
    public var invoiceID: Int64?
    /// The booking this one takes over from when it starts (plan and cycle changes).
    public var replacesID: Int64?
    /// The day of the month its periods start on (the first paid period's start day); nil before that.
    public var anchorDay: Int?
    /// The price it was bought at (for recurring cycles): renewals bill this, not the catalog's price.
    public var price: BookingPrice?
    /// A price the operator moved the booking to (`catalog reprice --existing`), billed from the next
    /// renewal on, with a note on that invoice.
    public var nextPrice: Money?

    public init(id: Int64 = 0, customerID: Int64, productID: Int64, kind: ProductKind, productName: String,
                cycle: BookingCycle, status: BookingStatus, start: Day?, end: Day?, invoiceID: Int64? = nil,
                replacesID: Int64? = nil, anchorDay: Int? = nil, price: BookingPrice? = nil, nextPrice: Money? = nil) {
        self.id = id
        self.customerID = customerID
        self.productID = productID
        self.kind = kind
        self.productName = productName
        self.cycle = cycle
        self.status = status
        self.start = start
        self.end = end
        self.invoiceID = invoiceID
        self.replacesID = replacesID
        self.anchorDay = anchorDay
        self.price = price
        self.nextPrice = nextPrice
    }

    /// Whether the customer has the product on `day`: an access-granting status and the day within the period.
    public func grantsAccess(on day: Day) -> Bool {
        guard status.grantsAccess, let start, start <= day else { return false }
        if let end { return day <= end }
        return true
    }

    /// "Business plan", "Zeiterfassung module": how lines and messages name the product.
    public var displayName: String { "\(productName) \(kind.rawValue)" }
}

/// The price of one period of a booking, fixed when it was bought (SPEC §1 "Prices belong to the booking").
public struct BookingPrice: Sendable, Hashable {
    public var amount: Money
    public var vatRate: Percentage
    /// The amount includes VAT (gross) rather than having it added (net).
    public var isGross: Bool

    public init(amount: Money, vatRate: Percentage, isGross: Bool) {
        self.amount = amount
        self.vatRate = vatRate
        self.isGross = isGross
    }

    /// The catalog price of one period of `cycle`, or nil when the catalog has none.
    public init?(_ price: ProductPrice, cycle: BookingCycle) {
        let amount: Money?
        switch cycle {
        case .monthly: amount = price.monthly
        case .yearly: amount = price.yearly
        case .onetime: amount = price.onetime
        case .free, .trial: amount = nil
        }
        guard let amount else { return nil }
        self.init(amount: amount, vatRate: price.vatRate, isGross: price.isGross)
    }
}
