import Billing
import Testing

/// The optional `reminder_fees` setting: per currency, the fee each reminder level states; exact
/// amounts (never Float/Double), refused with one clear line when malformed, and nothing changed then.
struct ReminderFeeSettingTests {
    @Test func perCurrencyListsAndTheDefaultCurrencyShorthand() throws {
        var seller = Operator()
        seller.currency = try Currency(code: "CHF")
        #expect(seller.reminderFees.isEmpty)
        #expect(seller.value(for: "reminder_fees") == "")
        try seller.set("reminder_fees", to: "0,10.00,20")
        #expect(seller.reminderFees == ["CHF": [0, 1000, 2000]])
        #expect(seller.value(for: "reminder_fees") == "CHF 0.00,10.00,20.00")
        try seller.set("reminder_fees", to: "EUR 0, 8.50 ,15; JPY 0,500,1000;CHF 5,10,20")
        #expect(seller.value(for: "reminder_fees") == "CHF 5.00,10.00,20.00; EUR 0.00,8.50,15.00; JPY 0,500,1000")
        let chf = try Currency(code: "CHF"), eur = try Currency(code: "EUR"), usd = try Currency(code: "USD")
        #expect(seller.reminderFee(level: 1, currency: eur) == nil)
        #expect(seller.reminderFee(level: 2, currency: eur) == Money(minorUnits: 850, currency: eur))
        #expect(seller.reminderFee(level: 3, currency: chf) == Money(minorUnits: 2000, currency: chf))
        #expect(seller.reminderFee(level: 2, currency: usd) == nil)
        // The stored text reads back the same (settings are stored normalized and loaded with `set`).
        var reloaded = Operator()
        try reloaded.set("reminder_fees", to: try #require(seller.value(for: "reminder_fees")))
        #expect(reloaded.reminderFees == seller.reminderFees)
        try seller.set("reminder_fees", to: "none")
        #expect(seller.reminderFees.isEmpty)
    }

    // Mutation (mutants.tsv reminder-fee-negative): in Operator.parsedReminderFees, `fees.allSatisfy({ $0.minorUnits >= 0 })` → `true` → the negative fee
    // is taken → fails.
    @Test("Malformed fees are refused with one line and change nothing", arguments: [
        ("CHF 0,10.00", "three amounts"),
        ("CHF 0,10.00,20.00,30.00", "three amounts"),
        ("CHF 0,-5.00,20.00", "cannot be negative"),
        ("CHF 0,10.005,20.00", "10.005"),
        ("XYZ 0,1,2", "XYZ"),
        ("CHF 0,1,2; CHF 0,1,2", "twice"),
        ("CHF 0,1.5.0,2", "1.5.0"),
        ("CHF 0,ten,20", "ten"),
    ])
    func refused(value: String, reason: String) throws {
        var seller = Operator()
        seller.currency = try Currency(code: "CHF")
        try seller.set("reminder_fees", to: "CHF 0,10.00,20.00")
        let before = seller
        let error = try #require(throws: BillingError.self) { try seller.set("reminder_fees", to: value) }
        #expect(error.message.contains(reason), "\(error.message)")
        #expect(!error.message.contains("\n"))
        #expect(seller == before)
    }

    @Test func aListWithoutCurrencyNeedsTheDefaultCurrency() throws {
        var seller = Operator()
        let error = try #require(throws: BillingError.self) { try seller.set("reminder_fees", to: "0,10.00,20.00") }
        #expect(error.message.contains("no default currency"), "\(error.message)")
        #expect(seller.reminderFees.isEmpty)
    }
}
