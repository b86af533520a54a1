import Foundation
import Testing
import TestSupport

/// Mailing runs that die (SIGKILL) or race each other: at-least-once, never lost, duplicates
/// bounded by what was in flight; two live runs never send the same message.
struct MailCrashTests {
    static let lease = 2

    /// One real invoice mail, multiplied to `count` queued messages; returns the desk and Message-IDs.
    func queue(_ count: Int, label: String) throws -> (MailDesk, [String]) {
        let desk = try MailDesk(label: label)
        let customer = try desk.addCustomer(company: "Dauerkunde AG", email: "kunde@example.ch")
        try desk.ok(["send", try desk.issueInvoice(customer: customer)])
        return (desk, try desk.cloneQueued(count: count))
    }

    /// `mail run` on the desk's database (the runs get `INVOICE_OUTBOX`: started from this process's
    /// folder, a run on PostgreSQL would look for `./Outbox` there).
    func runArguments(_ desk: MailDesk, connections: Int) throws -> [String] {
        ["--db", try desk.cli.location(), "--date", desk.cli.today, "mail", "run", "--connections", String(connections)]
    }

    /// The number of messages the peer has saved so far.
    static func arrived(_ server: SMTPTestServer) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: server.directory.path("mail"))) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    // Each run is killed mid-delivery, on a condition: once the peer has received a seeded random 1–40
    // more messages from it (CRASH_SEED overrides the seed; it is printed), so every kill lands while
    // messages are in flight, however loaded the machine. The limit only ends a hung run.
    @Test(.timeLimit(.minutes(10)))
    func runsKilledAtRandomMomentsLoseNothingAndDuplicateOnlyWhatWasInFlight() throws {
        let connections = 2, batch = 8
        let (desk, ids) = try queue(2_000, label: "crash")
        defer { desk.remove() }
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            let environment = ["INVOICE_MAIL_LEASE_SECONDS": String(Self.lease), "INVOICE_OUTBOX": desk.outboxDirectory.path]
            let seed = UInt64(ProcessInfo.processInfo.environment["CRASH_SEED"] ?? "") ?? 20_261_207
            print("MailCrashTests: seed \(seed) (CRASH_SEED=\(seed) repeats it)")
            var generator = SplitMix64(seed: seed)
            let plannedKills = Int.random(in: 5...8, using: &generator)
            var kills = 0
            for round in 0..<plannedKills {
                let before = Self.arrived(server)
                let target = before + Int.random(in: 1...40, using: &generator)
                let run = try BackgroundInvoice(try runArguments(desk, connections: connections), environment: environment)
                let deadline = Date().addingTimeInterval(120)
                while Self.arrived(server) < target && !run.hasExited && Date() < deadline { usleep(1_000) }
                run.kill()
                if run.diedOfSIGKILL { kills += 1 }
                #expect(Self.arrived(server) > before, "round \(round): the run delivered nothing before its kill")
            }
            // Mutation (mutants.tsv crash-test-no-kill): `_ = run.wait(timeout: 90)` before `run.kill()` (every run finishes before
            // the "kill") → no run dies of SIGKILL and this test fails here.
            #expect(kills == plannedKills, "seed \(seed): \(kills) of \(plannedKills) runs died of SIGKILL mid-delivery")
            // Drain: messages held by a killed run come back when their lease (wall clock) runs out.
            let deadline = Date().addingTimeInterval(300)
            var pending = ids.count
            while Date() < deadline {
                let result = try desk.mailRun(["--connections", String(connections)], environment: environment)
                #expect(result.status == 0, "\(result.stderr)")
                let states = try desk.states()
                #expect(states["failed", default: 0] == 0 && states["deferred", default: 0] == 0, "\(states)")
                pending = ids.count - states["sent", default: 0]
                if pending == 0 { break }
                sleep(UInt32(Self.lease))
            }
            #expect(pending == 0)
            var arrivals: [String: Int] = [:]
            for message in try server.messages() { arrivals[message.messageID ?? "?", default: 0] += 1 }
            let missing = ids.filter { arrivals[$0] == nil }
            #expect(missing.isEmpty, "\(missing.count) messages never arrived")
            #expect(Set(arrivals.keys).subtracting(ids).isEmpty)
            let duplicates = arrivals.values.reduce(0) { $0 + $1 - 1 }
            // A run records results once per batch, so a kill can lose the results of at most one
            // batch per connection: those messages come back after their lease and go out again.
            #expect(duplicates <= connections * batch * kills, "\(duplicates) duplicates after \(kills) kills")
            // Every message that arrived twice is flagged in the queue as a possible duplicate.
            let flagged = Set(try desk.outbox().filter { $0["unknown_outcome"] as? Bool == true }.compactMap { $0["message_id"] as? String })
            let twice = arrivals.filter { $0.value > 1 }.map(\.key)
            #expect(twice.allSatisfy(flagged.contains), "duplicates not flagged: \(twice.filter { !flagged.contains($0) })")
            print("crash test: \(kills) kills, \(duplicates) duplicates, \(server.connectionCount()) connections")
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func twoRunsStartedTogetherDeliverEachMessageExactlyOnce() throws {
        let (desk, ids) = try queue(1_000, label: "twins")
        defer { desk.remove() }
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            let runs = try (0..<2).map { _ in try BackgroundInvoice(try runArguments(desk, connections: 2),
                                                                       environment: ["INVOICE_OUTBOX": desk.outboxDirectory.path]) }
            defer { runs.forEach { $0.kill() } }
            for run in runs {
                let status = run.wait(timeout: 90)
                #expect(status == 0, "a run exited with wait status \(String(describing: status))")
            }
            #expect(try desk.states() == ["sent": ids.count])
            let arrived = try server.messages().compactMap(\.messageID)
            #expect(arrived.count == ids.count)
            #expect(arrived.sorted() == ids.sorted())
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func manyMessagesGoThroughSmtpSinkOverFourConnections() throws {
        let (desk, ids) = try queue(500, label: "smoke")
        defer { desk.remove() }
        let sink = try LoopbackSink()
        defer { sink.stop() }
        try desk.useServer(sink.url)
        let start = Date()
        let result = try desk.mailRun(["--connections", "4"])
        let seconds = Date().timeIntervalSince(start)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try desk.states() == ["sent": ids.count])
        print("smoke: \(ids.count) messages in \(String(format: "%.2f", seconds)) s through smtp-sink (debug build)")
    }
}
