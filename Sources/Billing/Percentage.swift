/// A percentage between 0 and 100 with at most two decimals: VAT rates and discounts.
public struct Percentage: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: DecimalNumber

    public static let zero = Percentage(unchecked: .zero)

    init(unchecked value: DecimalNumber) { self.value = value }

    public init(_ value: DecimalNumber, field: String) throws {
        guard !value.isNegative, value <= DecimalNumber(100) else {
            throw BillingError("\(field) \(value) must be between 0 and 100")
        }
        guard value.normalized.scale <= 2 else { throw BillingError("\(field) \(value) has more than 2 decimals") }
        self.value = value.normalized
    }

    public init(parsing text: String, field: String) throws {
        let number = try DecimalNumber(parsing: text.hasSuffix("%") ? String(text.dropLast()) : text, maxScale: 2, field: field)
        try self.init(number, field: field)
    }

    /// The rate in hundredths of a percent (8.1 % → 810), exact.
    public var basisPoints: Int128 { value.scaled(to: 2) }

    public var isZero: Bool { value.isZero }

    public var description: String { value.description }

    public static func < (lhs: Percentage, rhs: Percentage) -> Bool { lhs.value < rhs.value }
}
