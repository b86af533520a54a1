import Foundation
import Testing
import TestSupport

/// Issue 24: SIGKILL of `invoice serve` while events are in flight — killed once a seeded number of them
/// were acknowledged (a condition, not a moment) — then a restart, the provider's redelivery of every
/// event, the orphan sweep and a consistency check: each event applied once, each invoice paid exactly its
/// amount, each receipt queued once with its file, no stray file, each receipt delivered once.
@Suite(.serialized)
struct ServeCrashTests {
    static let invoices = 40
    let fixture: BillingFixture

    init() throws { fixture = try BillingFixture("serve-crash") }

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    func sqlite(_ sql: String) throws -> String {
        try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [fixture.cli.database, sql]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    var outboxFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixture.directory.path("Outbox"))) ?? []).filter { $0 != "print" }
    }

    func strays() throws -> (orphans: [String], missing: [String]) {
        let names = Set(outboxFiles)
        let rows = Set(try sqlite("SELECT file FROM mail_queue").split(separator: "\n").map(String.init))
        return (names.subtracting(rows).sorted(), rows.subtracting(names).sorted())
    }

    /// Sends `events` on one connection in order, counting the 200s in `acknowledged`; stops at the first
    /// failure (the server was killed).
    static func deliver(_ events: [(id: String, body: [UInt8])], port: Int, acknowledged: Counter) {
        guard let client = try? RawClient(port: port) else { return }
        for event in events {
            guard (try? client.send(signedRequest(event.body, messageID: "msg_\(event.id)_\(UUID().uuidString.prefix(6))",
                                                  timestamp: Int64(Date().timeIntervalSince1970)))) != nil,
                  let answer = try? client.answer(timeout: 20), answer.status == 200 else { return }
            acknowledged.add()
        }
    }

    /// Mutation (mutants.tsv serve-crash-duplicate): WebhookHandler.swift: a redelivered event id is not
    /// recognised (`samePayload` always false → 409) → the redelivery after the crash is refused, test fails.
    @Test(.timeLimit(.minutes(5)))
    func serveKilledWithEventsInFlightAppliesEachOnceAfterRedelivery() throws {
        defer { fixture.remove() }
        let seed = UInt64(ProcessInfo.processInfo.environment["CRASH_SEED"] ?? "") ?? 20_261_225
        print("ServeCrashTests: seed \(seed) (CRASH_SEED=\(seed) repeats it)")
        var random = SplitMix64(seed: seed)
        var events: [(id: String, body: [UInt8])] = []
        for index in 0..<Self.invoices {
            let number = try fixture.issuedInvoice(net: "10.00")
            events.append((id: "evt_crash_\(index)", body: paymentBody(id: "evt_crash_\(index)", invoice: number, amount: "11.90")))
        }
        let books = try sqlite("SELECT number, total FROM invoices ORDER BY id")
        let target = Int.random(in: 1...(Self.invoices / 2), using: &random)
        let acknowledged = Counter()
        do {
            let server = try ServerProcess(database: fixture.cli.database)
            defer { server.stop() }
            let senders = DispatchGroup()
            let port = server.port
            for lane in 0..<4 {
                let mine = events.enumerated().filter { $0.offset % 4 == lane }.map(\.element)
                DispatchQueue.global().async(group: senders) {
                    ServeCrashTests.deliver(mine, port: port, acknowledged: acknowledged)
                }
            }
            let deadline = Date().addingTimeInterval(60)
            while acknowledged.value < target && Date() < deadline { usleep(500) }
            kill(server.process.processIdentifier, SIGKILL)
            server.process.waitUntilExit()
            #expect(server.process.terminationReason == .uncaughtSignal && server.process.terminationStatus == SIGKILL)
            #expect(senders.wait(timeout: .now() + 30) == .success)
        }
        let atKill = acknowledged.value
        #expect(atKill >= target && atKill < Self.invoices, "\(atKill) of \(Self.invoices) acknowledged at the kill")
        #expect(try sqlite("PRAGMA integrity_check") == "ok")
        // Every acknowledged event is in the books (durable before its answer).
        #expect(Int(try sqlite("SELECT count(*) FROM webhook_events")) ?? -1 >= atKill)

        // The provider delivers again everything (what it saw acknowledged too: duplicates change nothing).
        let restarted = try ServerProcess(database: fixture.cli.database)
        let again = Counter()
        ServeCrashTests.deliver(events, port: restarted.port, acknowledged: again)
        #expect(again.value == Self.invoices)
        #expect(restarted.stop())

        #expect(try sqlite("SELECT count(*) FROM webhook_events") == String(Self.invoices))
        #expect(try sqlite("SELECT count(*) FROM payments") == String(Self.invoices))
        #expect(try sqlite("SELECT count(*) FROM invoices WHERE paid = total AND paid = (SELECT sum(amount) FROM payments p WHERE p.invoice_id = invoices.id)") == String(Self.invoices))
        #expect(try sqlite("SELECT number, total FROM invoices ORDER BY id") == books)
        try fixture.cli.ok("run", "--no-mail")  // queues a receipt a crash left pending, if any
        #expect(try sqlite("SELECT count(*) FROM mail_queue WHERE kind = 'receipt'") == String(Self.invoices))
        #expect(try sqlite("SELECT count(DISTINCT invoice_id) FROM mail_queue WHERE kind = 'receipt'") == String(Self.invoices))
        for name in outboxFiles where name.hasPrefix(".tmp-") {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)],
                                                  ofItemAtPath: fixture.directory.path("Outbox/\(name)"))
        }
        #expect(try fixture.cli.run("outbox", "check").status == 0)
        let left = try strays()
        #expect(left.orphans.isEmpty && left.missing.isEmpty, "\(left)")
        try SMTPTestServer.with { server in
            try fixture.cli.ok("settings", "set", "smtp_url", server.url)
            let sent = try fixture.cli.run("mail", "run")
            #expect(sent.status == 0, "\(sent.stderr)")
            #expect(try server.messages().count == Self.invoices)
        }
        print("ServeCrashTests: killed after \(atKill) acknowledged (target \(target))")
    }
}

/// A thread-safe count.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.lock(); count += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return count }
}
