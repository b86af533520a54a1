import Foundation
import Testing
import TestSupport

/// Issue 17 items 10 and 14 on the setup (`EdgeDesk`, defaults: renewal 7 days ahead, 30-day
/// terms, 14 days' grace): the monthly grace rule, and `plan show` telling what is true today.
@Suite struct AccessGraceTests {
    // Item 10, with the defaults (renewal 7 days ahead, 30-day terms, 14 days' grace): the unpaid
    // March renewal (due 03-23, grace to 04-06) ran on into April with April invoiced on top; the
    // lapse named April's invoice; paying March left the plan locked until the next run. Rule: the
    // next period is invoiced once the one before it is paid; an unpaid period is usable up to due
    // date + grace but never past its own end; paying its invoice after that end renews at once, a full
    // month from the day of payment.
    // Mutation (mutants.tsv renew-while-unpaid): ScheduledRun+Steps.swift stepRunning: drop `lapseDay == nil` from the renewal condition → April is invoiced on 03-24, test fails.
    // Mutation (mutants.tsv paid-not-brought-up-to-date): PaidStatusWatcher.swift invoiceBecamePaid: skip bringUpToDate → after paying March the plan stays lapsed, test fails.
    @Test func anUnpaidMonthLapsesAtItsEndWithoutTheNextInvoicedAndPayingItRenewsAtOnce() throws {
        let desk = try EdgeDesk("monthly-grace")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-02-01")
        let march = try #require(try desk.run("2027-02-21").first)
        #expect(try desk.invoice(march)["due_date"] as? String == "2027-03-23")
        for day in ["2027-03-01", "2027-03-23", "2027-03-24", "2027-03-28", "2027-03-31"] {
            #expect(try desk.run(day).isEmpty, "invoiced on \(day) while March is unpaid")
            #expect(try desk.plan(day)["status"] as? String == "active", "no access on \(day)")
        }
        let pastDue = try desk.plan("2027-03-28")
        #expect(pastDue["renewal"] as? String == "past_due")
        #expect(pastDue["usable_until"] as? String == "2027-03-31")
        #expect(try desk.run("2027-04-01").isEmpty)
        let lapsed = try desk.plan("2027-04-01")
        #expect(lapsed["status"] as? String == "lapsed")
        #expect(lapsed["invoice"] as? String == march)
        let text = try desk.planText("2027-04-02")
        #expect(text.contains(march) && text.contains("2027-04-06"), "\(text)")
        #expect(try desk.invoiceLines().count == 2)
        // Paid on 04-03 (no run): active at once; the days without access are not billed: the renewal is
        // a full month from the day of payment.
        try desk.payInFull(march, on: "2027-04-03")
        let renewed = try desk.plan("2027-04-03")
        #expect(renewed["status"] as? String == "active")
        #expect(renewed["start"] as? String == "2027-04-03")
        #expect(renewed["end"] as? String == "2027-05-02")
        #expect(renewed["renewal"] as? String == "open")
        let april = try #require(renewed["invoice"] as? String)
        #expect(april != march)
        #expect(try desk.invoiceLines().last == "\(april) Business Tarif 03.04.2027 – 02.05.2027 10700 open")
        #expect(try desk.run("2027-04-03").isEmpty)
    }

    // Item 10: the unpaid month, never paid, expires when its invoice's grace is over (04-07), its
    // invoice cancelled; nothing else is ever invoiced.
    // Mutation (mutants.tsv lapsed-expires-in-grace): ScheduledRun+Steps.swift stepLapsed: drop `today >= lapseDay` → the booking expires on 04-01, test fails.
    @Test func anUnpaidMonthNeverPaidExpiresWhenItsGraceIsOver() throws {
        let desk = try EdgeDesk("monthly-grace-unpaid")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-02-01")
        let march = try #require(try desk.run("2027-02-21").first)
        try desk.run("2027-04-01")
        try desk.run("2027-04-06")
        #expect(try desk.plan("2027-04-06")["status"] as? String == "lapsed")
        #expect(try desk.invoice(march)["status"] as? String == "open")
        try desk.run("2027-04-07")
        let plan = try desk.plan("2027-04-07")
        #expect(plan["status"] as? String == "expired")
        #expect(plan["end"] as? String == "2027-03-31")
        #expect(try desk.invoice(march)["status"] as? String == "cancelled")
        try desk.run("2027-06-01")
        let all = try desk.invoiceLines()
        #expect(all.count == 2, "\(all)")
    }

    // Item 14: `plan show` printed the ended March as current and the history out of order until the
    // next run. It shows what is true today: April (paid ahead), history by date.
    // Mutation (mutants.tsv details-stored-booking): Bookings+Details.swift details: use the stored booking instead of asOf(today) → start 2027-03-01, test fails.
    @Test func planShowTellsWhatIsTrueTodayWithoutARun() throws {
        let desk = try EdgeDesk("show-today")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-03-01")
        let april = try #require(try desk.run("2027-03-24").first)
        try desk.payInFull(april, on: "2027-03-28", dated: "2027-03-22")
        let plan = try desk.plan("2027-04-05")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2027-04-01")
        #expect(plan["end"] as? String == "2027-04-30")
        #expect(plan["invoice"] as? String == april)
        let dates = ((plan["history"] as? [[String: Any]]) ?? []).compactMap { $0["date"] as? String }
        #expect(dates.count >= 5 && dates == dates.sorted(), "\(dates)")
        let text = try desk.planText("2027-04-05")
        #expect(text.contains("paid 2027-04-01 – 2027-04-30"), "\(text)")
        #expect(!text.contains("2027-03-01 – 2027-03-31 at"), "\(text)")
    }

    // Item 14: a cancelled plan whose period ended shows as expired, an unpaid renewal that began as
    // the open renewal it is, both without a run.
    // Mutation (mutants.tsv asof-cancelled-not-expired): Bookings+Details.swift asOf: drop the expired status for an ended cancelled booking → "cancelled", test fails.
    @Test func planShowWithoutARunShowsAnEndedCancellationAsExpiredAndAnEnteredRenewalAsOpen() throws {
        let cancelled = try EdgeDesk("show-cancelled")
        defer { cancelled.remove() }
        try cancelled.bookPaid(on: "2027-03-01")
        try cancelled.ok(["plan", cancelled.customer, "cancel"], "2027-03-10")
        let expired = try cancelled.plan("2027-04-02")
        #expect(expired["status"] as? String == "expired")
        #expect(expired["end"] as? String == "2027-03-31")
        let open = try EdgeDesk("show-open")
        defer { open.remove() }
        try open.bookPaid(on: "2027-03-01")
        let april = try #require(try open.run("2027-03-24").first)
        let plan = try open.plan("2027-04-02")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2027-04-01")
        #expect(plan["renewal"] as? String == "open")
        #expect(plan["invoice"] as? String == april)
    }
}
