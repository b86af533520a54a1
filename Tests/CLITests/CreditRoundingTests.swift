import Foundation
import Testing
import TestSupport

/// Customer credit applied at issue (BT-113 prepaid) on CHF invoices with cash rounding (0.05), through the
/// real binary on a real SQLite file, the XML judged by CEN's official EN 16931 rules.
///
/// Suspected bug (refuted): credit was thought to be applied up to the total *before* rounding while the
/// amount due was the *rounded* total, leaving BT-115 a few cents negative and the credit over-used.
/// `InvoiceTotals` rounds gross − prepaid, not gross, so BT-115 = BT-112 − BT-113 + BT-114 is never
/// negative and the credit used is exactly the prepaid amount. These tests guard that rule.
@Suite struct CreditRoundingTests {
    let directory: TemporaryDirectory
    let cli: InvoiceCLI
    let customer: String

    init() throws {
        directory = try TemporaryDirectory("credit-rounding")
        cli = try InvoiceCLI.creating(database: directory.path("credit.sqlite"), today: "2026-11-25")
        try cli.ok("settings", "set", "company", "Rappen AG")
        try cli.ok("settings", "set", "country", "CH")
        try cli.ok("settings", "set", "vat_id", "CHE-123.456.789")
        customer = try cli.ok("customer", "add", "--company", "Kasse GmbH", "--email", "ap@kasse.ch",
                              "--country", "CH", "--currency", "CHF", "--language", "de")
    }

    func object(_ arguments: String...) throws -> [String: Any] {
        try #require(try cli.json(arguments) as? [String: Any])
    }

    func creditBalance() throws -> String? {
        try object("customer", "show", customer)["credit_balance"] as? String
    }

    /// Gives the customer `credit` by overpaying a first invoice of 100.00 (no rounding involved).
    func giveCredit(_ credit: String) throws {
        let first = try cli.ok("new", customer, "--line", "Einrichtung;1;100.00;0", "--issue")
        let paid = Decimal(string: credit).map { $0 + 100 } ?? 0
        try cli.ok("pay", first, "--amount", "\(paid)")
        #expect(try creditBalance() == credit)
    }

    /// The amounts `show --json` reports for `number`, and the cents of each for arithmetic.
    func amounts(_ number: String) throws -> (json: [String: Any], cents: [String: Int]) {
        let json = try object("show", number)
        var cents: [String: Int] = [:]
        for key in ["gross", "rounding", "total", "prepaid", "open"] {
            let text = try #require(json[key] as? String, "\(key) missing in show --json")
            let value = try #require(Decimal(string: text), "\(key) = \(text)")
            cents[key] = NSDecimalNumber(decimal: value * 100).intValue
        }
        return (json, cents)
    }

    /// BR-CO-16 and the credit rule on one issued invoice: due = gross − prepaid + rounding ≥ 0,
    /// prepaid ≤ total (the rounded amount), and the credit used is exactly prepaid.
    func checkRule(_ number: String, creditBefore: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let (_, c) = try amounts(number)
        let gross = c["gross"] ?? -1, rounding = c["rounding"] ?? -1, total = c["total"] ?? -1
        let prepaid = c["prepaid"] ?? -1, open = c["open"] ?? -1
        #expect(open == gross - prepaid + rounding, "BT-115 ≠ BT-112 − BT-113 + BT-114", sourceLocation: sourceLocation)
        #expect(open >= 0, "amount due is negative", sourceLocation: sourceLocation)
        #expect(prepaid >= 0 && prepaid <= total, "prepaid \(prepaid) beyond the total \(total)", sourceLocation: sourceLocation)
        #expect(open % 5 == 0, "the amount due \(open) is not a multiple of 0.05", sourceLocation: sourceLocation)
        let balance = try #require(try creditBalance())
        let left = try #require(Decimal(string: balance))
        #expect(NSDecimalNumber(decimal: left * 100).intValue == creditBefore - prepaid, "credit used ≠ prepaid",
                sourceLocation: sourceLocation)
    }

    // Mutation (mutants.tsv totals-round-gross-down): InvoiceTotals rounding the gross instead of gross − prepaid
    // (`let due = round(gross) - prepaid`, the suspected bug) → total 10.00 below prepaid 10.02, BT-115
    // −0.02 (`open` shows it clamped to 0.00, so the BR-CO-16 sum in `checkRule` is what catches it) → fails.
    @Test("credit above a total that rounds down pays it exactly, the amount due is 0.00, not negative")
    func creditCoversATotalRoundedDown() throws {
        defer { directory.remove() }
        try giveCredit("20.00")
        // 9.27 + 8.1 % VAT (0.75) = 10.02; paid in cash it would be 10.00.
        let number = try cli.ok("new", customer, "--line", "Beratung;1;9.27;8.1", "--issue")
        let (json, c) = try amounts(number)
        #expect(c["gross"] == 1002)
        #expect(json["prepaid"] as? String == "10.02")
        #expect(json["rounding"] as? String == "0.00")
        #expect(json["total"] as? String == "10.02")
        #expect(json["open"] as? String == "0.00")
        #expect(json["status"] as? String == "paid")
        #expect(try creditBalance() == "9.98")
        try checkRule(number, creditBefore: 2000)
    }

    // Mutation (mutants.tsv totals-round-gross-up): the same (`let due = round(gross) - prepaid` in InvoiceTotals) → open is 0.02, status open → fails.
    @Test("credit above a total that rounds up pays it exactly, the amount due is 0.00")
    func creditCoversATotalRoundedUp() throws {
        defer { directory.remove() }
        try giveCredit("20.00")
        // 9.28 + 8.1 % VAT (0.75) = 10.03; paid in cash it would be 10.05.
        let number = try cli.ok("new", customer, "--line", "Beratung;1;9.28;8.1", "--issue")
        let (json, _) = try amounts(number)
        #expect(json["gross"] as? String == "10.03")
        #expect(json["prepaid"] as? String == "10.03")
        #expect(json["rounding"] as? String == "0.00")
        #expect(json["open"] as? String == "0.00")
        #expect(json["status"] as? String == "paid")
        #expect(try creditBalance() == "9.97")
        try checkRule(number, creditBefore: 2000)
    }

    // Mutation (mutants.tsv issue-credit-used): `let used = min(credit, gross)` → `let used = gross` in Invoicing.issue → the credit goes
    // negative (prepaid 10.02 from 5.00) and this test fails.
    @Test("credit smaller than the total: all of it is used, the rest is rounded to 0.05 and due")
    func creditSmallerThanTheTotal() throws {
        defer { directory.remove() }
        try giveCredit("5.00")
        let down = try cli.ok("new", customer, "--line", "Beratung;1;9.27;8.1", "--issue")
        var (json, _) = try amounts(down)
        #expect(json["prepaid"] as? String == "5.00")
        #expect(json["rounding"] as? String == "-0.02")
        #expect(json["total"] as? String == "10.00")
        #expect(json["open"] as? String == "5.00")
        #expect(json["status"] as? String == "open")
        try checkRule(down, creditBefore: 500)
        #expect(try creditBalance() == "0.00")
        // A credit that leaves less than half a step: 10.01 of 10.02 → 0.01 rounds to 0.00 due.
        try giveCredit("10.01")
        let almost = try cli.ok("new", customer, "--line", "Beratung;1;9.27;8.1", "--issue")
        (json, _) = try amounts(almost)
        #expect(json["prepaid"] as? String == "10.01")
        #expect(json["rounding"] as? String == "-0.01")
        #expect(json["open"] as? String == "0.00")
        #expect(json["status"] as? String == "paid")
        try checkRule(almost, creditBefore: 1001)
        // Rounding up with a smaller credit: 10.03 − 3.00 = 7.03 → 7.05 due.
        try giveCredit("3.00")
        let up = try cli.ok("new", customer, "--line", "Beratung;1;9.28;8.1", "--issue")
        (json, _) = try amounts(up)
        #expect(json["prepaid"] as? String == "3.00")
        #expect(json["rounding"] as? String == "0.02")
        #expect(json["open"] as? String == "7.05")
        try checkRule(up, creditBefore: 300)
    }

    // Mutation (mutants.tsv cii-rounding-amount-prepaid): CIIWriter leaving out the rounding amount (BT-114) → BR-CO-16 fails on the 10.01 invoice.
    @Test("the prepaid, rounded CHF invoices pass the official EN 16931 rules")
    func prepaidRoundedInvoicesPassTheRules() throws {
        defer { directory.remove() }
        try giveCredit("10.01")
        let almost = try cli.ok("new", customer, "--line", "Beratung;1;9.27;8.1", "--issue")
        try giveCredit("20.00")
        let full = try cli.ok("new", customer, "--line", "Beratung;1;9.28;8.1", "--issue")
        var files: [String] = []
        for number in [almost, full] {
            let path = directory.path("\(number).cii.xml")
            try cli.ok("show", number, "--xml", "cii").write(toFile: path, atomically: true, encoding: .utf8)
            files.append(path)
        }
        try files.joined(separator: "\n").write(toFile: directory.path("list.txt"), atomically: true, encoding: .utf8)
        let checker = Paths.packageRoot.appendingPathComponent("Tests/EInvoiceTests/Fixtures/check_einvoices.py").path
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", checker, directory.path("list.txt")],
                                           timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        var checked = 0
        for line in result.stdout.split(separator: "\n") {
            let verdict = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let fatal = try #require(verdict["fatal"] as? [String])
            #expect(fatal.isEmpty, "\(verdict["file"] ?? "?"): \(fatal)")
            #expect(verdict["xsd"] as? String == "ok")
            checked += 1
        }
        #expect(checked == 2)
    }
}
