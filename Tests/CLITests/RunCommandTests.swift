import Foundation
import Synchronization
import Testing
import TestSupport

@Suite struct RunCommandTests {
    /// A customer with a paid monthly Starter plan from 2026-01-01 (period to 2026-01-31).
    func deskWithMonthlyPlan(label: String) throws -> BookingDesk {
        let desk = try BookingDesk(label: label).withCustomer()
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-01")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "11.90"], date: "2026-01-01")
        return desk
    }

    // Mutation (mutants.tsv lapse-at-period-end-run): in ScheduledRun.stepRunning, lapse at the period end instead of after due date + grace → this test fails.
    @Test func anUnpaidRenewalIsUsableUntilGraceThenLapsesAndExpiresAtThePeriodEnd() throws {
        let desk = try deskWithMonthlyPlan(label: "run-lapse")
        defer { desk.remove() }
        #expect(try desk.json(["run"], date: "2026-01-23")["renewals_invoiced"] as? Int == 0)
        let run = try desk.json(["run"], date: "2026-01-24")
        #expect(run["renewals_invoiced"] as? Int == 1)
        let number = try #require((run["invoices"] as? [String])?.first)
        let lines = try #require(try desk.invoice(number)["lines"] as? [[String: Any]])
        #expect(lines.first?["title"] as? String == "Starter Tarif 01.02.2026 – 28.02.2026")
        let before = try desk.dump()
        #expect(try desk.json(["run"], date: "2026-01-24")["changed"] as? Bool == false)
        #expect(try desk.dump() == before)

        // Due 2026-02-07, grace 14 days: usable to 2026-02-21, lapsed from 2026-02-22.
        #expect(try desk.json(["run"], date: "2026-02-01")["renewed"] as? Int == 1)
        let open = try desk.plan("2026-02-01")
        #expect(open["status"] as? String == "active")
        #expect(open["renewal"] as? String == "open")
        #expect(open["usable_until"] as? String == "2026-02-21")
        // Past due + 7 days, but the desk has no sender address: the invoice was never sent, so no reminder.
        let reminded = try desk.json(["run"], date: "2026-02-14")
        #expect((reminded["reminders"] as? [Any])?.count == 0)
        #expect(try desk.plan("2026-02-14")["renewal"] as? String == "past_due")
        #expect(try desk.json(["run"], date: "2026-02-21")["lapsed"] as? Int == 0)
        #expect(try desk.json(["run"], date: "2026-02-22")["lapsed"] as? Int == 1)
        #expect(try desk.plan("2026-02-22")["status"] as? String == "lapsed")
        #expect(try desk.invoice(number)["status"] as? String == "open")
        try desk.ok(["run"], date: "2026-03-01")
        let ended = try desk.plan("2026-03-01")
        #expect(ended["status"] as? String == "expired")
        #expect(ended["end"] as? String == "2026-02-28")
        #expect(try desk.invoice(number)["status"] as? String == "cancelled")
    }

    @Test func aRenewalPaidLateDeliversThePrintedPeriod() throws {
        let desk = try deskWithMonthlyPlan(label: "run-late")
        defer { desk.remove() }
        let number = try #require((try desk.json(["run"], date: "2026-01-25")["invoices"] as? [String])?.first)
        try desk.ok(["run"], date: "2026-02-03")
        try desk.ok(["pay", number, "--amount", "11.90"], date: "2026-02-05")
        let plan = try desk.plan("2026-02-05")
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == "2026-02-01")
        #expect(plan["end"] as? String == "2026-02-28")
        #expect(plan["renewal"] is NSNull)
    }

    @Test func aRunAfterDaysWithoutRunsCatchesUpStepByStep() throws {
        let desk = try deskWithMonthlyPlan(label: "run-catchup")
        defer { desk.remove() }
        // Paid renewal ahead of time, then cron is down for weeks.
        let number = try #require((try desk.json(["run"], date: "2026-01-25")["invoices"] as? [String])?.first)
        try desk.ok(["pay", number, "--amount", "11.90"], date: "2026-01-26")
        let late = try desk.json(["run"], date: "2026-03-10")
        #expect(late["renewed"] as? Int == 2)
        #expect(late["renewals_invoiced"] as? Int == 1)
        #expect(late["lapsed"] as? Int == 0)
        let plan = try desk.plan("2026-03-10")
        #expect(plan["status"] as? String == "active")
        // The March renewal is issued by this run (today), so it is open, not yet due.
        #expect(plan["renewal"] as? String == "open")
        #expect(plan["start"] as? String == "2026-03-01")
        let renewal = try #require((plan["periods"] as? [[String: Any]])?.last)
        #expect(renewal["planned_start"] as? String == "2026-03-01")
        #expect(try desk.json(["run"], date: "2026-03-10")["changed"] as? Bool == false)
    }

    @Test func twoRunsAtOnceEndLikeOneRun() throws {
        let desk = try deskWithMonthlyPlan(label: "run-twice")
        defer { desk.remove() }
        for index in 0..<8 {
            let other = try desk.withCustomer(company: "Other \(index)")
            let first = try desk.json(["plan", other.customer, "activate", index % 2 == 0 ? "Business" : "Starter", "--monthly"],
                                      date: "2026-01-0\(index + 1)")
            if index < 6 { try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", index % 2 == 0 ? "36.89" : "11.90"], date: "2026-01-0\(index + 1)") }
        }
        let copy = desk.directory.path("copy.sqlite")
        try TestEngine.copy(desk.db, to: copy)
        let sequential = BookingDeskPath(db: copy)
        let location = try TestEngine.location(for: desk.db), copyLocation = try TestEngine.location(for: copy)

        let group = DispatchGroup()
        let results = ResultBox()
        for _ in 0..<2 {
            group.enter()
            DispatchQueue.global().async {
                let result = try? ProcessRunner.run(Paths.invoiceExecutable, ["--db", location, "--date", "2026-02-20", "run"])
                results.add(result?.status ?? -1)
                group.leave()
            }
        }
        group.wait()
        #expect(results.all == [0, 0])
        _ = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", copyLocation, "--date", "2026-02-20", "run"])
        _ = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", copyLocation, "--date", "2026-02-20", "run"])
        #expect(try desk.state() == sequential.state())
    }

    @Test func payRacingRunEndsLikeOneAfterTheOther() throws {
        let desk = try deskWithMonthlyPlan(label: "run-pay")
        defer { desk.remove() }
        let number = try #require((try desk.json(["run"], date: "2026-01-25")["invoices"] as? [String])?.first)
        let copy = desk.directory.path("copy.sqlite")
        try TestEngine.copy(desk.db, to: copy)
        let location = try TestEngine.location(for: desk.db)

        let group = DispatchGroup()
        let results = ResultBox()
        for arguments in [["pay", number, "--amount", "11.90"], ["run"]] {
            group.enter()
            DispatchQueue.global().async {
                let result = try? ProcessRunner.run(Paths.invoiceExecutable, ["--db", location, "--date", "2026-01-28"] + arguments)
                results.add(result?.status ?? -1)
                group.leave()
            }
        }
        group.wait()
        #expect(results.all == [0, 0])
        // One after the other, both orders give the same state on that day.
        let orders = [[["pay", number, "--amount", "11.90"], ["run"]], [["run"], ["pay", number, "--amount", "11.90"]]]
        for (index, order) in orders.enumerated() {
            let path = desk.directory.path("order\(index).sqlite")
            try TestEngine.copy(copy, to: path)
            for arguments in order {
                _ = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", try TestEngine.location(for: path), "--date", "2026-01-28"] + arguments)
            }
            #expect(try BookingDeskPath(db: path).state() == desk.state())
        }
    }
}

/// The domain state of another database file (same query as `BookingDesk.state()`).
struct BookingDeskPath {
    let db: String
    func state() throws -> String { try BookingDesk.state(of: db) }
}

final class ResultBox: Sendable {
    private let statuses = Mutex<[Int32]>([])
    func add(_ status: Int32) { statuses.withLock { $0.append(status) } }
    var all: [Int32] { statuses.withLock { $0 } }
}
