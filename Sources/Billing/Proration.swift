/// Crediting the unused part of a paid period, by the days actually in that period.
public enum Proration: Sendable {
    /// credit = paid amount × unused days / days in period, half-up, where the unused days are
    /// those from `day` (inclusive) to the period's end. Zero when the period is over; the whole
    /// amount when it has not started.
    public static func credit(paid: Money, periodStart: Day, periodEnd: Day, from day: Day) -> Money {
        let total = periodStart.days(until: periodEnd) + 1
        guard total > 0, paid.minorUnits > 0 else { return .zero(paid.currency) }
        let first = max(day, periodStart)
        let unused = min(total, max(0, first.days(until: periodEnd) + 1))
        let minor = divideRoundingHalfUp(Int128(paid.minorUnits) * Int128(unused), Int128(total))
        return Money(minorUnits: Int64(minor), currency: paid.currency)
    }

    /// The net part of a gross amount at `rate`: amount × 100 / (100 + rate), half-up.
    public static func net(ofGross amount: Money, rate: Percentage) -> Money {
        let minor = divideRoundingHalfUp(Int128(amount.minorUnits) * 10_000, 10_000 + rate.basisPoints)
        return Money(minorUnits: Int64(minor), currency: amount.currency)
    }

    /// The gross of a net amount at `rate`: amount × (100 + rate) / 100, half-up.
    public static func gross(ofNet amount: Money, rate: Percentage) -> Money {
        let minor = divideRoundingHalfUp(Int128(amount.minorUnits) * (10_000 + rate.basisPoints), 10_000)
        return Money(minorUnits: Int64(minor), currency: amount.currency)
    }
}
