/// One position of an invoice.
public struct InvoiceLine: Sendable, Hashable {
    public var title: String
    public var description: String
    public var quantity: DecimalNumber
    public var unit: String
    /// Net or gross per unit, following the invoice's mode; may be negative for credits.
    public var unitPrice: Money
    public var discount: Percentage
    public var vatRate: Percentage

    public static let maxQuantityDecimals = 4

    public init(title: String, description: String = "", quantity: DecimalNumber, unit: String = "",
                unitPrice: Money, discount: Percentage = .zero, vatRate: Percentage) {
        self.title = title
        self.description = description
        self.quantity = quantity
        self.unit = unit
        self.unitPrice = unitPrice
        self.discount = discount
        self.vatRate = vatRate
    }

    /// round(quantity × unit price × (1 − discount)), half-up to minor units. A validated line's amount is
    /// always representable; an unchecked one beyond the range is clamped (never a trap): see `checkedAmount`.
    public var amount: Money {
        Money(minorUnits: Int64(clamping: amountMinorUnits), currency: unitPrice.currency)
    }

    /// The amount, or the range error when quantity × price cannot be represented.
    public func checkedAmount() throws(BillingError) -> Money {
        try Money.checked(amountMinorUnits, currency: unitPrice.currency,
                          what: "line '\(title)': \(quantity) × \(unitPrice.decimalString)")
    }

    /// In Int128: a validated quantity (< 10⁹, ≤ 4 decimals) × price (< 10¹³ minor units) × 10⁴ stays far inside it.
    var amountMinorUnits: Int128 {
        let q = quantity.scaled(to: quantity.scale)
        let numerator = q * Int128(unitPrice.minorUnits) * (10_000 - discount.basisPoints)
        var denominator: Int128 = 10_000
        for _ in 0..<quantity.scale { denominator *= 10 }
        return divideRoundingHalfUp(numerator, denominator)
    }

    public func validated() throws -> InvoiceLine {
        var copy = self
        copy.title = try TextField.singleLine(title, field: "line title", required: true)
        copy.description = try TextField.multiLine(description, field: "line description")
        copy.unit = try TextField.singleLine(unit, field: "unit", maxLength: 20)
        guard !quantity.isNegative else { throw BillingError("quantity \(quantity) must not be negative") }
        guard quantity.scale <= InvoiceLine.maxQuantityDecimals else {
            throw BillingError("quantity \(quantity) has more than \(InvoiceLine.maxQuantityDecimals) decimals")
        }
        guard quantity < DecimalNumber(1_000_000_000) else { throw BillingError("quantity \(quantity) is too large") }
        guard unitPrice.minorUnits.magnitude < 1_000_000_000_000_000 / 100 else {
            throw BillingError("unit price \(unitPrice.decimalString) is too large")
        }
        _ = try copy.checkedAmount()
        return copy
    }
}

extension InvoiceLine {
    /// Parses the command-line form `TITLE;QUANTITY;UNIT PRICE;VAT RATE[;DISCOUNT %[;UNIT]]`.
    public init(parsing spec: String, currency: Currency) throws {
        let fields = spec.split(separator: ";", omittingEmptySubsequences: false).map(String.init)
        guard (4...6).contains(fields.count) else {
            throw BillingError("line '\(spec)' must be \"TITLE;QUANTITY;UNIT PRICE;VAT RATE[;DISCOUNT %[;UNIT]]\"")
        }
        let quantity = try DecimalNumber(parsing: fields[1], maxScale: InvoiceLine.maxQuantityDecimals, field: "quantity")
        let price = try Money(parsing: fields[2], currency: currency, field: "unit price")
        let vat = try Percentage(parsing: fields[3], field: "VAT rate")
        let discount = fields.count > 4 && !fields[4].trimmingSpaces.isEmpty
            ? try Percentage(parsing: fields[4], field: "discount") : .zero
        let unit = fields.count > 5 ? fields[5] : ""
        self = try InvoiceLine(title: fields[0], quantity: quantity, unit: unit, unitPrice: price,
                               discount: discount, vatRate: vat).validated()
    }
}
