/// The VAT of one rate: the base it is computed on and the amount, both rounded once.
public struct VATGroup: Sendable, Hashable {
    public let rate: Percentage
    public let base: Money
    public let amount: Money

    public init(rate: Percentage, base: Money, amount: Money) {
        self.rate = rate
        self.base = base
        self.amount = amount
    }
}

/// An invoice's sums, satisfying EN 16931: Σ line nets = net; VAT = Σ per-rate VAT; gross = net + VAT.
///
/// In net mode VAT per rate is round(Σ line nets × rate); in gross mode line amounts include VAT and
/// VAT per rate is round(Σ line grosses × rate / (100 + rate)), the base being the rest. Cash rounding
/// (CHF 0.05) touches only the amount due and is reported as its own `rounding` amount (EN 16931
/// BT-114): it rounds gross − prepaid, so BT-115 due = BT-112 gross − BT-113 prepaid + BT-114 rounding,
/// and `payable` (the "total" of the documents) = gross + rounding. A stated rounding (a credit note
/// reversing an invoice's rounding) is taken as it is.
public struct InvoiceTotals: Sendable, Hashable {
    public let lineAmounts: [Money]
    public let net: Money
    public let vatGroups: [VATGroup]
    public let vat: Money
    public let gross: Money
    public let rounding: Money
    public let payable: Money
    /// Customer credit applied (BT-113).
    public let prepaid: Money
    /// Amount due for payment (BT-115) = gross − prepaid + rounding = payable − prepaid.
    public let due: Money

    public init(_ invoice: Invoice) {
        let currency = invoice.currency
        let amounts = invoice.lines.map(\.amount)
        lineAmounts = amounts
        var sums: [Percentage: Int64] = [:]
        for (line, amount) in zip(invoice.lines, amounts) {
            let rate: Percentage
            if case .exempt = invoice.taxMode { rate = .zero } else { rate = line.vatRate }
            sums[rate, default: 0] += amount.minorUnits
        }
        var groups: [VATGroup] = []
        var net: Int64 = 0, vat: Int64 = 0
        for rate in sums.keys.sorted() {
            let sum = sums[rate] ?? 0
            let tax: Int64
            let base: Int64
            switch invoice.taxMode {
            case .net:
                tax = Int64(divideRoundingHalfUp(Int128(sum) * rate.basisPoints, 10_000))
                base = sum
            case .gross:
                tax = Int64(divideRoundingHalfUp(Int128(sum) * rate.basisPoints, 10_000 + rate.basisPoints))
                base = sum - tax
            case .exempt:
                tax = 0
                base = sum
            }
            groups.append(VATGroup(rate: rate, base: Money(minorUnits: base, currency: currency),
                                   amount: Money(minorUnits: tax, currency: currency)))
            net += base
            vat += tax
        }
        let gross = net + vat
        let increment = max(1, invoice.cashRoundingIncrement)
        let prepaid = invoice.prepaid.minorUnits
        let due: Int64
        if let stated = invoice.statedRounding {
            due = gross + stated.minorUnits - prepaid
        } else {
            due = Int64(divideRoundingHalfUp(Int128(gross - prepaid), Int128(increment))) * increment
        }
        let payable = due + prepaid
        self.prepaid = Money(minorUnits: prepaid, currency: currency)
        self.due = Money(minorUnits: due, currency: currency)
        self.net = Money(minorUnits: net, currency: currency)
        self.vatGroups = groups
        self.vat = Money(minorUnits: vat, currency: currency)
        self.gross = Money(minorUnits: gross, currency: currency)
        self.rounding = Money(minorUnits: payable - gross, currency: currency)
        self.payable = Money(minorUnits: payable, currency: currency)
    }
}
