import Foundation
import Testing
import TestSupport

/// The day of the month a booking renews on (its anchor, SPEC §1 "Periods and renewals") through the
/// real executable: a booking started on the 31st keeps renewing on the 28th/29th/30th/31st, whatever
/// happens at a month's end.
@Suite struct RenewalAnchorTests {
    // The SimulatedYearTests check "each renewal ends on the anchor day a cycle later" found a renewal
    // 2026-09-30 – 2026-10-29 under anchor 31. That booking had anchor 30 (first paid on 08-30) when the
    // renewal was made; paid only after it ended (10-31), it restarted from 10-31 and took anchor 31
    // (README: a late-paid period renews a full cycle from the day of payment). The check compared old
    // periods with the booking's anchor of today; it now derives each period's anchor from the periods
    // before it. Looking for the same slip at a month's end found a real one: a downgrade (or yearly →
    // monthly) starting the day after a 31st-anchored period ending on the 29th took the 30th as its
    // anchor and billed 04-30 – 05-29, a day short, drifting from then on.
    // Mutation (mutants.tsv downgrade-keeps-anchor): Bookings.activate schedules the change with
    // `start.dayOfMonth` as its anchor again → the Starter period ends 29.05.2027 and June starts on the 30th.
    @Test func aDowngradeAfterAPeriodEndingOnThe29thKeepsTheAnchorOfThe31st() throws {
        let desk = try EdgeDesk("anchor-downgrade")
        defer { desk.remove() }
        try desk.bookPaid(on: "2027-03-31")
        #expect(try desk.plan("2027-04-01")["end"] as? String == "2027-04-29")
        let announced = try desk.ok(["plan", desk.customer, "activate", "Starter", "--monthly"], "2027-04-05")
        #expect(announced.contains("scheduled for 2027-04-30"), "\(announced)")
        let change = try #require(try desk.run("2027-04-22").first, "the downgrade is invoiced on 04-22")
        try desk.payInFull(change, on: "2027-04-22")
        #expect(try desk.invoiceLines().last == "\(change) Starter Tarif 30.04.2027 – 30.05.2027 2150 paid")
        try desk.run("2027-04-30")
        let may = try desk.plan("2027-04-30")
        #expect(may["start"] as? String == "2027-04-30")
        #expect(may["end"] as? String == "2027-05-30")
        // Its renewal runs from the 31st again, to the day before the 31st of June (the 30th is June's last).
        let june = try #require(try desk.run("2027-05-23").first, "the renewal is invoiced 7 days ahead")
        #expect(try desk.invoiceLines().last == "\(june) Starter Tarif 31.05.2027 – 29.06.2027 2150 open")
    }
}
