import Foundation
import Testing
import TestSupport

/// A fresh database driven through the `invoice` executable, as cron and scripts drive it.
struct BookingDesk {
    let directory: TemporaryDirectory
    let db: String
    let customer: String

    /// `database`: a PostgreSQL URI the desk is made in instead of the folder's file (MultiHostTests).
    init(label: String = "bookings", database: String? = nil) throws {
        directory = try TemporaryDirectory(label)
        db = database ?? directory.path("invoice.sqlite")
        customer = ""
        let setup: [[String]] = [
            ["init"], ["settings", "set", "company", "Desk AG"], ["settings", "set", "payment_terms", "14"],
            ["catalog", "add-plan", "Starter", "--currency", "EUR", "--monthly", "10.00", "--yearly", "100.00", "--vat", "19", "--trial-days", "14"],
            ["catalog", "add-plan", "Business", "--currency", "EUR", "--monthly", "31.00", "--yearly", "300.00", "--vat", "19", "--trial-days", "30"],
            ["catalog", "add-plan", "Enterprise", "--currency", "EUR", "--monthly", "100.00", "--yearly", "1000.00", "--vat", "19"],
            ["catalog", "add-plan", "Community", "--currency", "EUR", "--free", "--vat", "19"],
            ["catalog", "add-plan", "Legacy", "--currency", "EUR", "--monthly", "5.00", "--yearly", "50.00", "--vat", "19"],
            ["catalog", "edit", "plan", "Legacy", "--inactive"],
            ["catalog", "add-module", "Zeiterfassung", "--currency", "EUR", "--monthly", "5.00", "--yearly", "50.00", "--vat", "19", "--trial-days", "7"],
            ["catalog", "add-module", "Mahnwesen", "--currency", "EUR", "--monthly", "3.00", "--yearly", "30.00", "--vat", "19"],
        ]
        for arguments in setup { _ = try BookingDesk.invoke(db: db, arguments, date: "2026-01-01", expectSuccess: true, in: directory.url) }
    }

    init(copying desk: BookingDesk) {
        directory = desk.directory
        db = desk.db
        customer = desk.customer
    }

    /// Adds a customer and returns a desk whose `customer` is its id.
    func withCustomer(currency: String = "EUR", company: String = "Acme GmbH") throws -> BookingDesk {
        let id = try ok(["customer", "add", "--company", company, "--email", "billing@acme.example", "--country", "DE",
                         "--currency", currency, "--language", "de"]).trimmingCharacters(in: .whitespacesAndNewlines)
        var desk = BookingDesk(copying: self)
        desk.setCustomer(id)
        return desk
    }

    private mutating func setCustomer(_ id: String) { self = BookingDesk(directory: directory, db: db, customer: id) }

    private init(directory: TemporaryDirectory, db: String, customer: String) {
        self.directory = directory
        self.db = db
        self.customer = customer
    }

    /// `in`: the folder the command runs in (on PostgreSQL its `./Outbox` is there), else the test's.
    static func invoke(db: String, _ arguments: [String], date: String, expectSuccess: Bool? = nil,
                       in folder: URL? = nil) throws -> ProcessResult {
        let result = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", try TestEngine.location(for: db), "--date", date] + arguments,
                                           currentDirectory: folder)
        if let expectSuccess {
            if expectSuccess && result.status != 0 {
                Issue.record("invoice \(arguments.joined(separator: " ")) failed: \(result.stderr)")
            }
        }
        return result
    }

    @discardableResult
    func ok(_ arguments: [String], date: String = "2026-01-01") throws -> String {
        let result = try BookingDesk.invoke(db: db, arguments, date: date, in: directory.url)
        #expect(result.status == 0, "invoice \(arguments.joined(separator: " ")) failed: \(result.stderr)")
        return result.stdout
    }

    func fails(_ arguments: [String], date: String = "2026-01-01") throws -> ProcessResult {
        let result = try BookingDesk.invoke(db: db, arguments, date: date, in: directory.url)
        #expect(result.status != 0, "invoice \(arguments.joined(separator: " ")) should have failed")
        #expect(!result.stderr.isEmpty && result.stderr.split(separator: "\n").count == 1, "one-line error: \(result.stderr)")
        return result
    }

    func json(_ arguments: [String], date: String = "2026-01-01") throws -> [String: Any] {
        let out = try ok(arguments + ["--json"], date: date)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any],
                            "invoice \(arguments.joined(separator: " ")) --json: not an object: \(out)")
    }

    // Mutation (mutants.tsv plan-list-json-object): `list --json` closing an empty listing with `}` (not a list) → with the old
    // `?? []` fallback aFreePlanIsActiveAtOnceWithoutInvoice passed; now it fails here.
    func jsonList(_ arguments: [String], date: String = "2026-01-01") throws -> [[String: Any]] {
        let out = try ok(arguments + ["--json"], date: date)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]],
                            "invoice \(arguments.joined(separator: " ")) --json: not a list of objects: \(out)")
    }

    func plan(_ date: String = "2026-01-01") throws -> [String: Any] { try json(["plan", customer, "show"], date: date) }

    func invoice(_ number: String) throws -> [String: Any] { try json(["show", number]) }

    /// Everything in the database as SQL text, for before/after comparisons.
    func dump() throws -> String { try TestEngine.dump(db) }

    /// Domain state without wall-clock stamps: for comparing runs made in different orders.
    func state() throws -> String { try BookingDesk.state(of: db) }

    /// The domain state of the database a test names `db` (see `state()`). Rows are named by their
    /// rank among their table's ids, not by the ids themselves: PostgreSQL's identity columns skip the
    /// ids a rolled-back (or retried) transaction drew, so two equal histories may differ in ids alone.
    static func state(of db: String) throws -> String {
        func rank(_ table: String, _ id: String) -> String { "(SELECT count(*) FROM \(table) x WHERE x.id <= \(id))" }
        return try TestEngine.sql(db, """
            SELECT \(rank("bookings", "b.id")), customer_id, product_id, kind, cycle, status, start, "end", \
            \(rank("invoices", "b.invoice_id")), \(rank("bookings", "b.replaces_id")), anchor_day, price_currency, price_amount, \
            price_vat, price_gross, next_price, lapsed FROM bookings b ORDER BY b.id;
            SELECT \(rank("booking_periods", "p.id")), \(rank("bookings", "p.booking_id")), cycle, reason, planned_start, start, "end", \
            \(rank("invoices", "p.invoice_id")), currency, list_amount, credit, carried_credit, state, paid_on, starts_on_payment \
            FROM booking_periods p ORDER BY p.id;
            SELECT \(rank("invoices", "i.id")), number, status, issue_date, due_date, total, paid FROM invoices i ORDER BY i.id;
            SELECT \(rank("invoices", "r.invoice_id")), level FROM reminders r ORDER BY r.invoice_id, r.level;
            SELECT \(rank("bookings", "e.booking_id")), date, action, detail FROM booking_events e ORDER BY e.id;
            SELECT customer_id, amount, reason FROM credit_ledger ORDER BY id
            """)
    }

    func remove() { directory.remove() }
}

@Suite struct PlanCommandTests {
    @Test func aMonthlyPlanIsPendingUntilItsInvoiceIsPaidThenRunsOneMonthFromThePaymentDay() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let activated = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-12-01")
        #expect(activated["status"] as? String == "pending")
        #expect(activated["amount"] as? String == "36.89")
        let number = try #require(activated["invoice"] as? String)
        let invoice = try desk.invoice(number)
        #expect(invoice["status"] as? String == "open")
        let lines = try #require(invoice["lines"] as? [[String: Any]])
        #expect(lines.first?["title"] as? String == "Business Tarif — 1 Monat ab Zahlungseingang")
        #expect(try desk.plan("2026-12-02")["status"] as? String == "pending")

        try desk.ok(["pay", number, "--amount", "36.89"], date: "2026-12-05")
        let plan = try desk.plan("2026-12-05")
        #expect(plan["kind"] as? String == "plan")
        #expect(plan["product"] as? String == "Business")
        #expect(plan["status"] as? String == "active")
        #expect(plan["cycle"] as? String == "monthly")
        #expect(plan["start"] as? String == "2026-12-05")
        #expect(plan["end"] as? String == "2027-01-04")
        #expect(plan["invoice"] as? String == number)
        let next = try #require(plan["next_renewal"] as? [String: Any])
        #expect(next["period_start"] as? String == "2027-01-05")
        #expect(next["invoice_on"] as? String == "2026-12-28")
        #expect((plan["history"] as? [Any])?.isEmpty == false)
    }

    @Test func aYearlyPlanPaidBeforeItsPlannedStartKeepsThePlannedStart() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let activated = try desk.json(["plan", desk.customer, "activate", "Starter", "--yearly"], date: "2026-03-01")
        let number = try #require(activated["invoice"] as? String)
        try desk.ok(["pay", number, "--amount", "119.00"], date: "2026-03-01")
        let plan = try desk.plan("2026-03-01")
        #expect(plan["start"] as? String == "2026-03-01")
        #expect(plan["end"] as? String == "2027-02-28")
        #expect(plan["cycle"] as? String == "yearly")
    }

    @Test func aTrialRunsTheCatalogDaysOnceAndIsConvertedWhenAPaidPeriodStarts() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let trial = try desk.json(["plan", desk.customer, "activate", "Starter", "--trial"], date: "2026-05-01")
        #expect(trial["status"] as? String == "trial")
        #expect(trial["end"] as? String == "2026-05-14")
        #expect(trial["invoice"] is NSNull)
        _ = try desk.fails(["plan", desk.customer, "activate", "Enterprise", "--trial"], date: "2026-05-02")

        let change = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-05-05")
        #expect(change["status"] as? String == "pending")
        #expect(change["change"] as? String == "conversion")
        #expect(try desk.plan("2026-05-05")["status"] as? String == "trial")
        let number = try #require(change["invoice"] as? String)
        try desk.ok(["pay", number, "--amount", "11.90"], date: "2026-05-08")
        let plan = try desk.plan("2026-05-08")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2026-05-08")
        let all = try desk.jsonList(["plan", desk.customer, "list"])
        #expect(all.first?["status"] as? String == "expired")
        #expect(all.first?["end"] as? String == "2026-05-07")

        // A trial only once per customer and product, even after it ended.
        try desk.ok(["plan", desk.customer, "withdraw"], date: "2026-06-01")
        let again = try desk.fails(["plan", desk.customer, "activate", "Starter", "--trial"], date: "2026-06-02")
        #expect(again.stderr.contains("already had the trial"))
    }

    @Test func aFreePlanIsActiveAtOnceWithoutInvoice() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let free = try desk.json(["plan", desk.customer, "activate", "Community", "--free"], date: "2026-02-01")
        #expect(free["status"] as? String == "free")
        #expect(free["cycle"] as? String == "free")
        #expect(free["end"] is NSNull)
        #expect(free["invoice"] is NSNull)
        #expect(try desk.jsonList(["list"]).isEmpty)
    }

    @Test func anUpgradeCreditsTheUnusedPaidDaysAsANegativeLineAndTakesEffectWhenPaid() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "11.90"], date: "2026-01-01")
        // Period 2026-01-01 – 2026-01-31 (31 days); from the 11th, 21 days unused: 10.00 × 21 / 31 = 6.774 → 6.77.
        let upgrade = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-01-11")
        #expect(upgrade["change"] as? String == "upgrade")
        #expect(upgrade["status"] as? String == "pending")
        let number = try #require(upgrade["invoice"] as? String)
        let invoice = try desk.invoice(number)
        let lines = try #require(invoice["lines"] as? [[String: Any]])
        #expect(lines.count == 2)
        #expect(lines.last?["amount"] as? String == "-6.77")
        #expect(lines.last?["vat_rate"] as? String == "19")
        #expect(invoice["net"] as? String == "24.23")
        #expect(try desk.plan("2026-01-12")["product"] as? String == "Starter")

        try desk.ok(["pay", number, "--amount", invoice["total"] as? String ?? "0"], date: "2026-01-13")
        let plan = try desk.plan("2026-01-13")
        #expect(plan["product"] as? String == "Business")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2026-01-13")
        let old = try desk.jsonList(["plan", desk.customer, "list"]).first
        #expect(old?["status"] as? String == "expired")
        #expect(old?["end"] as? String == "2026-01-12")
    }

    @Test func aDowngradeIsScheduledForTheDayAfterThePaidPeriodAndInvoicedByTheRun() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Business", "--yearly"], date: "2026-01-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "357.00"], date: "2026-01-01")
        let down = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-06-01")
        #expect(down["change"] as? String == "downgrade")
        #expect(down["status"] as? String == "scheduled")
        #expect(down["start"] as? String == "2027-01-01")
        #expect(down["invoice"] is NSNull)
        let shown = try desk.plan("2026-06-01")
        #expect(shown["status"] as? String == "active")
        #expect((shown["change"] as? [String: Any])?["status"] as? String == "scheduled")

        let run = try desk.json(["run"], date: "2026-12-25")
        #expect(run["changes_invoiced"] as? Int == 1)
        #expect(run["renewals_invoiced"] as? Int == 0)
        let scheduled = try #require(try desk.jsonList(["plan", desk.customer, "list"], date: "2026-12-25").last)
        let number = try #require(scheduled["invoice"] as? String)
        try desk.ok(["pay", number, "--amount", "36.89"], date: "2026-12-28")
        try desk.ok(["run"], date: "2027-01-01")
        let plan = try desk.plan("2027-01-01")
        #expect(plan["cycle"] as? String == "monthly")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2027-01-01")
        #expect(plan["end"] as? String == "2027-01-31")
        #expect(try desk.jsonList(["plan", desk.customer, "list"]).first?["status"] as? String == "expired")
    }

    @Test func editingThePeriodIsReportedAndAnEndBeforeTheStartIsRefused() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        try desk.ok(["plan", desk.customer, "activate", "Community", "--free"], date: "2026-02-01")
        let edited = try desk.json(["plan", desk.customer, "period", "--start", "2026-01-15", "--end", "2026-12-31"])
        #expect(edited["start"] as? String == "2026-01-15")
        #expect(edited["end"] as? String == "2026-12-31")
        #expect((edited["message"] as? String)?.contains("2026-01-15 – 2026-12-31") == true)
        let before = try desk.dump()
        let refused = try desk.fails(["plan", desk.customer, "period", "--start", "2026-03-01", "--end", "2026-02-01"])
        #expect(refused.stderr.contains("before the start"))
        #expect(try desk.dump() == before)
    }

    @Test func cancellingKeepsThePlanUntilItsEndThenTheRunExpiresItAndRevokeUndoesIt() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-04-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "11.90"], date: "2026-04-01")
        #expect(try desk.json(["plan", desk.customer, "cancel"], date: "2026-04-10")["status"] as? String == "cancelled")
        #expect(try desk.json(["plan", desk.customer, "revoke"], date: "2026-04-11")["status"] as? String == "active")
        try desk.ok(["plan", desk.customer, "cancel"], date: "2026-04-12")
        let run = try desk.json(["run"], date: "2026-04-25")
        #expect(run["renewals_invoiced"] as? Int == 0)
        #expect(try desk.plan("2026-04-30")["status"] as? String == "cancelled")
        try desk.ok(["run"], date: "2026-05-01")
        let plan = try desk.plan("2026-05-01")
        #expect(plan["status"] as? String == "expired")
        #expect(plan["end"] as? String == "2026-04-30")
        let history = try #require(plan["history"] as? [[String: Any]], "plan show has a history").map { try #require($0["action"] as? String) }
        #expect(history.filter { $0 == "expire" }.count == 1)
        try desk.ok(["run"], date: "2026-05-02")
        let again = try #require(try desk.plan("2026-05-02")["history"] as? [[String: Any]]).map { try #require($0["action"] as? String) }
        #expect(again.filter { $0 == "expire" }.count == 1)
    }

    /// Issue 8: withdraw dropped the customer's whole credit balance, cash they had paid included.
    /// Mutation (mutants.tsv withdraw-drops-credit-cli): put back the loop that books `-balance` "dropped on withdrawal" → this test fails.
    @Test func withdrawingEndsTodayCancelsUnpaidInvoicesAndKeepsTheCustomersCash() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-04-01")
        let paidNumber = try #require(first["invoice"] as? String)
        try desk.ok(["pay", paidNumber, "--amount", "11.90"], date: "2026-04-01")
        try desk.ok(["run"], date: "2026-04-24")
        let renewal = try #require(try desk.plan("2026-04-24")["next_renewal"] as? [String: Any])
        let renewalNumber = try #require(renewal["invoice"] as? String)
        // A part payment of the renewal becomes credit when it is cancelled, and that credit is kept.
        try desk.ok(["pay", renewalNumber, "--amount", "5.00"], date: "2026-04-25")
        let withdrawn = try desk.json(["plan", desk.customer, "withdraw"], date: "2026-04-26")
        #expect(withdrawn["status"] as? String == "withdrawn")
        #expect(withdrawn["end"] as? String == "2026-04-26")
        #expect(withdrawn["cancelled_invoices"] as? [String] == [renewalNumber])
        // The unused days of the paid period are forfeited (recorded), not credited.
        // 04-27 to 04-30, 4 of 30 days of 10.00 (04-26 is the last day used).
        #expect(((withdrawn["forfeited"] as? [[String: Any]])?.first?["amount"] as? String) == "1.33")
        #expect(try desk.invoice(renewalNumber)["status"] as? String == "cancelled")
        #expect(try desk.invoice(paidNumber)["status"] as? String == "paid")
        let customer = try desk.json(["customer", "show", desk.customer])
        #expect(customer["credit_balance"] as? String == "5.00")
        let ledger = try TestEngine.sql(desk.db, "SELECT count(*) FROM credit_ledger WHERE amount < 0")
        #expect(ledger == "0\n")
        // Money for the cancelled renewal is never refused: it becomes credit too.
        try desk.ok(["pay", renewalNumber, "--amount", "11.90"], date: "2026-04-27")
        #expect(try desk.json(["customer", "show", desk.customer])["credit_balance"] as? String == "16.90")
    }

    @Test func modulesAreBookedPerModuleWithTheSameVerbs() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let trial = try desk.json(["module", desk.customer, "activate", "Zeiterfassung", "--trial"], date: "2026-03-01")
        #expect(trial["kind"] as? String == "module")
        #expect(trial["end"] as? String == "2026-03-07")
        let paid = try desk.json(["module", desk.customer, "activate", "Mahnwesen", "--yearly"], date: "2026-03-01")
        try desk.ok(["pay", try #require(paid["invoice"] as? String), "--amount", "35.70"], date: "2026-03-02")
        let list = try desk.jsonList(["module", desk.customer, "list"], date: "2026-03-02")
        #expect(list.map { $0["product"] as? String } == ["Zeiterfassung", "Mahnwesen"])
        #expect(list.map { $0["status"] as? String } == ["trial", "active"])
        #expect(list.allSatisfy { $0["kind"] as? String == "module" && $0["cycle"] != nil && $0["start"] != nil })

        #expect(try desk.json(["module", desk.customer, "cancel", "Mahnwesen"])["status"] as? String == "cancelled")
        #expect(try desk.json(["module", desk.customer, "revoke", "Mahnwesen"])["status"] as? String == "active")
        let period = try desk.json(["module", desk.customer, "period", "Mahnwesen", "--end", "2027-06-30"])
        #expect(period["end"] as? String == "2027-06-30")
        #expect(try desk.json(["module", desk.customer, "withdraw", "Zeiterfassung"], date: "2026-03-03")["status"] as? String == "withdrawn")
        try desk.ok(["run"], date: "2026-03-10")
        let after = try desk.jsonList(["module", desk.customer, "list"], date: "2026-03-10")
        #expect(after.map { $0["status"] as? String } == ["withdrawn", "active"])
        #expect(try desk.ok(["module", desk.customer, "list"]).contains("Mahnwesen module — active"))
    }

    @Test func badInputIsRefusedWithOneLineAndLeavesTheDatabaseUnchanged() throws {
        let desk = try BookingDesk().withCustomer()
        defer { desk.remove() }
        let dollars = try desk.withCustomer(currency: "USD", company: "Dollar Inc")
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-01")
        let firstNumber = try #require(first["invoice"] as? String)
        try desk.ok(["pay", firstNumber, "--amount", "11.90"], date: "2026-01-01")
        try desk.ok(["module", desk.customer, "activate", "Zeiterfassung", "--trial"], date: "2026-01-01")
        let cancelled = try desk.json(["new", dollars.customer, "--line", "Setup;1;10.00;0", "--issue"])
        try desk.ok(["cancel", try #require(cancelled["number"] as? String)])

        let before = try desk.dump()
        let attempts: [[String]] = [
            ["plan", desk.customer, "activate", "Nonexistent", "--monthly"],
            ["plan", desk.customer, "activate", "Legacy", "--monthly"],
            ["plan", desk.customer, "activate", "Starter", "--monthly"],
            ["plan", desk.customer, "activate", "Business", "--trial"],
            ["plan", desk.customer, "activate", "Enterprise", "--trial"],
            ["module", desk.customer, "activate", "Zeiterfassung", "--trial"],
            ["plan", dollars.customer, "activate", "Starter", "--monthly"],
            ["plan", desk.customer, "activate", "Business"],
            ["plan", desk.customer, "activate", "Business", "--monthly", "--yearly"],
            ["plan", desk.customer, "period", "--start", "2026-02-01", "--end", "2026-01-31"],
            ["plan", desk.customer, "period", "--end", "2025-12-01"],
            ["plan", desk.customer, "period", "--start", "2026-13-01"],
            ["plan", desk.customer, "revoke"],
            ["module", desk.customer, "cancel", "Zeiterfassung"],
            ["module", desk.customer, "revoke", "Zeiterfassung"],
            ["module", desk.customer, "cancel", "Mahnwesen"],
            ["plan", dollars.customer, "cancel"],
            ["plan", dollars.customer, "withdraw"],
            ["plan", "999", "show"],
        ]
        for attempt in attempts {
            _ = try desk.fails(attempt, date: "2026-01-05")
            #expect(try desk.dump() == before, "\(attempt.joined(separator: " ")) changed the database")
        }
        let same = try desk.fails(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-05")
        #expect(same.stderr.contains("already booked monthly"))
        try desk.ok(["plan", desk.customer, "cancel"], date: "2026-01-05")
        let notActive = try desk.fails(["plan", desk.customer, "cancel"], date: "2026-01-06")
        #expect(notActive.stderr.contains("not active"))
    }

    @Test func helpPagesDescribeTheBookingCommands() throws {
        let desk = try BookingDesk()
        defer { desk.remove() }
        #expect(try desk.ok(["plan", "--help"]).contains("invoice plan CUSTOMER activate PLAN --free|--trial|--monthly|--yearly"))
        #expect(try desk.ok(["module", "--help"]).contains("invoice module CUSTOMER list"))
        #expect(try desk.ok(["run", "--help"]).contains("invoice run [--no-mail] [--date YYYY-MM-DD]"))
        #expect(try desk.ok(["--help"]).contains("plan CUSTOMER"))
    }
}
