import Testing
@testable import Billing

/// EN 16931 on invoices with prepaid amounts (BT-113) and their credit notes (type 381), over 10,000
/// random invoices: BT-115 = BT-112 − BT-113 + BT-114; a credit note's VAT per rate is its share of
/// the invoice's; the credit notes of an invoice never add up to more than its total, and crediting
/// the rest credits exactly what was left, rate by rate.
struct CreditNoteIdentityTests {
    typealias Generator = RandomizedTotalsTests.Generator

    func invoice(_ rng: inout Generator) throws -> Invoice {
        var invoice = try RandomizedTotalsTests().makeInvoice(&rng)
        // Issued invoices are never negative; keep the generator's mix but drop negative totals.
        if invoice.totals.gross.minorUnits <= 0 {
            invoice.lines = invoice.lines.map { var line = $0; line.unitPrice = Money(minorUnits: abs(line.unitPrice.minorUnits) + 1, currency: line.unitPrice.currency); return line }
        }
        let gross = invoice.totals.gross.minorUnits
        if Int.random(in: 0..<3, using: &rng) > 0, gross > 0 {
            invoice.prepaid = Money(minorUnits: Int64.random(in: 1...gross, using: &rng), currency: invoice.currency)
        }
        invoice.number = "INV-1"
        invoice.status = .open
        invoice.issueDate = try Day(parsing: "2026-11-25")
        return invoice
    }

    // Mutation (mutants.tsv totals-round-gross): compute the rounding on gross instead of gross − prepaid (`let due = round(gross) − prepaid`)
    // → BT-115 is no longer a multiple of the cash-rounding step and this test fails.
    // Mutation (mutants.tsv totals-payable-no-prepaid): drop `+ prepaid` from `payable` → BT-115 ≠ BT-112 − BT-113 + BT-114 fails.
    @Test func prepaidAmountsKeepTheTotalsAndReduceOnlyTheAmountDue() throws {
        var rng = Generator(seed: 8_2026)
        for _ in 0..<10_000 {
            let invoice = try invoice(&rng)
            var without = invoice
            without.prepaid = .zero(invoice.currency)
            let t = invoice.totals, plain = without.totals
            // Lines, net, VAT and gross (BT-112) are exactly those of the same invoice without credit.
            #expect(t.net == plain.net && t.vat == plain.vat && t.gross == plain.gross && t.vatGroups == plain.vatGroups)
            #expect(t.due.minorUnits == t.gross.minorUnits - t.prepaid.minorUnits + t.rounding.minorUnits)
            #expect(t.due.minorUnits % invoice.cashRoundingIncrement == 0)
            #expect(abs(t.rounding.minorUnits) * 2 <= invoice.cashRoundingIncrement)
            #expect(t.due.minorUnits >= 0)
            #expect(invoice.open == t.due)
        }
    }

    // Mutation (mutants.tsv credit-split-remaining): in `CreditNoteBuilder.split` distribute by the invoice's per-rate gross instead of what
    // is left (`remainingByRate`) → the "rest" note no longer credits each rate exactly and this fails.
    // Mutation (mutants.tsv credit-amount-guard): drop the `amount <= creditable` guard → Σ credit notes > total and this fails.
    @Test func creditNotesSplitVATByRateAndNeverExceedTheTotal() throws {
        var rng = Generator(seed: 381)
        var checked = 0, exactRates = 0
        for _ in 0..<10_000 {
            var invoice = try invoice(&rng)
            var notes: [Invoice] = []
            let total = invoice.totals.payable
            // Up to three partial credit notes, then (sometimes) the rest.
            for _ in 0..<Int.random(in: 0...3, using: &rng) {
                let left = invoice.creditable.minorUnits
                guard left > 0 else { break }
                let amount = Money(minorUnits: Int64.random(in: 1...left, using: &rng), currency: invoice.currency)
                let note = try CreditNoteBuilder.creditNote(for: invoice, previous: notes, request: .amount(amount),
                                                            reason: "", lineTitle: "Credit")
                #expect(note.totals.payable == amount)
                #expect(note.kind == .creditNote && note.preceding?.number == "INV-1")
                // Per rate, the note's VAT is its share of the invoice's VAT at that rate (± 1 minor unit).
                for group in note.totals.vatGroups {
                    let source = try #require(invoice.totals.vatGroups.first { $0.rate == group.rate })
                    let sourceGross = source.base.minorUnits + source.amount.minorUnits
                    let noteGross = group.base.minorUnits + group.amount.minorUnits
                    guard sourceGross > 0 else { continue }
                    let share = Double(source.amount.minorUnits) * Double(noteGross) / Double(sourceGross)
                    #expect(abs(Double(group.amount.minorUnits) - share) <= 1.0 + Double(noteGross) / Double(sourceGross),
                            "VAT \(group.rate)%: \(group.amount) vs share \(share)")
                }
                notes.append(note)
                invoice.credited = invoice.credited + note.totals.payable
            }
            #expect(notes.reduce(0) { $0 + $1.totals.payable.minorUnits } <= total.minorUnits)
            if invoice.creditable.minorUnits > 0 {
                let over = invoice.creditable + Money(minorUnits: 1, currency: invoice.currency)
                #expect(throws: BillingError.self) {
                    try CreditNoteBuilder.creditNote(for: invoice, previous: notes, request: .amount(over), reason: "", lineTitle: "C")
                }
                let rest = try CreditNoteBuilder.creditNote(for: invoice, previous: notes, request: .rest, reason: "", lineTitle: "C")
                #expect(rest.totals.payable == invoice.creditable)
                if notes.isEmpty, rest.lines == invoice.lines {
                    // A first full credit note is the invoice's mirror: every per-rate VAT equal.
                    #expect(rest.totals.vatGroups == invoice.totals.vatGroups)
                }
                notes.append(rest)
                invoice.credited = invoice.credited + rest.totals.payable
                #expect(invoice.creditable.isZero)
                // Without cash rounding and with no rate below zero, the total is the sum of the rates'
                // gross, so the notes together credit each rate exactly what the invoice charged at it.
                if invoice.cashRoundingIncrement == 1,
                   invoice.totals.vatGroups.allSatisfy({ $0.base.minorUnits + $0.amount.minorUnits >= 0 }) {
                    exactRates += 1
                    var credited: [Percentage: Int64] = [:], charged: [Percentage: Int64] = [:]
                    for note in notes {
                        for group in note.totals.vatGroups { credited[group.rate, default: 0] += group.base.minorUnits + group.amount.minorUnits }
                    }
                    for group in invoice.totals.vatGroups { charged[group.rate, default: 0] += group.base.minorUnits + group.amount.minorUnits }
                    #expect(credited.filter { $0.value != 0 } == charged.filter { $0.value != 0 }, "per rate: credited \(credited), charged \(charged)")
                }
                #expect(notes.reduce(0) { $0 + $1.totals.payable.minorUnits } == total.minorUnits)
                #expect(throws: BillingError.self) {
                    try CreditNoteBuilder.creditNote(for: invoice, previous: notes, request: .rest, reason: "", lineTitle: "C")
                }
            }
            checked += 1
        }
        #expect(checked == 10_000)
        #expect(exactRates > 1_000, "the per-rate check ran on \(exactRates) invoices")
    }
}
