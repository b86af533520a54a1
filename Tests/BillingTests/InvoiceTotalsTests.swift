import Testing
@testable import Billing

/// Known cases, each checked against a hand computation.
struct InvoiceTotalsTests {
    func invoice(_ currency: String, _ lines: [String], mode: TaxMode = .net, rounding: Int64 = 1) throws -> Invoice {
        let c = try Currency(code: currency)
        return Invoice(customerID: 1, currency: c, language: .en, taxMode: mode,
                       lines: try lines.map { try InvoiceLine(parsing: $0, currency: c) }, cashRoundingIncrement: rounding)
    }

    @Test func addsGermanVATOfNineteenPercentPerRate() throws {
        // 3 × 19.99 = 59.97; 1 × 0.01 = 0.01 → base 59.98 → VAT 11.3962 → 11.40.
        let t = try invoice("EUR", ["Widget;3;19.99;19", "Cent;1;0.01;19", "Book;1;10.00;7"]).totals
        #expect(t.net.decimalString == "69.98")
        #expect(t.vatGroups.map { "\($0.rate):\($0.base.decimalString):\($0.amount.decimalString)" } == ["7:10.00:0.70", "19:59.98:11.40"])
        #expect(t.vat.decimalString == "12.10")
        #expect(t.gross.decimalString == "82.08")
    }

    @Test func roundsVATOncePerRateNotPerLine() throws {
        // Per line: 0.0081 → 0.01 each, ×3 = 0.03. Per rate: 0.03 × 8.1 % = 0.00243 → 0.00.
        let t = try invoice("CHF", ["A;1;0.01;8.1", "B;1;0.01;8.1", "C;1;0.01;8.1"]).totals
        #expect(t.vat.decimalString == "0.00")
    }

    @Test func computesSwissRatesSevenPointSevenAndEightPointOneAndTwoPointSix() throws {
        let t = try invoice("CHF", ["Old rate;1;100.00;7.7", "Standard;1;100.00;8.1", "Reduced;1;100.00;2.6"]).totals
        #expect(t.vatGroups.map(\.amount.decimalString) == ["2.60", "7.70", "8.10"])
        #expect(t.gross.decimalString == "318.40")
    }

    @Test func extractsVATFromGrossPrices() throws {
        // 108.10 incl. 8.1 % → VAT = 108.10 × 8.1 / 108.1 = 8.10; net 100.00.
        let t = try invoice("CHF", ["Plan;1;108.10;8.1"], mode: .gross).totals
        #expect(t.vat.decimalString == "8.10")
        #expect(t.net.decimalString == "100.00")
        #expect(t.gross.decimalString == "108.10")
        // 19.90 incl. 19 % → 3.1773… → 3.18; net 16.72.
        let eur = try invoice("EUR", ["Module;1;19.90;19"], mode: .gross).totals
        #expect(eur.vat.decimalString == "3.18")
        #expect(eur.net.decimalString == "16.72")
    }

    @Test func appliesDiscountsBeforeRoundingTheLine() throws {
        // 1.5 × 120.00 × 0.9 = 162.00; 3 × 33.33 × 0.85 = 84.9915 → 84.99.
        let t = try invoice("CHF", ["Course;1.5;120.00;8.1;10;h", "Seats;3;33.33;8.1;15"]).totals
        #expect(t.lineAmounts.map(\.decimalString) == ["162.00", "84.99"])
        #expect(t.net.decimalString == "246.99")
    }

    @Test func roundsHalfUpAwayFromZero() throws {
        // 0.5 × 0.05 = 0.025 → 0.03; and −0.025 → −0.03.
        let t = try invoice("EUR", ["Half;0.5;0.05;0", "Minus half;0.5;-0.05;0"]).totals
        #expect(t.lineAmounts.map(\.decimalString) == ["0.03", "-0.03"])
    }

    @Test func respectsYenWithoutDecimals() throws {
        // 3 × 333 = 999; 10 % VAT = 99.9 → 100.
        let t = try invoice("JPY", ["Licence;3;333;10"]).totals
        #expect(t.vat.decimalString == "100")
        #expect(t.gross.decimalString == "1099")
    }

    @Test func respectsKuwaitiDinarWithThreeDecimals() throws {
        // 2 × 1.255 = 2.510; 5 % = 0.1255 → 0.126.
        let t = try invoice("KWD", ["Service;2;1.255;5"]).totals
        #expect(t.vat.decimalString == "0.126")
        #expect(t.gross.decimalString == "2.636")
    }

    @Test func cashRoundsTheSwissPayableTotalAsItsOwnLine() throws {
        // 10.00 + 8.1 % = 10.81 → payable 10.80, rounding −0.01; 10.83 → 10.85 (+0.02).
        let t = try invoice("CHF", ["A;1;10.00;8.1"], rounding: 5).totals
        #expect(t.gross.decimalString == "10.81")
        #expect(t.rounding.decimalString == "-0.01")
        #expect(t.payable.decimalString == "10.80")
        let up = try invoice("CHF", ["A;1;10.83;0"], rounding: 5).totals
        #expect(up.rounding.decimalString == "0.02")
        #expect(up.payable.decimalString == "10.85")
        let down = try invoice("CHF", ["A;1;10.82;0"], rounding: 5).totals
        #expect(down.payable.decimalString == "10.80")
    }

    @Test func chargesNoVATOnExemptInvoices() throws {
        let t = try invoice("EUR", ["Service;1;1000.00;0"], mode: .exempt(note: "Reverse charge")).totals
        #expect(t.vat.isZero)
        #expect(t.gross.decimalString == "1000.00")
        let validated = try Invoice(customerID: 1, currency: try Currency(code: "EUR"), language: .fr,
                                    taxMode: .exempt(note: "Autoliquidation"),
                                    lines: [try InvoiceLine(parsing: "X;1;10.00;20", currency: try Currency(code: "EUR"))]).validated()
        #expect(validated.totals.vat.isZero)
    }
}
