/// An amount of money: integer minor units of one currency (cents, rappen; yen have none).
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Parses `1234.50` exactly; more decimals than the currency has is an error, not a rounding. At most
    /// 17 digits are read (999999999999999.99 with cents), so a single amount typed is far below `largest`;
    /// only sums of many can reach it, and those are checked (`adding`).
    public init(parsing text: String, currency: Currency, field: String = "amount") throws {
        let number = try DecimalNumber(parsing: text, maxScale: currency.exponent, field: field)
        // Int64.min is left out so that every amount can be negated (a refund, a credit) without a trap.
        guard let minor = Int64(exactly: number.scaled(to: currency.exponent)), minor != .min else {
            throw BillingError("\(field) '\(text)' is too large", kind: .outOfRange)
        }
        self.init(minorUnits: minor, currency: currency)
    }

    /// `1234.50`, `-0.05`, `1200` (JPY), `1.250` (KWD): the decimal string of the scripting contract.
    public var decimalString: String { DecimalNumber.format(minorUnits, scale: currency.exponent) }

    public var description: String { "\(currency.code) \(decimalString)" }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.minorUnits < rhs.minorUnits }

    public static func + (lhs: Money, rhs: Money) -> Money {
        Money(minorUnits: lhs.minorUnits + rhs.minorUnits, currency: lhs.currency)
    }

    public static func - (lhs: Money, rhs: Money) -> Money {
        Money(minorUnits: lhs.minorUnits - rhs.minorUnits, currency: lhs.currency)
    }

    public static prefix func - (value: Money) -> Money {
        Money(minorUnits: -value.minorUnits, currency: value.currency)
    }

    public var isZero: Bool { minorUnits == 0 }

    /// The largest amount that can be represented and stored: Int64.max minor units
    /// (92 233 720 368 547 758.07 for a currency with cents). Its negation is the smallest.
    public static func largest(_ currency: Currency) -> Money { Money(minorUnits: .max, currency: currency) }

    /// `self + other`, or an error naming the limit when the sum cannot be represented: the checked
    /// form for every sum that input can reach (payments, credit, totals), where `+` would trap.
    public func adding(_ other: Money) throws(BillingError) -> Money {
        let (sum, overflow) = minorUnits.addingReportingOverflow(other.minorUnits)
        guard !overflow, sum != .min else { throw Money.outOfRange("\(self) + \(other.decimalString)", currency) }
        return Money(minorUnits: sum, currency: currency)
    }

    /// `self − other`, checked like `adding`.
    public func subtracting(_ other: Money) throws(BillingError) -> Money {
        let (difference, overflow) = minorUnits.subtractingReportingOverflow(other.minorUnits)
        guard !overflow, difference != .min else { throw Money.outOfRange("\(self) − \(other.decimalString)", currency) }
        return Money(minorUnits: difference, currency: currency)
    }

    /// The sum of `amounts`, checked at every step (an empty list is zero).
    public static func sum(_ amounts: some Sequence<Money>, currency: Currency) throws(BillingError) -> Money {
        var total = Money.zero(currency)
        for amount in amounts { total = try total.adding(amount) }
        return total
    }

    /// Minor units computed in a wider type (quantity × price, VAT, proration) as Money, or the range error.
    public static func checked(_ minorUnits: Int128, currency: Currency, what: @autoclosure () -> String) throws(BillingError) -> Money {
        guard let minor = Int64(exactly: minorUnits), minor != .min else { throw outOfRange(what(), currency) }
        return Money(minorUnits: minor, currency: currency)
    }

    static func outOfRange(_ what: String, _ currency: Currency) -> BillingError {
        BillingError("\(what) is beyond the largest amount that can be recorded (\(largest(currency)))", kind: .outOfRange)
    }
}
