import Foundation
import Testing
import TestSupport

/// Issue 17: modules with a one-time price (a setup fee, an onboarding package) through the real
/// executable. `catalog add-module --onetime` stored the price, but nothing could book it: `module …
/// activate` knew only --free, --trial, --monthly and --yearly, and the price lookup read the monthly
/// price for any cycle but yearly. Rule (README): `module C activate M --onetime` invoices the one-time
/// price once; paid, the module is active from the day of payment, open-ended; it never renews, is
/// never invoiced again, cannot be cancelled (nothing renews) and is ended by `withdraw`.
@Suite struct OneTimeModuleTests {
    // Mutation (mutants.tsv onetime-price-lookup): Bookings.price reads the monthly price for a one-time
    // booking again → "has no monthly price", activation refused, test fails.
    // Mutation (mutants.tsv onetime-open-ended): PaidStatusWatcher.activate gives a one-time booking the
    // one-day period end → the module is expired the day after payment, test fails.
    @Test func aOneTimeModuleIsInvoicedOnceActivatesWhenPaidAndNeverRenews() throws {
        let desk = try EdgeDesk("onetime-module")
        defer { desk.remove() }
        try desk.ok(["catalog", "add-module", "Onboarding", "--currency", "CHF", "--onetime", "250.00", "--vat", "8.1"], "2027-01-01")
        let activated = try desk.json(["module", desk.customer, "activate", "Onboarding", "--onetime"], "2027-03-01")
        let number = try #require(activated["invoice"] as? String, "\(activated)")
        let invoice = try desk.invoice(number)
        #expect(invoice["total"] as? String == "270.25")
        let lines = try #require(invoice["lines"] as? [[String: Any]])
        #expect(lines.map { $0["title"] as? String } == ["Onboarding Modul — einmalig, aktiv ab Zahlungseingang"], "\(lines)")
        #expect(lines.first?["unit"] as? String == "einmalig")
        func module(_ date: String) throws -> [String: Any] { try desk.json(["module", desk.customer, "show", "Onboarding"], date) }
        #expect(try module("2027-03-02")["status"] as? String == "pending")
        try desk.payInFull(number, on: "2027-03-05")
        let paid = try module("2027-03-05")
        #expect(paid["status"] as? String == "active", "\(paid)")
        #expect(paid["start"] as? String == "2027-03-05")
        #expect(paid["end"] is NSNull, "open-ended: \(paid["end"] ?? "nil")")
        // A year and more of runs: never invoiced again, still active.
        for day in ["2027-03-06", "2027-04-05", "2027-12-31", "2028-03-05", "2028-06-01"] {
            #expect(try desk.run(day).isEmpty, "invoiced on \(day)")
            #expect(try module(day)["status"] as? String == "active", "\(day)")
        }
        let billed = try desk.invoiceLines()
        #expect(billed.count == 1, "\(billed)")
        // Booked once: again, or a cycle it has no price for, or a cancel (nothing renews) are refused.
        #expect(try desk.refused(["module", desk.customer, "activate", "Onboarding", "--onetime"], "2028-06-01")
                    .contains("already"))
        #expect(try desk.refused(["module", desk.customer, "activate", "Onboarding", "--monthly"], "2028-06-01")
                    .contains("no monthly price"))
        #expect(try desk.refused(["module", desk.customer, "cancel", "Onboarding"], "2028-06-01").contains("withdraw"))
        let withdrawn = try desk.ok(["module", desk.customer, "withdraw", "Onboarding"], "2028-06-02")
        #expect(withdrawn.contains("withdrawn") || withdrawn.contains("Onboarding"), "\(withdrawn)")
        #expect(try module("2028-06-03")["status"] as? String == "withdrawn")
    }

    @Test func aPlanHasNoOneTimeActivation() throws {
        let desk = try EdgeDesk("onetime-plan")
        defer { desk.remove() }
        let refused = try desk.refused(["plan", desk.customer, "activate", "Business", "--onetime"], "2027-03-01")
        #expect(refused.contains("--onetime"), "\(refused)")
    }
}
