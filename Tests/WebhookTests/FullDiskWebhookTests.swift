import Foundation
import Testing
import TestSupport

/// Issue 24's fault matrix for the receiver: a payment event (one that pays its invoice, so a receipt is
/// queued) delivered with 0, ~60 KB and ~120 KB free on a real small file system. Each delivery is either
/// recorded as a whole (200) or not at all and answered 503, so the provider delivers again — never 500,
/// never half-recorded. Afterwards the database is intact, no mail file without its queue row is left,
/// the money is exact, and once space is freed `/healthz` is 200 by itself and the redelivery is applied
/// (or answered `duplicate`) exactly once.
@Suite(.serialized)
struct FullDiskWebhookTests {
    let disk: SmallDisk
    let pristine: TemporaryDirectory
    let database: String

    init() throws {
        disk = try SmallDisk(sizeKB: 8192, "full-disk-webhook")
        pristine = try TemporaryDirectory("full-disk-webhook-pristine")
        database = disk.path("billing.sqlite")
    }

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    func sqlite(_ sql: String) throws -> String {
        try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [database, sql]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func health(_ server: ServerProcess) throws -> RawClient.Answer {
        let client = try RawClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        return try client.answer(timeout: 10)
    }

    /// Outbox files no queue row refers to (also temporary ones), and rows whose file is missing.
    func strays() throws -> (orphans: [String], missing: [String]) {
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: disk.path("Outbox"))) ?? [])
        let rows = Set(try sqlite("SELECT file FROM mail_queue").split(separator: "\n").map(String.init))
        return (names.filter { !rows.contains($0) }.sorted(), rows.filter { !names.contains($0) }.sorted())
    }

    /// Mutation (mutants.tsv webhook-diskfull-503): WebhookHandler.swift: `storeFailure` answers nil (500 for
    /// everything) → the delivery on the full disk is answered 500, test fails.
    /// Mutation (mutants.tsv store-open-diskfull): StoreError.swift: opening on a full disk not blamed on the
    /// disk → "unable to open database file" answered 500, test fails.
    @Test func aPaymentEventOnAFullDiskIsRecordedWholeOrAnswered503AndRedeliveredOnce() throws {
        defer { disk.unmount(); pristine.remove() }
        let cli = try InvoiceCLI.creating(database: database, today: BillingFixture.today)
        try cli.ok("settings", "set", "email", "billing@operator.example")
        let customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "billing@acme.example",
                                  "--country", "DE", "--currency", "EUR", "--language", "en")
        let number = try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue", "--no-mail")
        try FileManager.default.copyItem(atPath: database, toPath: pristine.path("billing.sqlite"))
        var outcomes: [String] = []
        for free in [0, 60, 120] {
            let label = "webhook with \(free) KB free"
            for name in ["billing.sqlite", "billing.sqlite-wal", "billing.sqlite-shm", "Outbox"] {
                try? FileManager.default.removeItem(atPath: disk.path(name))
            }
            try FileManager.default.copyItem(atPath: pristine.path("billing.sqlite"), toPath: database)
            let server = try ServerProcess(database: database)
            defer { server.stop() }
            try disk.fill(leavingKB: free)
            let body = paymentBody(id: "evt_full_\(free)", invoice: number, amount: "119.00")
            let client = try RawClient(port: server.port)
            try client.send(signedRequest(body, messageID: "msg_full_\(free)", timestamp: now))
            let first = try client.answer(timeout: 30)
            outcomes.append("\(label): \(first.status)")
            #expect(first.status == 200 || first.status == 503, "\(label): \(first.body)")
            if first.status == 503 {
                #expect(first.body.contains("the disk holding \(disk.mountPoint.path) is full"), "\(label): \(first.body)")
                #expect(first.body.contains("deliver it again later"), "\(label): \(first.body)")
                let sick = try health(server)
                #expect(sick.status == 503 && sick.body.contains("is full"), "\(label): \(sick.body)")
            }
            disk.freeSpace()
            // Health comes back by itself (a write probe); wait for it, bounded.
            let deadline = Date().addingTimeInterval(20)
            var healthy = try health(server)
            while healthy.status != 200 && Date() < deadline { healthy = try health(server) }
            #expect(healthy.status == 200, "\(label): \(healthy.body)")

            try client.send(signedRequest(body, messageID: "msg_full_\(free)_again", timestamp: now))
            let again = try client.answer(timeout: 30)
            #expect(again.status == 200, "\(label): \(again.body)")
            #expect(again.body.contains(first.status == 200 ? "duplicate" : "applied"), "\(label): \(again.body)")
            #expect(server.stop(), "\(label): serve did not stop cleanly")

            #expect(try sqlite("PRAGMA integrity_check") == "ok", "\(label)")
            #expect(try sqlite("SELECT count(*) FROM payments") == "1", "\(label)")
            #expect(try sqlite("SELECT count(*) FROM webhook_events") == "1", "\(label)")
            let shown = try jsonObject(try cli.json("show", number))
            #expect(shown["paid"] as? String == "119.00" && shown["status"] as? String == "paid", "\(label): \(shown)")
            #expect(try sqlite("SELECT count(*) FROM invoices i WHERE i.paid <> (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.invoice_id = i.id)") == "0")
            #expect(try sqlite("SELECT count(*) FROM unmatched_payments") == "0", "\(label)")
            // A receipt the full disk left pending is queued by the next run; then exactly one, with its file.
            try cli.ok("run", "--no-mail")
            #expect(try sqlite("SELECT count(*) FROM mail_queue WHERE kind = 'receipt'") == "1", "\(label)")
            let left = try strays()
            #expect(left.orphans.isEmpty && left.missing.isEmpty, "\(label): \(left)")
        }
        // With nothing free the event cannot be recorded (else the disk was not full at all).
        #expect(outcomes.contains("webhook with 0 KB free: 503"), "\(outcomes)")
        print("FullDiskWebhookTests: \(outcomes.joined(separator: ", "))")
    }
}
