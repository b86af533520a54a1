import Foundation
import Store
import Testing
import TestSupport
import Workflows

/// Issue 19: `events run` killed (SIGKILL) at random moments loses no event: every event reaches the
/// receiver at least once, and a duplicate is always the same request under the same webhook-id.
/// A few hundred events here (seconds); INVOICE_EVENT_KILL_COUNT=2000 runs the issue's full count.
@Suite struct EventKillTests {
    // Mutation (mutants.tsv event-lease-reclaimed): a claim never takes back a delivery whose lease ran out → the killed runs' batches are never delivered.
    @Test("SIGKILL at random moments: every event delivered at least once, duplicates only under the same webhook-id")
    func killedRunsLoseNothing() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = Int(environment["INVOICE_EVENT_KILL_COUNT"] ?? "") ?? 300
        let seed = UInt64(environment["INVOICE_EVENT_KILL_SEED"] ?? "") ?? UInt64.random(in: 1...UInt64.max / 2)
        print("EventKillTests: seed \(seed) (INVOICE_EVENT_KILL_SEED=\(seed) repeats it), \(count) events")
        var random = SplitMix64(seed: seed)
        let directory = try TemporaryDirectory("event-kill")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let cli = try InvoiceCLI.creating(database: directory.path("kill.sqlite"), workingDirectory: directory.url)
        let customer = try cli.ok("customer", "add", "--company", "Kasse GmbH", "--email", "ap@kasse.ch",
                                  "--country", "CH", "--currency", "CHF", "--language", "de")
        let added = try #require(try cli.json("endpoints", "add", receiver.url("/app")) as? [String: Any])
        try receiver.set("/app", mode: "ok", secrets: [try #require(added["secret"] as? String)])
        // The events, written as `customer edit` writes them (one transaction each), in-process for speed.
        do {
            let store = try Store(path: try cli.location())
            let id = try #require(Int64(customer))
            for _ in 0..<count { try store.write { try EventLog(store: store).customer(.customerUpdated, id: id) } }
        }
        let location = try cli.location()
        let lease = ["INVOICE_EVENT_LEASE_SECONDS": "1"]
        var kills = 0
        for _ in 0..<8 {
            let run = try BackgroundInvoice(["--db", location, "events", "run", "--connections", "4", "--per-endpoint", "4"],
                                            environment: lease)
            usleep(UInt32.random(in: 10_000...250_000, using: &random))
            run.kill()
            if run.diedOfSIGKILL { kills += 1 }
        }
        // Then runs to the end: a killed run's batch comes back once its one-second lease ran out.
        let deadline = Date().addingTimeInterval(60)
        var undelivered = -1
        while Date() < deadline {
            let result = try cli.run(["events", "run", "--connections", "4", "--per-endpoint", "4"], environment: lease)
            #expect(result.status == 0, "\(result.stderr)")
            let list = try #require(try cli.json("events", "list") as? [[String: Any]])
            undelivered = try list.filter { row in
                try #require(row["deliveries"] as? [[String: Any]]).contains { $0["state"] as? String != "delivered" }
            }.count
            if undelivered == 0 { break }
            usleep(200_000)
        }
        #expect(undelivered == 0)
        let events = try #require(try cli.json("events", "list") as? [[String: Any]])
        #expect(events.count == count + 1)
        let expected = Set(try events.dropFirst().map { "evt_\(try #require($0["id"] as? Int))" })
        let requests = try receiver.requests("/app")
        #expect(Set(requests.map(\.id)) == expected)
        #expect(requests.allSatisfy { $0.verified == [true] })
        var bodies: [String: Set<String>] = [:]
        for request in requests { bodies[request.id, default: []].insert(request.body) }
        #expect(bodies.values.allSatisfy { $0.count == 1 })
        // One sequence number per webhook-id, each once: a duplicate is never a new event.
        let sequences = try bodies.values.compactMap(\.first).map { body -> Int in
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
            return try #require((payload["data"] as? [String: Any])?["sequence"] as? Int)
        }
        #expect(Set(sequences).count == count)
        print("EventKillTests: \(kills) runs killed, \(requests.count) requests for \(count) events (\(requests.count - count) duplicates)")
    }
}
