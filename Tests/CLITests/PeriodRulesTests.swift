import Billing
import Foundation
import Testing
import TestSupport

/// SPEC §1 "Periods and renewals" and "Prices belong to the booking", each rule as the command line
/// shows it on a real SQLite file, moving through the calendar with `--date`. Every test here failed
/// on the code before issue 9 (the bug it reproduces is named in its first comment).
@Suite struct PeriodRulesTests {
    /// A desk whose settings make renewal windows easy to follow.
    func desk(_ label: String, terms: Int = 14, grace: Int = 14, renewal: Int = 7) throws -> BookingDesk {
        let desk = try BookingDesk(label: label).withCustomer()
        try desk.ok(["settings", "set", "payment_terms", String(terms)])
        try desk.ok(["settings", "set", "grace_days", String(grace)])
        try desk.ok(["settings", "set", "renewal_days", String(renewal)])
        return desk
    }

    func lines(_ desk: BookingDesk, _ number: String) throws -> [[String: Any]] {
        try #require(try desk.invoice(number)["lines"] as? [[String: Any]])
    }

    func periods(_ plan: [String: Any]) -> [String] {
        ((plan["periods"] as? [[String: Any]]) ?? []).map {
            "\($0["start"] as? String ?? "")…\($0["end"] as? String ?? "") \($0["state"] as? String ?? "")"
        }
    }

    // Bug: a payment dated before the invoice (`pay --date` earlier than the booking) left the booking
    // `pending` for ever, and `run` caught up 0.
    // Mutation (mutants.tsv watcher-old-start-guard-cli): in PaidStatusWatcher.activate, keep the old `guard start <= paidOn else { return true }` → this test fails.
    @Test func aBackdatedPaymentActivatesTheBookingWhenItIsRecorded() throws {
        let desk = try desk("backdated")
        defer { desk.remove() }
        let activated = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-03-05")
        let number = try #require(activated["invoice"] as? String)
        try desk.ok(["pay", number, "--amount", "36.89", "--date", "2026-03-04"], date: "2026-03-10")
        let plan = try desk.plan("2026-03-10")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2026-03-05")
        #expect(plan["end"] as? String == "2026-04-04")
        try desk.ok(["run"], date: "2026-03-10")
        #expect(try desk.plan("2026-03-10")["status"] as? String == "active")
    }

    // Bug: the initial invoice printed 03-05 – 04-04 while 03-10 – 04-09 was delivered.
    // Mutation (mutants.tsv initial-line-dates): print `\(plannedStart) – \(end)` on initial lines again → this test fails.
    @Test func theInitialLineSaysFromTheDayOfPaymentAndThePlanShowsTheDeliveredDates() throws {
        let desk = try desk("initial-line")
        defer { desk.remove() }
        let activated = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-03-05")
        let number = try #require(activated["invoice"] as? String)
        let title = try #require(try lines(desk, number).first?["title"] as? String)
        #expect(title == "Business Tarif — 1 Monat ab Zahlungseingang", "\(title)")
        #expect(!title.contains("2026"))
        try desk.ok(["pay", number, "--amount", "36.89"], date: "2026-03-10")
        let plan = try desk.plan("2026-03-10")
        #expect(plan["start"] as? String == "2026-03-10")
        #expect(plan["end"] as? String == "2026-04-09")
    }

    // Bug: a renewal printed 04-10 – 05-09 and, paid on 04-25, delivered 04-25 – 05-24; and the
    // booking had no access from 04-10 until the payment although the invoice was not yet due.
    // Mutation (mutants.tsv lapse-at-period-end): in ScheduledRun.lapseDay, an unpaid renewal lapses the day it starts, at the previous period's end (old rule) → this test fails.
    @Test func aRenewalPaidBeforeItsDueDateIsUsableMeanwhileAndDeliversThePrintedPeriod() throws {
        let desk = try desk("renewal-open", terms: 30, grace: 14, renewal: 7)
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-03-10")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "36.89"], date: "2026-03-10")
        let run = try desk.json(["run"], date: "2026-04-02")
        let renewal = try #require((run["invoices"] as? [String])?.first)
        #expect(try lines(desk, renewal).first?["title"] as? String == "Business Tarif 10.04.2026 – 09.05.2026")
        for day in ["2026-04-10", "2026-04-20", "2026-04-25"] {
            try desk.ok(["run"], date: day)
            let plan = try desk.plan(day)
            #expect(plan["status"] as? String == "active", "no access on \(day)")
            #expect(plan["renewal"] as? String == "open", "\(day): \(plan["renewal"] ?? "nil")")
            #expect(plan["start"] as? String == "2026-04-10")
        }
        let text = try desk.ok(["plan", desk.customer, "show"], date: "2026-04-20")
        #expect(text.contains("renewal open"), "\(text)")
        try desk.ok(["pay", renewal, "--amount", "36.89"], date: "2026-04-25")
        let plan = try desk.plan("2026-04-25")
        #expect(plan["start"] as? String == "2026-04-10")
        #expect(plan["end"] as? String == "2026-05-09")
        #expect(plan["renewal"] is NSNull)
    }

    // Bug: past due date + grace the booking was stopped and its invoice cancelled; paying later was
    // impossible. Now it lapses, and paying reactivates the rest of the printed period, not shifted.
    // Mutation (mutants.tsv watcher-printed-start): in PaidStatusWatcher.activate, start a renewal period on the payment day (max(planned, paidOn)) → this test fails.
    @Test func pastDueThenLapsedThenPaidReactivatesTheRestOfThePrintedPeriod() throws {
        let desk = try desk("lapse", terms: 5, grace: 3, renewal: 7)
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "11.90"], date: "2026-01-01")
        let renewal = try #require((try desk.json(["run"], date: "2026-01-25")["invoices"] as? [String])?.first)
        try desk.ok(["run"], date: "2026-02-01")
        let pastDue = try desk.plan("2026-02-01")
        #expect(pastDue["status"] as? String == "active")
        #expect(pastDue["renewal"] as? String == "past_due")
        try desk.ok(["run"], date: "2026-02-02")
        #expect(try desk.plan("2026-02-02")["status"] as? String == "active")
        let lapsed = try desk.json(["run"], date: "2026-02-03")
        #expect(lapsed["lapsed"] as? Int == 1)
        #expect(try desk.plan("2026-02-03")["status"] as? String == "lapsed")
        #expect(try desk.invoice(renewal)["status"] as? String == "open")
        try desk.ok(["pay", renewal, "--amount", "11.90"], date: "2026-02-10")
        let plan = try desk.plan("2026-02-10")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2026-02-01")
        #expect(plan["end"] as? String == "2026-02-28")
        // The period itself keeps its printed dates (not 02-10 – 02-28).
        #expect(periods(plan).contains("2026-02-01…2026-02-28 paid"), "\(periods(plan))")
        // March is invoiced, entered unpaid, lapses after due + grace; never paid, the lapsed period ends,
        // its invoice is cancelled and the booking expires.
        let march = try #require((try desk.json(["run"], date: "2026-02-21")["invoices"] as? [String])?.first)
        try desk.ok(["run"], date: "2026-03-01")
        #expect(try desk.plan("2026-03-01")["renewal"] as? String == "past_due")
        try desk.ok(["run"], date: "2026-03-02")
        #expect(try desk.plan("2026-03-02")["status"] as? String == "lapsed")
        try desk.ok(["run"], date: "2026-03-31")
        #expect(try desk.plan("2026-03-31")["status"] as? String == "lapsed")
        try desk.ok(["run"], date: "2026-04-01")
        let ended = try desk.plan("2026-04-01")
        #expect(ended["status"] as? String == "expired")
        #expect(ended["end"] as? String == "2026-03-31")
        #expect(try desk.invoice(march)["status"] as? String == "cancelled")
    }

    // Bug: a monthly plan started on the 31st ran 01-31 – 02-27, then renewed on the 28th for ever.
    // Mutation (mutants.tsv period-end-anchor): RenewalPlan.periodEnd ignoring the anchor day (start + 1 month − 1 day) → this test fails.
    @Test func aMonthlyPlanStartedOnThe31stKeepsItsAnchorDay() throws {
        let desk = try desk("anchor", terms: 14, grace: 14, renewal: 3)
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-31")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "11.90"], date: "2026-01-31")
        var day = try Day(parsing: "2026-02-01")
        while day.description <= "2026-07-01" {
            let run = try desk.json(["run"], date: day.description)
            for number in (run["invoices"] as? [String]) ?? [] {
                try desk.ok(["pay", number, "--amount", "11.90"], date: day.description)
            }
            day = day.adding(days: 1)
        }
        let paid = periods(try desk.plan("2026-07-01")).filter { $0.hasSuffix("paid") }
        #expect(paid == ["2026-01-31…2026-02-27 paid", "2026-02-28…2026-03-30 paid", "2026-03-31…2026-04-29 paid",
                         "2026-04-30…2026-05-30 paid", "2026-05-31…2026-06-29 paid", "2026-06-30…2026-07-30 paid"], "\(paid)")
    }

    // Bug: after `catalog add-plan` again with a higher price, the next renewal of an existing booking
    // billed the new price without notice.
    // Mutation (mutants.tsv booking-price-from-catalog): in Bookings.invoicePeriod, take the amount from the catalog instead of the booking → this test fails.
    @Test func aBookingKeepsItsPriceUntilTheOperatorRepricesExistingBookingsWithNotice() throws {
        let desk = try desk("reprice", terms: 14, grace: 14, renewal: 7)
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-01-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "36.89"], date: "2026-01-01")
        // A new catalog price for new bookings only (add-plan on an existing plan is refused since issue 17).
        try desk.ok(["catalog", "reprice", "Business", "--currency", "EUR", "--monthly", "40.00", "--yearly", "400.00"])
        let renewal = try #require((try desk.json(["run"], date: "2026-01-25")["invoices"] as? [String])?.first)
        #expect(try lines(desk, renewal).first?["unit_price"] as? String == "31.00")
        try desk.ok(["pay", renewal, "--amount", "36.89"], date: "2026-01-26")

        let repriced = try desk.ok(["catalog", "reprice", "Business", "--currency", "EUR", "--monthly", "45.00",
                                    "--yearly", "450.00", "--existing"], date: "2026-02-10")
        #expect(repriced.contains("moves 1 existing booking"), "\(repriced)")
        let next = try #require((try desk.json(["run"], date: "2026-02-22")["invoices"] as? [String])?.first)
        let line = try #require(try lines(desk, next).first)
        #expect(line["unit_price"] as? String == "45.00")
        #expect((line["description"] as? String)?.contains("31,00") == true, "\(line)")
        // A new customer books at the catalog price of the day.
        let other = try desk.withCustomer(company: "Newcomer GmbH")
        let fresh = try desk.json(["plan", other.customer, "activate", "Business", "--monthly"], date: "2026-02-22")
        #expect(fresh["amount"] as? String == "53.55")
    }

    // Bug: an inactive customer with an active booking made every `run` exit 1 and the booking stayed
    // active past its end.
    // Mutation (mutants.tsv renewal-inactive-customer): drop the inactive-customer check before invoicing a renewal in ScheduledRun → this test fails.
    @Test func anInactiveCustomerKeepsWhatWasPaidNothingRenewsAndRunSucceeds() throws {
        let desk = try desk("inactive")
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "11.90"], date: "2026-01-01")
        try desk.ok(["customer", "edit", desk.customer, "--inactive"], date: "2026-01-10")
        let run = try desk.json(["run"], date: "2026-01-25")
        #expect(run["renewals_invoiced"] as? Int == 0)
        #expect(run["inactive_not_renewed"] as? Int == 1)
        #expect(try desk.plan("2026-01-31")["status"] as? String == "active")
        try desk.ok(["run"], date: "2026-02-01")
        let plan = try desk.plan("2026-02-01")
        #expect(plan["status"] as? String == "expired")
        #expect(plan["end"] as? String == "2026-01-31")
    }

    // Bug: `customer edit --currency` with an active booking broke every later run ("no price in EUR").
    // Mutation (mutants.tsv customer-currency-guard): remove the currency guard in Store.updateCustomer → this test fails.
    @Test func aCurrencyChangeIsRefusedWhileBookingsOrOpenInvoicesExist() throws {
        let desk = try desk("currency")
        defer { desk.remove() }
        try desk.ok(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-01")
        let before = try desk.dump()
        let refused = try desk.fails(["customer", "edit", desk.customer, "--currency", "CHF"], date: "2026-01-02")
        #expect(refused.stderr.contains("currency"), "\(refused.stderr)")
        #expect(try desk.dump() == before)
        let other = try desk.withCustomer(company: "Empty AG")
        try desk.ok(["customer", "edit", other.customer, "--currency", "CHF"], date: "2026-01-02")
    }

    // Bug: a withdrawn scheduled change displayed as "2027-01-01 – 2026-06-02" (end before start).
    // Mutation (mutants.tsv withdraw-unstarted-end-today): in Bookings.withdrawBooking, set end = today (keeping its start) for a booking that never started → this test fails.
    @Test func aWithdrawnScheduledChangeNeverEndsBeforeItStarts() throws {
        let desk = try desk("withdraw-scheduled")
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Business", "--yearly"], date: "2026-01-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "357.00"], date: "2026-01-01")
        try desk.ok(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-06-01")
        try desk.ok(["plan", desk.customer, "activate", "Enterprise", "--monthly"], date: "2026-06-02")
        for booking in try desk.jsonList(["plan", desk.customer, "list"], date: "2026-06-02") {
            if let start = booking["start"] as? String, let end = booking["end"] as? String {
                #expect(start <= end, "\(booking["product"] ?? "") \(booking["status"] ?? ""): \(start) – \(end)")
            }
        }
        let text = try desk.ok(["plan", desk.customer, "list"], date: "2026-06-02")
        #expect(text.contains("never started"), "\(text)")
    }

    // Bug: the upgrade credit was fixed when the invoice was made: monthly paid 03-01, upgraded to
    // yearly on 03-16 (credit for 16 days), paid on 04-10 after the old period was used up: still the
    // 16 days' credit, silently.
    // Mutation (mutants.tsv upgrade-credit-not-recomputed): in PaidStatusWatcher, skip the credit recomputation at payment → this test fails.
    @Test func theUpgradeCreditIsRecomputedForTheDayTheNewBookingStartsAndTheDifferenceIsBilledNext() throws {
        let desk = try desk("upgrade-credit", terms: 30, grace: 14, renewal: 7)
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-03-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "36.89"], date: "2026-03-01")
        let upgrade = try desk.json(["plan", desk.customer, "activate", "Business", "--yearly"], date: "2026-03-16")
        let number = try #require(upgrade["invoice"] as? String)
        // 31.00 × 16 / 31 = 16.00 credited on the invoice.
        #expect(try lines(desk, number).last?["amount"] as? String == "-16.00")
        try desk.ok(["run"], date: "2026-04-01")
        let paid = try desk.ok(["pay", number, "--amount", try #require(try desk.invoice(number)["total"] as? String)],
                               date: "2026-04-10")
        _ = paid
        let plan = try desk.plan("2026-04-10")
        #expect(plan["cycle"] as? String == "yearly")
        #expect(plan["start"] as? String == "2026-04-10")
        let history = ((plan["history"] as? [[String: Any]]) ?? []).compactMap { $0["detail"] as? String }.joined(separator: "\n")
        #expect(history.contains("16.00"), "\(history)")
        let text = try desk.ok(["plan", desk.customer, "show"], date: "2026-04-10")
        #expect(text.contains("next invoice"), "\(text)")
        // The next document carries the difference as its own line.
        let module = try desk.json(["module", desk.customer, "activate", "Mahnwesen", "--monthly"], date: "2026-04-11")
        let moduleLines = try lines(desk, try #require(module["invoice"] as? String))
        #expect(moduleLines.contains { ($0["amount"] as? String) == "16.00" }, "\(moduleLines)")
    }

    // Bug: a booking fully paid by the customer's credit said "pending until it is paid" though active.
    // Mutation (mutants.tsv issue-paid-by-credit-activates): build the activation message before looking at the booking's status again → this test fails.
    @Test func aBookingPaidByCreditIsReportedActive() throws {
        let desk = try desk("paid-by-credit")
        defer { desk.remove() }
        let setup = try desk.json(["new", desk.customer, "--line", "Setup;1;10.00;19", "--issue"], date: "2026-01-01")
        try desk.ok(["pay", try #require(setup["number"] as? String), "--amount", "111.90"], date: "2026-01-01")
        let activated = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-02")
        // 100.00 of credit pays the 11.90 invoice in full at issue: the booking is active from today.
        #expect(activated["status"] as? String == "active")
        #expect(activated["start"] as? String == "2026-01-02")
        let message = try #require(activated["message"] as? String)
        #expect(!message.contains("pending"), "\(message)")
        #expect(message.contains("active"), "\(message)")
        let number = try #require(activated["invoice"] as? String)
        let invoice = try desk.invoice(number)
        #expect(invoice["status"] as? String == "paid")
        #expect(invoice["prepaid"] as? String == "11.90")
        #expect(try desk.plan("2026-01-02")["status"] as? String == "active")
    }

    // Stripe's rule, stated in the output: paying for a plan during its trial ends the trial at payment.
    @Test func convertingATrialSaysTheTrialEndsAtPayment() throws {
        let desk = try desk("trial-rule")
        defer { desk.remove() }
        try desk.ok(["plan", desk.customer, "activate", "Business", "--trial"], date: "2026-01-01")
        let converted = try desk.json(["plan", desk.customer, "activate", "Business", "--monthly"], date: "2026-01-05")
        #expect((converted["message"] as? String)?.contains("the trial ends when this invoice is paid") == true,
                "\(converted["message"] ?? "")")
    }
}
