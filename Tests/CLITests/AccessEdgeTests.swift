import Foundation
import Testing
import TestSupport

/// Issue 17's setup, through the real executable on a real SQLite file: an empty database, the operator
/// in CH (CHF), customer 1 in CHF, Business 99/990, Enterprise 299/2990, Starter 19.90/199, all 8.1 %,
/// with the default settings (renewal 7 days ahead, 30-day terms, 14 days' grace) unless a test says.
struct EdgeDesk {
    let directory: TemporaryDirectory
    let db: String
    let customer = "1"

    init(_ label: String) throws {
        directory = try TemporaryDirectory(label)
        db = directory.path("invoice.sqlite")
        let setup: [[String]] = [
            ["init"], ["settings", "set", "company", "Edge AG"], ["settings", "set", "country", "CH"],
            ["settings", "set", "vat_id", "CHE-123.456.788"], ["settings", "set", "currency", "CHF"],
            ["customer", "add", "--company", "Kunde AG", "--email", "ap@kunde.example", "--country", "CH", "--currency", "CHF",
             "--language", "de"],
            ["catalog", "add-plan", "Business", "--currency", "CHF", "--monthly", "99.00", "--yearly", "990.00", "--vat", "8.1"],
            ["catalog", "add-plan", "Enterprise", "--currency", "CHF", "--monthly", "299.00", "--yearly", "2990.00", "--vat", "8.1"],
            ["catalog", "add-plan", "Starter", "--currency", "CHF", "--monthly", "19.90", "--yearly", "199.00", "--vat", "8.1"],
        ]
        for arguments in setup {
            let result = try BookingDesk.invoke(db: db, arguments, date: "2027-01-01")
            guard result.status == 0 else { throw ProcessRunnerError.failed("setup \(arguments): \(result.stderr)") }
        }
    }

    func remove() { directory.remove() }

    @discardableResult
    func ok(_ arguments: [String], _ date: String) throws -> String {
        let result = try BookingDesk.invoke(db: db, arguments, date: date)
        #expect(result.status == 0, "invoice \(arguments.joined(separator: " ")) on \(date) failed: \(result.stderr)")
        return result.stdout
    }

    /// Runs a command that must be refused with one line on stderr and change nothing.
    func refused(_ arguments: [String], _ date: String) throws -> String {
        let before = try dump()
        let result = try BookingDesk.invoke(db: db, arguments, date: date)
        #expect(result.status != 0, "invoice \(arguments.joined(separator: " ")) should have been refused: \(result.stdout)")
        #expect(result.stderr.split(separator: "\n").count == 1, "one-line error: \(result.stderr)")
        #expect(try dump() == before, "the refused command changed the database")
        return result.stderr
    }

    func json(_ arguments: [String], _ date: String) throws -> [String: Any] {
        let out = try ok(arguments + ["--json"], date)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "\(arguments): \(out)")
    }

    func plan(_ date: String) throws -> [String: Any] { try json(["plan", customer, "show"], date) }
    func planText(_ date: String) throws -> String { try ok(["plan", customer, "show"], date) }
    func invoice(_ number: String) throws -> [String: Any] { try json(["show", number], "2027-01-01") }

    /// Invoice numbers a run issued.
    @discardableResult
    func run(_ date: String) throws -> [String] { (try json(["run"], date)["invoices"] as? [String]) ?? [] }

    /// `plan 1 activate PLAN --monthly|--yearly` on `date`, paid in full the same day; returns its invoice.
    @discardableResult
    func bookPaid(_ plan: String = "Business", _ cycle: String = "--monthly", on date: String) throws -> String {
        let activated = try json(["plan", customer, "activate", plan, cycle], date)
        let number = try #require(activated["invoice"] as? String)
        try payInFull(number, on: date)
        return number
    }

    func payInFull(_ number: String, on date: String, dated: String? = nil) throws {
        let open = try #require((try invoice(number)["open"] as? String), "open amount of \(number)")
        try ok(["pay", number, "--amount", open] + (dated.map { ["--date", $0] } ?? []), date)
    }

    func dump() throws -> String { try TestEngine.dump(db) }

    /// Every issued invoice (not credit notes) with what its first line bills: "NUMBER TITLE TOTAL STATUS".
    func invoiceLines() throws -> [String] {
        try TestEngine.rows(db, """
            SELECT i.number || ' ' || l.title || ' ' || i.total || ' ' || i.status FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id \
            AND l.position = 1 WHERE i.number IS NOT NULL AND i.kind = 'invoice' ORDER BY i.id
            """)
    }
}

/// Issue 17 "Access wrong" and the period rules (items 2, 4, 11–14): each reproduces the issue's
/// sequence and failed on the code before the fix named in its comment.
@Suite struct AccessEdgeTests {
    // Item 2: monthly from 03-01, April's renewal paid on 03-24, cancelled on 03-25. The cancel said
    // "usable until 2027-03-31"; on 04-01 the paid April rolled in as `active` (the cancellation lost)
    // and May was invoiced and renewed. Rule (Stripe's cancel_at_period_end): usable to the end of
    // what is paid, then expired, nothing more invoiced.
    // Mutation (mutants.tsv endperiod-cancelled-active): ScheduledRun+Steps.swift endPeriod: `renewed.status = .active` for a cancelled booking again → May is invoiced, test fails.
    @Test func aCancellationAfterTheNextPeriodIsPaidRunsToTheEndOfThePaidPeriod() throws {
        let desk = try EdgeDesk("cancel-paid-next")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-03-01")
        let april = try #require(try desk.run("2027-03-24").first)
        try desk.payInFull(april, on: "2027-03-24")
        let cancelled = try desk.ok(["plan", desk.customer, "cancel"], "2027-03-25")
        #expect(cancelled.contains("usable until 2027-04-30"), "\(cancelled)")
        #expect(try desk.planText("2027-03-26").contains("usable until 2027-04-30"))
        for day in ["2027-04-01", "2027-04-15", "2027-04-23", "2027-04-24", "2027-04-30"] {
            #expect(try desk.run(day).isEmpty, "invoiced on \(day)")
            let plan = try desk.plan(day)
            #expect(plan["status"] as? String == "cancelled", "\(day): \(plan["status"] ?? "nil")")
            #expect(plan["end"] as? String == "2027-04-30")
        }
        #expect(try desk.run("2027-05-01").isEmpty)
        let may = try desk.plan("2027-05-01")
        #expect(may["status"] as? String == "expired")
        #expect(may["end"] as? String == "2027-04-30")
        #expect(try desk.run("2027-06-15").isEmpty)
        let all = try desk.invoiceLines()
        #expect(all.count == 2, "\(all)")
    }

    // Item 4: `period --end 2027-04-15` on a March paid 03-01 billed 04-16 – 04-30 as a full month
    // (107.00). Rule (Stripe's billing-cycle anchor moves with the period): the next period is a full
    // cycle from the day after the new end, and the booking renews on that day of the month from then on.
    // Mutation (mutants.tsv editperiod-no-anchor-extend): Bookings.swift editPeriod: drop the new anchor day → the renewal is 16.04.–30.04. at 107.00, test fails.
    @Test func extendingThePeriodMakesTheNextOneAFullMonthFromTheDayAfter() throws {
        let desk = try EdgeDesk("period-extend")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-03-01")
        try desk.ok(["plan", desk.customer, "period", "--end", "2027-04-15"], "2027-03-02")
        #expect(try desk.run("2027-04-07").isEmpty, "invoiced before renewal_days ahead of 04-15")
        let renewal = try #require(try desk.run("2027-04-08").first)
        #expect(try desk.invoiceLines().last == "\(renewal) Business Tarif 16.04.2027 – 15.05.2027 10700 open")
        try desk.payInFull(renewal, on: "2027-04-10")
        try desk.run("2027-04-16")
        let plan = try desk.plan("2027-04-16")
        #expect(plan["start"] as? String == "2027-04-16")
        #expect(plan["end"] as? String == "2027-05-15")
        let next = try #require(plan["next_renewal"] as? [String: Any])
        #expect(next["period_start"] as? String == "2027-05-16")
        #expect(next["invoice_on"] as? String == "2027-05-08")
    }

    // Item 4: shortening a paid March to 03-04 billed a "renewal" 05.03. – 31.03. of the paid March at
    // the full price. Now the next period is a full month 05.03. – 04.04.
    // Mutation (mutants.tsv editperiod-no-anchor-shorten): Bookings.swift editPeriod: drop the new anchor day → the renewal bills 05.03.–31.03., test fails.
    @Test func shorteningThePeriodNeverBillsTheRestOfThePaidMonthAsARenewal() throws {
        let desk = try EdgeDesk("period-shorten")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-03-01")
        try desk.ok(["plan", desk.customer, "period", "--end", "2027-03-04"], "2027-03-02")
        let renewal = try #require(try desk.run("2027-03-02").first)
        #expect(try desk.invoiceLines().last == "\(renewal) Business Tarif 05.03.2027 – 04.04.2027 10700 open")
    }

    // Item 4: an end that falls where the old anchor would end a period keeps a 31st anchor: moved to
    // 04-29 (the 30th is the 31st clamped in April), it renews 30.04. – 30.05., not 30.04. – 29.05.
    // Mutation (mutants.tsv editperiod-always-reanchor): Bookings.swift editPeriod: re-anchor on every --end (`if true`) → the renewal ends 29.05.2027, test fails.
    @Test func anEndOnTheClampedAnchorKeepsTheAnchorDay() throws {
        let desk = try EdgeDesk("period-anchor")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-01-31")
        try desk.ok(["plan", desk.customer, "period", "--end", "2027-04-29"], "2027-02-01")
        let renewal = try #require(try desk.run("2027-04-22").first)
        #expect(try desk.invoiceLines().last == "\(renewal) Business Tarif 30.04.2027 – 30.05.2027 10700 open")
    }

    // Item 11: a `run` dated before the last run reactivated a lapsed booking. Now it is refused with
    // one line and changes nothing; a run for the same day again is still fine.
    // Mutation (mutants.tsv run-last-run-check): ScheduledRun.swift run: remove the last-run check → the earlier run succeeds and the plan is active again, test fails.
    @Test func aRunDatedBeforeTheLastRunIsRefusedAndReactivatesNothing() throws {
        let desk = try EdgeDesk("run-backwards")
        defer { desk.remove() }
        try desk.ok(["settings", "set", "payment_terms", "5"], "2027-01-01")
        try desk.ok(["settings", "set", "grace_days", "3"], "2027-01-01")
        try desk.bookPaid(on: "2027-03-01")
        #expect(try desk.run("2027-03-24").count == 1)
        try desk.run("2027-04-02")
        #expect(try desk.plan("2027-04-02")["status"] as? String == "lapsed")
        let error = try desk.refused(["run"], "2027-03-30")
        #expect(error.contains("2027-03-30") && error.contains("2027-04-02"), "\(error)")
        #expect(try desk.plan("2027-04-02")["status"] as? String == "lapsed")
        try desk.run("2027-04-02")
        #expect(try desk.plan("2027-04-02")["status"] as? String == "lapsed")
    }

    // Item 12: the booking line of a plan invoice could be edited to "Anything 1.00", and paying 1.00
    // still activated a month. Its lines come from the booking: the edit is refused.
    // Mutation (mutants.tsv edit-booking-line-check): Invoicing.swift edit: remove the booking-line check → the edit succeeds, test fails.
    @Test func aPlanInvoicesBookingLineIsNotEditable() throws {
        let desk = try EdgeDesk("edit-booking-line")
        defer { desk.remove() }
        let activated = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], "2027-03-01")
        let number = try #require(activated["invoice"] as? String)
        let error = try desk.refused(["edit", number, "--line", "Anything;1;1.00;8.1"], "2027-03-01")
        #expect(error.contains(number) && error.contains("Business"), "\(error)")
        _ = try desk.refused(["edit", number, "--add-line", "Discount;1;-98.00;8.1"], "2027-03-01")
        _ = try desk.refused(["edit", number, "--gross"], "2027-03-01")
        // Words that do not change what is billed stay editable.
        try desk.ok(["edit", number, "--notes", "Thank you"], "2027-03-01")
        #expect(try desk.invoice(number)["total"] as? String == "107.00")
    }

    // Item 13: a downgrade announced "invoiced on 2027-04-12" was invoiced on 04-13 (the run looked
    // at scheduled bookings starting within renewal_days, one day short of the period they follow).
    // Mutation (mutants.tsv run-horizon-short): ScheduledRun.swift run: horizon back to today + renewal_days → nothing on 04-12, test fails.
    @Test func aDowngradeIsInvoicedOnTheDayItAnnounced() throws {
        let desk = try EdgeDesk("downgrade-day")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-03-20")
        let announced = try desk.ok(["plan", desk.customer, "activate", "Starter", "--monthly"], "2027-04-01")
        #expect(announced.contains("invoiced on 2027-04-12"), "\(announced)")
        #expect(try desk.run("2027-04-11").isEmpty)
        let invoiced = try desk.run("2027-04-12")
        #expect(invoiced.count == 1, "nothing invoiced on the announced day")
        #expect(try desk.invoiceLines().last == "\(invoiced.first ?? "-") Starter Tarif 20.04.2027 – 19.05.2027 2150 open")
    }
}
