import Testing
@testable import Billing

struct MoneyTests {
    @Test func parsesAmountsExactlyInTheCurrencysMinorUnits() throws {
        let chf = try Currency(code: "CHF"), jpy = try Currency(code: "JPY"), kwd = try Currency(code: "KWD")
        #expect(try Money(parsing: "1234.50", currency: chf).minorUnits == 123_450)
        #expect(try Money(parsing: "0.1", currency: chf).minorUnits == 10)
        #expect(try Money(parsing: "1200", currency: jpy).minorUnits == 1200)
        #expect(try Money(parsing: "1.250", currency: kwd).minorUnits == 1250)
        #expect(try Money(parsing: "-0.05", currency: chf).decimalString == "-0.05")
    }

    // Mutation (mutants.tsv decimal-empty-whole): accept an empty whole part in DecimalNumber(parsing:) → ".5" parses and this test fails.
    @Test(arguments: [" 1.00", "1.00 ", "+1.00", ".5", "1.", "1,00", "-", "", "-.5", "1e3", "١.00"])
    func refusesEveryOtherFormat(_ text: String) throws {
        let error = #expect(throws: BillingError.self) { try Money(parsing: text, currency: try Currency(code: "EUR"), field: "price") }
        #expect(error?.message.hasPrefix("price '\(text)' is not a number; write digits with an optional point") == true)
    }

    @Test func refusesMoreDecimalsThanTheCurrencyAllows() throws {
        let error = #expect(throws: BillingError.self) { try Money(parsing: "12.345", currency: try Currency(code: "EUR")) }
        #expect(error?.message == "amount '12.345' has more than 2 decimals")
        let yen = #expect(throws: BillingError.self) { try Money(parsing: "100.5", currency: try Currency(code: "JPY")) }
        #expect(yen?.message == "amount '100.5' must be a whole number")
    }

    @Test func refusesTextThatIsNotANumber() {
        for bad in ["", "abc", "1,50", "1.2.3", "1e3", "--1", ".", "12."] {
            #expect(throws: BillingError.self, "\(bad)") { try Money(parsing: bad, currency: try Currency(code: "CHF")) }
        }
    }

    @Test func formatsDecimalStringsWithTheCurrencysExponent() throws {
        #expect(Money(minorUnits: 5, currency: try Currency(code: "USD")).decimalString == "0.05")
        #expect(Money(minorUnits: -123_450, currency: try Currency(code: "EUR")).decimalString == "-1234.50")
        #expect(Money(minorUnits: 7, currency: try Currency(code: "KWD")).decimalString == "0.007")
        #expect(Money(minorUnits: 500, currency: try Currency(code: "JPY")).decimalString == "500")
    }

    @Test func knowsCurrencyExponentsAndRejectsUnknownCodes() throws {
        #expect(try Currency(code: "chf").exponent == 2)
        #expect(try Currency(code: "JPY").exponent == 0)
        #expect(try Currency(code: "KWD").exponent == 3)
        let error = #expect(throws: BillingError.self) { try Currency(code: "XYZ") }
        #expect(error?.message.contains("unknown currency 'XYZ'") == true)
    }
}

struct DayTests {
    @Test func parsesOnlyRealCalendarDates() throws {
        #expect(try Day(parsing: "2028-02-29").description == "2028-02-29")
        for bad in ["2026-02-29", "2026-13-01", "2026-1-1", "26-01-01", "2026/01/01", "today"] {
            #expect(throws: BillingError.self, "\(bad)") { try Day(parsing: bad) }
        }
    }

    @Test func addsMonthsClampingToTheLastDay() throws {
        #expect(try Day(parsing: "2026-01-31").adding(months: 1).description == "2026-02-28")
        #expect(try Day(parsing: "2028-01-31").adding(months: 1).description == "2028-02-29")
        #expect(try Day(parsing: "2026-12-15").adding(months: 1).description == "2027-01-15")
        #expect(try Day(parsing: "2028-02-29").adding(years: 1).description == "2029-02-28")
    }

    @Test func countsDaysAcrossYears() throws {
        #expect(try Day(parsing: "2026-12-31").days(until: try Day(parsing: "2027-01-01")) == 1)
        #expect(try Day(parsing: "2028-01-01").days(until: try Day(parsing: "2029-01-01")) == 366)
    }
}

struct InvoiceNumberFormatTests {
    @Test func fillsYearMonthAndPaddedSequence() throws {
        let format = try InvoiceNumberFormat(pattern: "INV-{YYYY}-{MM}-{SEQ:5}", resetsYearly: true)
        #expect(format.number(sequence: 42, on: try Day(parsing: "2026-11-25")) == "INV-2026-11-00042")
        #expect(format.counterScope(on: try Day(parsing: "2026-11-25")) == "2026")
        let plain = try InvoiceNumberFormat(pattern: "R{SEQ}", resetsYearly: false)
        #expect(plain.number(sequence: 7, on: try Day(parsing: "2026-01-01")) == "R7")
        #expect(plain.counterScope(on: try Day(parsing: "2026-01-01")) == "all")
    }

    @Test func refusesPatternsThatCannotBeUnique() {
        #expect(throws: BillingError.self) { try InvoiceNumberFormat(pattern: "INV-{YYYY}", resetsYearly: true) }
        #expect(throws: BillingError.self) { try InvoiceNumberFormat(pattern: "{SEQ}-{SEQ}", resetsYearly: false) }
        #expect(throws: BillingError.self) { try InvoiceNumberFormat(pattern: "INV-{SEQ}", resetsYearly: true) }
        #expect(throws: BillingError.self) { try InvoiceNumberFormat(pattern: "INV-{DD}-{SEQ}", resetsYearly: false) }
    }
}

struct TextFieldTests {
    @Test func refusesLineBreaksInSingleLineFields() {
        for value in ["Evil\r\nBcc: x@y.z", "A\nB", "Tab\u{0}Null"] {
            let error = #expect(throws: BillingError.self) { try TextField.singleLine(value, field: "company name") }
            #expect(error?.message.contains("company name must be one line") == true)
        }
    }

    @Test func acceptsRealAddressesAndRefusesBrokenOnes() throws {
        #expect(try TextField.email("juerg.mueller@example.ch") == "juerg.mueller@example.ch")
        // Issue 8: a non-ASCII address was accepted and then no mail (the receipt) could be queued.
        // Mutation (mutants.tsv email-ascii-guard): remove the ASCII guard in `TextField.email` → this test fails.
        for nonASCII in ["jürg@müller.ch", "jürg.müller@example.ch", "juerg@müller.ch"] {
            let error = #expect(throws: BillingError.self) { try TextField.email(nonASCII) }
            #expect(error?.message.contains("non-ASCII") == true)
        }
        for bad in ["no-at.example", "a@b", "a b@example.com", "<a@example.com>", "a@@example.com", "a@example..com", "a@example.com\r\n"] {
            #expect(throws: BillingError.self, "\(bad)") { try TextField.email(bad) }
        }
    }
}

/// The one UTC timestamp format.
@Suite struct UTCTimestampTests {
    // Mutation (mutants.tsv utc-day-truncating): `let days = seconds / 86_400` (truncating toward zero) → the instant before the
    // epoch prints as 1970-01-01T…, and this test fails.
    @Test func timestampsAreISO8601InUTCToTheSecond() {
        #expect(UTCTimestamp.string(epochSeconds: 0) == "1970-01-01T00:00:00Z")
        #expect(UTCTimestamp.string(epochSeconds: 1_764_075_600) == "2025-11-25T13:00:00Z")
        #expect(UTCTimestamp.string(epochSeconds: 1_772_323_199) == "2026-02-28T23:59:59Z")
        #expect(UTCTimestamp.string(epochSeconds: -1) == "1969-12-31T23:59:59Z")
    }
}
