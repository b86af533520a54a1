/// An amount of money: integer minor units of one currency (cents, rappen; yen have none).
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    public static func zero(_ currency: Currency) -> Money { Money(minorUnits: 0, currency: currency) }

    /// Parses `1234.50` exactly; more decimals than the currency has is an error, not a rounding.
    public init(parsing text: String, currency: Currency, field: String = "amount") throws {
        let number = try DecimalNumber(parsing: text, maxScale: currency.exponent, field: field)
        guard let minor = Int64(exactly: number.scaled(to: currency.exponent)) else {
            throw BillingError("\(field) '\(text)' is too large")
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
}
