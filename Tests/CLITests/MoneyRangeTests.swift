import Foundation
import Testing
import TestSupport

/// Issue 24 (and 17): no amount typed at the command line crashes the process. Money is Int64 minor
/// units; a sum that would leave that range is refused with one line and exit 1, and changes nothing.
@Suite(.serialized)
struct MoneyRangeTests {
    /// The largest amount a user can type with cents (17 digits); sums go up to Int64.max minor units.
    static let largestTyped = "999999999999999.99"
    let directory: TemporaryDirectory
    let cli: InvoiceCLI
    let customer: String

    init() throws {
        directory = try TemporaryDirectory("money-range")
        cli = try InvoiceCLI.creating(database: directory.path("range.sqlite"), today: "2026-11-25")
        try cli.ok("settings", "set", "email", "billing@operator.example")
        customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example",
                              "--country", "DE", "--currency", "EUR", "--language", "en")
    }

    /// A failure as a user sees it: exit 1, one line on stderr, no trap and no backtrace.
    func expectOneLineRefusal(_ result: ProcessResult, mentioning words: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 1, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(words), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!result.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
    }

    /// The issue's poison pill from the CLI: 92 payments of 999999999999999.99 fit (their sum is below
    /// Int64.max cents), the 93rd traps `Money.+` (SIGILL, exit 132). Now it is refused, nothing changes,
    /// and the invoice and the customer still show their exact sums.
    /// Mutation (mutants.tsv payment-sum-overflow): Invoicing.swift: `target.paid.adding(amount)` → `target.paid + amount` → exit 132, test fails.
    @Test func theNinetyThirdHugePaymentIsRefusedWithOneLine() throws {
        defer { directory.remove() }
        let number = try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue")
        for _ in 1...92 { try cli.ok("pay", number, "--amount", "999999999999999.99") }
        let before = try cli.dump()
        let refused = try cli.run("pay", number, "--amount", "999999999999999.99")
        expectOneLineRefusal(refused, mentioning: "largest amount")
        #expect(try cli.dump() == before)
        let invoice = try #require(try cli.json("show", number) as? [String: Any])
        #expect(invoice["paid"] as? String == "91999999999999999.08")
        #expect(invoice["status"] as? String == "paid")
        // 92 × 999999999999999.99 − 119.00 (the invoice) went to the customer's credit balance.
        let shown = try #require(try cli.json("customer", "show", customer) as? [String: Any])
        #expect(shown["credit_balance"] as? String == "91999999999999880.08")
        // Another invoice still takes its exact payment; an overpayment whose surplus would take the money
        // credited to the customer beyond the range is refused as a whole.
        let other = try cli.ok("new", customer, "--line", "More;1;10.00;19", "--issue")
        try cli.ok("pay", other, "--amount", "11.90")
        expectOneLineRefusal(try cli.run("pay", other, "--amount", "999999999999999.99"), mentioning: "largest amount")
        #expect(try cli.ok("list").contains(number))
    }

    /// Issue 17: quantity × price beyond the money range trapped with SIGILL and a backtrace.
    /// Mutation (mutants.tsv totals-unchecked): Invoice.swift: drop `InvoiceTotals(checking:)` in `validated()` → the totals are clamped and
    /// `new` exits 0, test fails.
    @Test func quantityTimesPriceBeyondTheRangeIsRefused() throws {
        defer { directory.remove() }
        let before = try cli.dump()
        expectOneLineRefusal(try cli.run("new", customer, "--line", "Bulk;999999999;99999999999.99;19"),
                             mentioning: "largest amount")
        // Each line fits, their sum does not.
        let line = "Bulk;4000000;9999999999.99;0"
        expectOneLineRefusal(try cli.run("new", customer, "--line", line, "--line", line, "--line", line),
                             mentioning: "largest amount")
        // The VAT on a net that fits takes the gross beyond.
        expectOneLineRefusal(try cli.run("new", customer, "--line", "Net;8000000;9999999999.99;25"),
                             mentioning: "largest amount")
        #expect(try cli.dump() == before)
    }

    /// Amounts at the bounds, ± 1 minor unit: the largest typed amount, one cent more, their negatives; and a
    /// sum filled to exactly Int64.max cents, then one cent more. Parsed or refused with one line, never a trap.
    /// Mutation (mutants.tsv money-add-wraps): Money.swift: `addingReportingOverflow` → `&+` in `adding` → 0.02 wraps the sum and is taken, test fails.
    @Test func amountsAtTheBoundsNeverCrash() throws {
        defer { directory.remove() }
        let number = try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue")
        expectOneLineRefusal(try cli.run("pay", number, "--amount", "1000000000000000.00"), mentioning: "too large")
        expectOneLineRefusal(try cli.run("pay", number, "--amount", "-1000000000000000.00"), mentioning: "too large")
        expectOneLineRefusal(try cli.run("pay", number, "--amount", "-999999999999999.99"), mentioning: "more than zero")
        expectOneLineRefusal(try cli.run("refund", customer, "--amount", "1000000000000000.00"), mentioning: "too large")
        for _ in 1...92 { try cli.ok("pay", number, "--amount", Self.largestTyped) }
        // 92 × 99999999999999999 cents = 9199999999999999908; Int64.max − that = 233720368547758.99.
        try cli.ok("pay", number, "--amount", "233720368547758.99")
        let invoice = try #require(try cli.json("show", number) as? [String: Any])
        #expect(invoice["paid"] as? String == "92233720368547758.07")
        expectOneLineRefusal(try cli.run("pay", number, "--amount", "0.01"), mentioning: "largest amount")
        expectOneLineRefusal(try cli.run("pay", number, "--amount", "0.02"), mentioning: "largest amount")
        expectOneLineRefusal(try cli.run("credit-note", number, "--amount", Self.largestTyped), mentioning: "left to credit")
        // The credit balance (everything above 119.00) can be refunded in pieces, exactly.
        let shown = try #require(try cli.json("customer", "show", customer) as? [String: Any])
        #expect(shown["credit_balance"] as? String == "92233720368547639.07")
        try cli.ok("refund", customer, "--amount", Self.largestTyped)
        let after = try #require(try cli.json("customer", "show", customer) as? [String: Any])
        #expect(after["credit_balance"] as? String == "91233720368547639.08")
    }

    /// A seeded, bounded fuzz of the CLI's amount paths with extreme values: every run ends with exit 0 or 1
    /// and, on 1, one line; never a signal (exit ≥ 128) or a backtrace; the database stays consistent.
    /// Before the fix its `new` lines trapped (exit 4, SIGILL) like the quantity test above.
    @Test func fuzzingTheAmountPathsNeverCrashes() throws {
        defer { directory.remove() }
        let seed = UInt64(ProcessInfo.processInfo.environment["FUZZ_SEED"] ?? "") ?? 24
        print("MoneyRangeTests: fuzz seed \(seed) (FUZZ_SEED=\(seed) repeats it)")
        var random = SplitMix64(seed: seed)
        let edges = ["999999999999999.99", "1000000000000000.00", "999999999999999.98", "-999999999999999.99",
                     "-1000000000000000.00", "99999999999999999", "9999999999.99", "99999999999.99", "0.01", "-0.01",
                     "92233720368547758.07", "1e5", "0x10", "１２", "12.345", "99999999999999999999999"]
        let quantities = ["999999999", "999999999.9999", "1", "0.0001", "922337203", "1000000000", "-1"]
        func pick(_ list: [String]) -> String { list[Int(random.next() % UInt64(list.count))] }
        let number = try cli.ok("new", customer, "--line", "Seed;1;100.00;19", "--issue")
        for round in 0..<40 {
            let arguments: [String]
            switch round % 5 {
            case 0: arguments = ["pay", number, "--amount", pick(edges)]
            case 1: arguments = ["new", customer, "--line", "F;\(pick(quantities));\(pick(edges));\(pick(["0", "19", "7.7"]))", "--issue"]
            case 2: arguments = ["credit-note", number, "--amount", pick(edges)]
            case 3: arguments = ["refund", customer, "--amount", pick(edges)]
            default: arguments = ["new", customer, "--line", "A;\(pick(quantities));\(pick(edges));0",
                                  "--line", "B;\(pick(quantities));\(pick(edges));0"]
            }
            let result = try cli.run(arguments)
            #expect(result.status == 0 || result.status == 1, "\(arguments): exit \(result.status) \(result.stderr)")
            #expect(!result.stderr.contains("Fatal error"), "\(arguments): \(result.stderr)")
            if result.status == 1 { #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result.stderr)") }
        }
        #expect(try cli.run("list").status == 0)
        #expect(try cli.run("customer", "show", customer).status == 0)
        if TestEngine.current == .sqlite {  // the file format's own check (PostgreSQL's server owns its files)
            let check = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [cli.database, "PRAGMA integrity_check"])
            #expect(check.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "ok")
        }
    }
}
