/// Whether a catalog entry is a plan (one current per customer) or a module (many per customer).
public enum ProductKind: String, Sendable, Hashable, Codable {
    case plan, module
}

/// A plan or module of the catalog.
public struct Product: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var kind: ProductKind
    public var name: String
    public var description: String
    public var trialDays: Int
    public var isFree: Bool
    public var isActive: Bool
    public var prices: [ProductPrice]

    public init(id: Int64, kind: ProductKind, name: String, description: String = "", trialDays: Int = 0,
                isFree: Bool = false, isActive: Bool = true, prices: [ProductPrice] = []) {
        self.id = id
        self.kind = kind
        self.name = name
        self.description = description
        self.trialDays = trialDays
        self.isFree = isFree
        self.isActive = isActive
        self.prices = prices
    }

    public func price(in currency: Currency) -> ProductPrice? { prices.first { $0.currency == currency } }

    public func validated() throws -> Product {
        var copy = self
        copy.name = try TextField.singleLine(name, field: "product name", required: true, maxLength: 120)
        copy.description = try TextField.multiLine(description, field: "description")
        guard (0...3650).contains(trialDays) else { throw BillingError("trial days must be between 0 and 3650") }
        return copy
    }
}

/// The prices of a product in one currency.
public struct ProductPrice: Sendable, Hashable {
    public var currency: Currency
    public var monthly: Money?
    public var yearly: Money?
    public var onetime: Money?
    public var vatRate: Percentage
    /// Prices include VAT (gross) rather than having it added (net).
    public var isGross: Bool

    public init(currency: Currency, monthly: Money?, yearly: Money?, onetime: Money? = nil, vatRate: Percentage, isGross: Bool) {
        self.currency = currency
        self.monthly = monthly
        self.yearly = yearly
        self.onetime = onetime
        self.vatRate = vatRate
        self.isGross = isGross
    }

    public func validated() throws -> ProductPrice {
        for (label, money) in [("monthly", monthly), ("yearly", yearly), ("one-time", onetime)] {
            if let money, money.minorUnits < 0 { throw BillingError("the \(label) price must not be negative") }
        }
        return self
    }
}
