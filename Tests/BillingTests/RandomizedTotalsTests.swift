import Foundation
import Testing
import TestSupport
@testable import Billing

/// Generates thousands of invoices and checks the EN 16931 identities against a second, independent
/// computation done with Foundation's `Decimal` (different arithmetic, same rules).
struct RandomizedTotalsTests {
    typealias Generator = SplitMix64

    static let currencies = ["CHF", "EUR", "USD", "JPY", "KWD"]
    static let rates = ["0", "2.6", "3.8", "7", "7.7", "8.1", "10", "19", "20", "21", "5.5"]

    func decimal(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? .nan }

    func rounded(_ value: Decimal, _ scale: Int) -> Decimal {
        var input = value, output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }

    func makeInvoice(_ rng: inout Generator) throws -> Invoice {
        let currency = try Currency(code: Self.currencies.randomElement(using: &rng) ?? "CHF")
        let modeRoll = Int.random(in: 0..<10, using: &rng)
        let mode: TaxMode = modeRoll < 6 ? .net : modeRoll < 9 ? .gross : .exempt(note: "Reverse charge")
        let lines = try (0..<Int.random(in: 1...12, using: &rng)).map { _ -> InvoiceLine in
            let quantityScale = Int.random(in: 0...3, using: &rng)
            let quantity = DecimalNumber(significand: Int64.random(in: 1...50_000, using: &rng), scale: quantityScale)
            let price = Int64.random(in: -2_000...500_000, using: &rng)
            let discount = Int.random(in: 0..<4, using: &rng) == 0 ? "0" : ["5", "10", "12.5", "33.33", "50"].randomElement(using: &rng) ?? "0"
            return InvoiceLine(title: "Line", quantity: quantity, unitPrice: Money(minorUnits: price, currency: currency),
                               discount: try Percentage(parsing: discount, field: "discount"),
                               vatRate: try Percentage(parsing: Self.rates.randomElement(using: &rng) ?? "0", field: "VAT"))
        }
        let increment: Int64 = currency.code == "CHF" ? 5 : 1
        return Invoice(customerID: 1, currency: currency, language: .en, taxMode: mode, lines: lines,
                       cashRoundingIncrement: increment)
    }

    @Test func tenThousandInvoicesSatisfyTheEN16931IdentitiesAndMatchAnIndependentComputation() throws {
        var rng = Generator(seed: 20261125)
        var checked = 0
        for _ in 0..<10_000 {
            let invoice = try makeInvoice(&rng)
            let totals = invoice.totals
            let exponent = invoice.currency.exponent
            let unit = pow(Decimal(10), exponent)

            // Independent: line amounts with Decimal, grouped by rate, VAT rounded once per rate.
            var groups: [String: Decimal] = [:]
            var expectedLines: [Decimal] = []
            for line in invoice.lines {
                let price = Decimal(line.unitPrice.minorUnits) / unit
                let amount = rounded(decimal(line.quantity.description) * price * (1 - decimal(line.discount.description) / 100), exponent)
                expectedLines.append(amount)
                let rate: String
                if case .exempt = invoice.taxMode { rate = "0" } else { rate = line.vatRate.description }
                groups[rate, default: 0] += amount
            }
            var net = Decimal(0), vat = Decimal(0)
            for (rate, sum) in groups {
                let r = decimal(rate)
                let tax: Decimal
                switch invoice.taxMode {
                case .net: tax = rounded(sum * r / 100, exponent)
                case .gross: tax = rounded(sum * r / (100 + r), exponent)
                case .exempt: tax = 0
                }
                net += invoice.taxMode.name == "gross" ? sum - tax : sum
                vat += tax
            }
            let minor: (Money) -> Decimal = { Decimal($0.minorUnits) / unit }
            #expect(totals.lineAmounts.map(minor) == expectedLines)
            #expect(minor(totals.net) == net, "net of \(invoice)")
            #expect(minor(totals.vat) == vat, "vat of \(invoice)")

            // EN 16931: BR-CO-10 Σ line nets (per-rate bases) = net; BR-CO-14 VAT = Σ per-rate VAT; BR-CO-15 gross = net + VAT.
            #expect(totals.vatGroups.reduce(0) { $0 + $1.base.minorUnits } == totals.net.minorUnits)
            #expect(totals.vatGroups.reduce(0) { $0 + $1.amount.minorUnits } == totals.vat.minorUnits)
            #expect(totals.gross.minorUnits == totals.net.minorUnits + totals.vat.minorUnits)
            if invoice.taxMode.name != "gross" {
                #expect(totals.lineAmounts.reduce(0) { $0 + $1.minorUnits } == totals.net.minorUnits)
            }
            // Cash rounding only moves the payable total, to a multiple of the step, by less than a step.
            #expect(totals.payable.minorUnits == totals.gross.minorUnits + totals.rounding.minorUnits)
            #expect(totals.payable.minorUnits % invoice.cashRoundingIncrement == 0)
            #expect(abs(totals.rounding.minorUnits) * 2 <= invoice.cashRoundingIncrement)
            checked += 1
        }
        #expect(checked == 10_000)
    }
}
