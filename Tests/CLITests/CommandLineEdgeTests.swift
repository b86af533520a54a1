import Foundation
import Testing
import TestSupport

/// Issue 17, "Documents and command line": the command line at its edges, each as a user meets it
/// on a real SQLite file with the real binary (setup of the issue: a Swiss operator, customer 1 in CHF).
struct CommandLineEdgeTests {
    let directory: TemporaryDirectory
    let cli: InvoiceCLI

    init() throws {
        directory = try TemporaryDirectory("cli-edges")
        cli = try InvoiceCLI.creating(database: directory.path("edges.sqlite"), today: "2027-03-10")
        for (key, value) in [("company", "Edge Desk AG"), ("country", "CH"), ("vat_id", "CHE-109.322.551"), ("currency", "CHF")] {
            try cli.ok("settings", "set", key, value)
        }
        try cli.ok("customer", "add", "--company", "Kunde AG", "--email", "ap@kunde.ch", "--country", "CH",
                   "--currency", "CHF", "--language", "de")
    }

    func at(_ day: String, _ arguments: String...) throws -> ProcessResult {
        try cli.run(["--date", day] + arguments)
    }

    /// Before: `new 1 … --issue --date 2027-03-05` after INV-2027-00001 of 03-10 became INV-2027-00002
    /// dated before it. Mutation (mutants.tsv issue-date-order-guard): Invoicing.swift: drop the `claimIssueDate` guard → the backdated
    /// invoice is issued and the exit status is 0.
    @Test func anInvoiceDatedBeforeTheLastIssuedOneOfItsSeriesIsRefused() throws {
        defer { directory.remove() }
        #expect(try at("2027-03-10", "new", "1", "--line", "A;1;100.00;8.1", "--issue").stdout == "INV-2027-00001\n")
        let before = try cli.dump()
        let backdated = try at("2027-03-05", "new", "1", "--line", "B;1;50.00;8.1", "--issue")
        #expect(backdated.status == 1)
        #expect(backdated.stderr.contains("cannot issue on 2027-03-05") && backdated.stderr.contains("issued on 2027-03-10"),
                "\(backdated.stderr)")
        #expect(try cli.dump() == before, "the refusal changes nothing (no draft, no number drawn)")
        // A draft made earlier is issued on the same day or later, in order; a new year's series starts over.
        let draft = try at("2027-03-05", "new", "1", "--line", "C;1;10.00;8.1").stdout.trimmingCharacters(in: .newlines)
        #expect(try at("2027-03-05", "issue", draft).status == 1)
        #expect(try at("2027-03-10", "issue", draft).status == 0)
        #expect(try at("2027-03-11", "new", "1", "--line", "D;1;10.00;8.1", "--issue").stdout == "INV-2027-00003\n")
        #expect(try at("2028-01-02", "new", "1", "--line", "E;1;10.00;8.1", "--issue").stdout == "INV-2028-00001\n")
    }

    /// Before: `refund 1 --amount 1.00 --date 2020-01-01` was recorded seven years before the credit
    /// existed. Mutation (mutants.tsv refund-held-then): Invoicing+Credit.swift: drop the `heldThen` guard → the 2020 refund is recorded.
    @Test func aRefundCannotBeDatedBeforeTheCreditItPaysBack() throws {
        defer { directory.remove() }
        let number = try at("2027-03-10", "new", "1", "--line", "A;1;100.00;8.1", "--issue").stdout.trimmingCharacters(in: .newlines)
        #expect(try at("2027-03-12", "pay", number, "--amount", "120.00").status == 0)  // 11.90 surplus on 03-12
        let before = try cli.dump()
        for day in ["2020-01-01", "2027-03-11"] {
            let early = try at("2027-03-20", "refund", "1", "--amount", "1.00", "--date", day)
            #expect(early.status == 1, "\(day)")
            #expect(early.stderr.contains("refund date \(day) is before") && early.stderr.contains("credit arose from 2027-03-12"),
                    "\(early.stderr)")
        }
        #expect(try cli.dump() == before)
        #expect(try at("2027-03-20", "refund", "1", "--amount", "1.00", "--date", "2027-03-12").stdout.contains("10.90"))
    }

    /// Before: `cash_rounding CHF:0.07` was taken and rounded 108.10 to 108.08. Mutation (mutants.tsv cash-step-any):
    /// Operator+Settings.swift: `isCashStep` returns true → 0.07 is accepted.
    @Test(arguments: ["CHF:0.03", "CHF:0.07", "CHF:0.25", "CHF:0.15", "JPY:3"])
    func cashRoundingTakesOnlyRealCashSteps(value: String) throws {
        defer { directory.remove() }
        let refused = try cli.run("settings", "set", "cash_rounding", value)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("is not a coin or note step"), "\(refused.stderr)")
        #expect(try cli.ok("settings", "set", "cash_rounding", "CHF:0.05,EUR:0.01,SEK:1,DKK:0.50,HUF:5,JPY:10") != "")
        #expect(try cli.ok("settings", "set", "cash_rounding", "CHF:0.20") == "cash_rounding = CHF:0.20")
    }

    /// Before: `pay --currency EUR` on a CHF invoice was refused ("the payment in EUR"), and
    /// `--amount "50.00 CHF" --currency EUR` silently took EUR. Mutation (mutants.tsv payment-currency-conflict): InvoiceCommands.swift: drop the
    /// `named != option` check → the conflict parks EUR 50.00 as unmatched and exits 0.
    @Test func aPaymentInAnotherCurrencyIsKeptAsUnmatchedAndTwoCurrenciesConflict() throws {
        defer { directory.remove() }
        let number = try cli.ok("new", "1", "--line", "A;1;100.00;8.1", "--issue")
        let before = try cli.dump()
        let conflict = try cli.run("pay", number, "--amount", "50.00 CHF", "--currency", "EUR")
        #expect(conflict.status == 64)
        #expect(conflict.stderr.contains("is in CHF but --currency says EUR"), "\(conflict.stderr)")
        #expect(try cli.dump() == before)

        let kept = try #require(try cli.json("pay", number, "--amount", "50.00", "--currency", "EUR", "--reference", "bank 77")
                                as? [String: Any])
        #expect(kept["status"] as? String == "unmatched")
        let id = try #require(kept["id"] as? String)
        let invoice = try #require(try cli.json("show", number) as? [String: Any])
        #expect(invoice["status"] as? String == "open" && invoice["paid"] as? String == "0.00")
        let waiting = try #require(try cli.json("payments", "unmatched") as? [[String: Any]])
        #expect(waiting.count == 1)
        let listed = try cli.ok("payments", "unmatched")
        #expect(listed.contains(id) && listed.contains("EUR 50.00") && listed.contains("bank 77"), "\(listed)")
        // Agreeing forms are one currency: "50.00 EUR" with --currency EUR is kept the same way.
        #expect(try cli.ok("pay", number, "--amount", "50.00 EUR", "--currency", "EUR").contains("unmatched"))
        // Assigning it to the CHF invoice is still refused (it is not CHF); nothing was lost.
        #expect(try cli.run("payments", "assign", id, number).status == 1)
        #expect((try cli.json("payments", "unmatched") as? [[String: Any]])?.count == 2)
    }
}
