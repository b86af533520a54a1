import Billing
import Documents
import Testing

struct LocaleFormatTests {
    let space = "\u{00A0}"

    func money(_ text: String, _ code: String) throws -> Money { try Fixtures.money(text, code) }

    @Test("Swiss francs are written with an apostrophe and the code first in every language")
    func swissFrancs() throws {
        for language in Language.allCases {
            let format = LocaleFormat(language: language, currency: try Currency(code: "CHF"))
            #expect(format.money(try money("1234.50", "CHF")) == "CHF\(space)1'234.50")
        }
    }

    @Test("Euros follow the German, French, Italian and English conventions")
    func euros() throws {
        let eur = try Currency(code: "EUR"), amount = try money("1234.50", "EUR")
        #expect(LocaleFormat(language: .de, currency: eur).money(amount) == "1.234,50\(space)€")
        #expect(LocaleFormat(language: .fr, currency: eur).money(amount) == "1\(space)234,50\(space)€")
        #expect(LocaleFormat(language: .it, currency: eur).money(amount) == "1.234,50\(space)€")
        #expect(LocaleFormat(language: .en, currency: eur).money(amount) == "€1,234.50")
    }

    @Test("Dollars in English carry the symbol; a customer in Switzerland gets Swiss style")
    func dollarsAndSwissCustomers() throws {
        #expect(LocaleFormat(language: .en, currency: try Currency(code: "USD")).money(try money("1234.50", "USD"))
                == "$1,234.50")
        let swiss = LocaleFormat(language: .de, currency: try Currency(code: "EUR"), country: try Country(code: "CH"))
        #expect(swiss.money(try money("1234.50", "EUR")) == "EUR\(space)1'234.50")
    }

    @Test("Yen have no decimals and Kuwaiti dinars three")
    func exponents() throws {
        let en = LocaleFormat(language: .en, currency: try Currency(code: "JPY"))
        #expect(en.money(try money("1234567", "JPY")) == "JPY\(space)1,234,567")
        #expect(LocaleFormat(language: .de, currency: try Currency(code: "KWD")).money(try money("1234.5", "KWD"))
                == "1.234,500\(space)KWD")
    }

    @Test("Negative amounts put the minus before the digits")
    func negatives() throws {
        #expect(LocaleFormat(language: .de, currency: try Currency(code: "CHF")).money(try money("-0.05", "CHF"))
                == "CHF\(space)-0.05")
        #expect(LocaleFormat(language: .de, currency: try Currency(code: "EUR")).money(try money("-1234.50", "EUR"))
                == "-1.234,50\(space)€")
        #expect(LocaleFormat(language: .en, currency: try Currency(code: "USD")).money(try money("-5", "USD"))
                == "-$5.00")
    }

    @Test("Dates follow the language")
    func dates() throws {
        let day = try Day(parsing: "2026-11-25"), eur = try Currency(code: "EUR")
        #expect(LocaleFormat(language: .de, currency: eur).date(day) == "25.11.2026")
        #expect(LocaleFormat(language: .fr, currency: eur).date(day) == "25/11/2026")
        #expect(LocaleFormat(language: .it, currency: eur).date(day) == "25/11/2026")
        #expect(LocaleFormat(language: .en, currency: eur).date(day) == "November 25, 2026")
    }

    @Test("Quantities and percentages use the decimal separator and drop trailing zeros")
    func quantities() throws {
        let de = LocaleFormat(language: .de, currency: try Currency(code: "EUR"))
        #expect(de.quantity(try DecimalNumber(parsing: "1.50", maxScale: 4, field: "q")) == "1,5")
        #expect(de.quantity(try DecimalNumber(parsing: "12000", maxScale: 4, field: "q")) == "12.000")
        #expect(de.percentage(try Percentage(parsing: "19", field: "p")) == "19\(space)%")
        let ch = LocaleFormat(language: .fr, currency: try Currency(code: "CHF"))
        #expect(ch.percentage(try Percentage(parsing: "8.1", field: "p")) == "8.1%")
    }
}
