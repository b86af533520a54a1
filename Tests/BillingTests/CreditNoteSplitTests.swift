import Testing
import TestSupport
@testable import Billing

/// What a credit note credits per VAT rate, to the minor unit: an amount split over the rates by
/// largest remainder, and a full credit note of a cash-rounded invoice copying every VAT group and
/// the rounding. The totals alone cannot tell: a wrong split still adds up to the amount.
struct CreditNoteSplitTests {
    func invoice(_ lines: [(net: Int64, rate: String)], currency: String = "CHF", increment: Int64 = 1) throws -> Invoice {
        let money = try Currency(code: currency)
        var invoice = Invoice(customerID: 1, currency: money, language: .en, taxMode: .net,
                              lines: try lines.map {
                                  InvoiceLine(title: "Line", quantity: DecimalNumber(1),
                                              unitPrice: Money(minorUnits: $0.net, currency: money),
                                              vatRate: try Percentage(parsing: $0.rate, field: "VAT"))
                              },
                              cashRoundingIncrement: increment)
        invoice.number = "INV-1"
        invoice.status = .open
        invoice.issueDate = try Day(parsing: "2026-11-25")
        return invoice
    }

    /// The credit note's gross per rate (its lines are gross lines, one per rate).
    func grossByRate(_ note: Invoice) -> [String: Int64] {
        var result: [String: Int64] = [:]
        for group in note.totals.vatGroups { result[group.rate.description, default: 0] += group.base.minorUnits + group.amount.minorUnits }
        return result
    }

    /// Largest remainder written independently of `CreditNoteBuilder.split`: among the allocations that
    /// round each exact quota `amount × w / Σw` down or up and add up to `amount`, the one closest to the
    /// quotas (Σ |share·Σw − amount·w| smallest); on a tie the lower rate rounds up first.
    static func oracle(_ amount: Int64, weights: [Int64]) -> [Int64] {
        let total = weights.reduce(0, +)
        let floors = weights.map { amount * $0 / total }
        var best: [Int64] = floors, bestDistance = Int64.max, bestRank: [Int] = []
        for mask in 0..<(1 << weights.count) {
            let shares = weights.indices.map { floors[$0] + ((mask >> $0) & 1 == 1 && amount * weights[$0] % total != 0 ? 1 : 0) }
            guard shares.reduce(0, +) == amount else { continue }
            let distance = weights.indices.reduce(Int64(0)) { $0 + abs(shares[$1] * total - amount * weights[$1]) }
            let rank = weights.indices.map { shares[$0] > floors[$0] ? 0 : 1 }  // lexicographically: lower index up first
            if distance < bestDistance || (distance == bestDistance && rank.lexicographicallyPrecedes(bestRank)) {
                best = shares; bestDistance = distance; bestRank = rank
            }
        }
        return best
    }

    // The issue's case: 0.05 over gross 51.30 at 2.6 % and 108.10 at 8.1 % (quotas 1.609 and 3.391) is
    // 0.02 and 0.03; crediting the larger remainder last gives 0.01 and 0.04 (total still 0.05).
    // Mutation: mutants.tsv credit-split-order (largest-remainder order inverted in CreditNoteBuilder.split) → fails.
    @Test func anAmountIsSplitPerRateByLargestRemainderToTheMinorUnit() throws {
        let twoRates = try invoice([(10_000, "8.1"), (5_000, "2.6")])
        let cases: [(Int64, [String: Int64])] = [
            (5, ["2.6": 2, "8.1": 3]),
            (1, ["8.1": 1]),
            (2_860, ["2.6": 920, "8.1": 1_940]),
            (15_939, ["2.6": 5_130, "8.1": 10_809]),
        ]
        for (amount, expected) in cases {
            let note = try CreditNoteBuilder.creditNote(for: twoRates, previous: [], request: .amount(Money(minorUnits: amount, currency: twoRates.currency)),
                                                        reason: "", lineTitle: "Credit")
            #expect(grossByRate(note) == expected, "credit of \(amount)")
            #expect(note.totals.payable.minorUnits == amount)
        }
        // Three rates (gross 10.00, 6.16 and 4.32), judged by the oracle.
        let three = try invoice([(1_000, "0"), (600, "2.6"), (400, "8.1")])
        let groups = three.totals.vatGroups.sorted { $0.rate < $1.rate }
        for amount: Int64 in [1, 2, 7, 13, 1_001] {
            let note = try CreditNoteBuilder.creditNote(for: three, previous: [], request: .amount(Money(minorUnits: amount, currency: three.currency)),
                                                        reason: "", lineTitle: "Credit")
            let oracle = Self.oracle(amount, weights: groups.map { $0.base.minorUnits + $0.amount.minorUnits })
            #expect(groups.map { grossByRate(note)[$0.rate.description] ?? 0 } == oracle, "credit of \(amount)")
        }
    }

    // Mutation: mutants.tsv credit-split-order → the per-rate shares differ from the oracle and this fails.
    @Test func randomAmountsOverRandomRatesMatchAnIndependentLargestRemainder() throws {
        var rng = SplitMix64(seed: 0x5_7117)
        let rates = ["0", "2.6", "3.8", "8.1", "19"]
        for _ in 0..<2_000 {
            let count = Int.random(in: 2...4, using: &rng)
            let chosen = Array(rates.shuffled(using: &rng).prefix(count))
            let source = try invoice(chosen.map { (Int64.random(in: 1...50_000, using: &rng), $0) })
            let creditable = source.creditable.minorUnits
            let amount = Int64.random(in: 1...min(creditable, 500), using: &rng)
            let note = try CreditNoteBuilder.creditNote(for: source, previous: [], request: .amount(Money(minorUnits: amount, currency: source.currency)),
                                                        reason: "", lineTitle: "Credit")
            let groups = source.totals.vatGroups.sorted { $0.rate < $1.rate }
            let expected = Self.oracle(amount, weights: groups.map { $0.base.minorUnits + $0.amount.minorUnits })
            let got = groups.map { grossByRate(note)[$0.rate.description] ?? 0 }
            #expect(got == expected, "credit of \(amount) over \(groups.map { "\($0.rate)%: \($0.base.minorUnits + $0.amount.minorUnits)" })")
        }
    }

    // A CHF invoice of net 100.03 at 8.1 % is 108.13, cash-rounded to 108.15 (+0.02). Cancelling it
    // credits the same lines, VAT and rounding; without the copied rounding step the note's 108.13 is
    // not what is creditable and it is split as a gross 108.15 (net 100.05).
    // Mutation (mutants.tsv credit-rest-rounding): `note.statedRounding = invoice.totals.rounding`
    // deleted in CreditNoteBuilder.creditNote → the VAT groups and the rounding differ and this fails.
    @Test func aFullCreditNoteOfACashRoundedInvoiceCopiesEveryVATGroupAndTheRounding() throws {
        for lines in [[(Int64(10_003), "8.1")], [(Int64(10_003), "8.1"), (Int64(4_999), "2.6")], [(Int64(3), "8.1")]] {
            let source = try invoice(lines, increment: 5)
            let note = try CreditNoteBuilder.creditNote(for: source, previous: [], request: .rest, reason: "Storno", lineTitle: "Credit")
            #expect(note.totals.vatGroups == source.totals.vatGroups)
            #expect(note.totals.net == source.totals.net)
            #expect(note.totals.rounding == source.totals.rounding)
            #expect(note.totals.payable == source.totals.payable)
            #expect(note.lines == source.lines)
        }
        let rounded = try invoice([(10_003, "8.1")], increment: 5)
        #expect(rounded.totals.rounding.minorUnits == 2)
    }
}
