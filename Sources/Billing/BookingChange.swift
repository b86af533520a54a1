/// What activating a paid cycle means when the customer already has the product slot in use.
public enum BookingChange: String, Sendable, Hashable {
    /// Nothing paid is running: the new booking replaces the current one when its invoice is paid, no credit.
    case conversion
    /// A dearer plan, or monthly → yearly: takes effect when paid, the unused paid part is credited.
    case upgrade
    /// A cheaper (or equally priced) plan, or yearly → monthly: scheduled for the day after the current period.
    case downgrade

    /// The price of a product per year in one currency, the basis of "dearer": the monthly price × 12,
    /// or the yearly price when there is no monthly one (monthly-equivalent compared exactly).
    public static func yearlyEquivalent(_ price: ProductPrice?) -> Int128 {
        guard let price else { return 0 }
        if let monthly = price.monthly { return Int128(monthly.minorUnits) * 12 }
        if let yearly = price.yearly { return Int128(yearly.minorUnits) }
        return 0
    }

    /// Classifies a change from a paid booking (`currentPaid`) of one product and cycle to another.
    public static func classify(currentPaid: Bool, sameProduct: Bool, currentCycle: BookingCycle, newCycle: BookingCycle,
                                currentPrice: ProductPrice?, newPrice: ProductPrice?) -> BookingChange {
        guard currentPaid else { return .conversion }
        if sameProduct {
            return currentCycle == .monthly && newCycle == .yearly ? .upgrade : .downgrade
        }
        return yearlyEquivalent(newPrice) > yearlyEquivalent(currentPrice) ? .upgrade : .downgrade
    }
}
