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

    /// The totals of an invoice whose amounts were checked (`init(checking:)`, as `Invoice.validated` does);
    /// on an unchecked invoice beyond the money range every figure is clamped, never a trap.
    public init(_ invoice: Invoice) {
        self = InvoiceTotals(computing: invoice) { value, _ in Int64(clamping: value) }
    }

    /// The totals, or the range error naming the figure (a line, a VAT amount, the total) that cannot be
    /// represented in Int64 minor units.
    public init(checking invoice: Invoice) throws(BillingError) {
        var failure: BillingError?
        let totals = InvoiceTotals(computing: invoice) { value, what in
            guard failure == nil else { return 0 }
            do throws(BillingError) {
                return try Money.checked(value, currency: invoice.currency, what: what).minorUnits
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        self = totals
    }

    /// Every sum in Int128 (1000 lines of at most 2⁶³ cannot overflow it), each figure converted by `fit`.
    private init(computing invoice: Invoice, fit: (Int128, String) -> Int64) {
        let currency = invoice.currency
        let amounts = invoice.lines.map { line in
            Money(minorUnits: fit(line.amountMinorUnits, "line '\(line.title)': \(line.quantity) × \(line.unitPrice.decimalString)"),
                  currency: currency)
        }
        lineAmounts = amounts
        var sums: [Percentage: Int128] = [:]
        for (line, amount) in zip(invoice.lines, amounts) {
            let rate: Percentage
            if case .exempt = invoice.taxMode { rate = .zero } else { rate = line.vatRate }
            sums[rate, default: 0] += Int128(amount.minorUnits)
        }
        var groups: [VATGroup] = []
        var net: Int128 = 0, vat: Int128 = 0
        for rate in sums.keys.sorted() {
            let sum = sums[rate] ?? 0
            let tax: Int128
            let base: Int128
            switch invoice.taxMode {
            case .net:
                tax = divideRoundingHalfUp(sum * rate.basisPoints, 10_000)
                base = sum
            case .gross:
                tax = divideRoundingHalfUp(sum * rate.basisPoints, 10_000 + rate.basisPoints)
                base = sum - tax
            case .exempt:
                tax = 0
                base = sum
            }
            groups.append(VATGroup(rate: rate, base: Money(minorUnits: fit(base, "the net at \(rate) % VAT"), currency: currency),
                                   amount: Money(minorUnits: fit(tax, "the VAT at \(rate) %"), currency: currency)))
            net += base
            vat += tax
        }
        let gross = net + vat
        let increment = Int128(max(1, invoice.cashRoundingIncrement))
        let prepaid = Int128(invoice.prepaid.minorUnits)
        let due: Int128
        if let stated = invoice.statedRounding {
            due = gross + Int128(stated.minorUnits) - prepaid
        } else {
            due = divideRoundingHalfUp(gross - prepaid, increment) * increment
        }
        let payable = due + prepaid
        self.prepaid = invoice.prepaid
        self.due = Money(minorUnits: fit(due, "the amount due"), currency: currency)
        self.net = Money(minorUnits: fit(net, "the net total"), currency: currency)
        self.vatGroups = groups
        self.vat = Money(minorUnits: fit(vat, "the VAT total"), currency: currency)
        self.gross = Money(minorUnits: fit(gross, "the invoice total"), currency: currency)
        self.rounding = Money(minorUnits: fit(payable - gross, "the cash rounding"), currency: currency)
        self.payable = Money(minorUnits: fit(payable, "the invoice total"), currency: currency)
    }
}
