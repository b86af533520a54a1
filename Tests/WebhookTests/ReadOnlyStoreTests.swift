import Foundation
import Testing
import TestSupport

/// Issue 24: with the database readable but not writable, `invoice serve` started, `/healthz` answered
/// 200 and every event got 500, so a load balancer kept sending money to a receiver that could not
/// record it. Now serve refuses to start on such a store (one line naming the file), and `/healthz`
/// answers 503 while the store cannot be written (the file system's verdict on every check, and the
/// last write's failure until a write probe succeeds again). Real faults only: a tmpfs remounted
/// read-only (holds for root, unlike chmod), and a chmod 444 file for the unprivileged user `nobody`.
@Suite(.serialized)
struct ReadOnlyStoreTests {
    let disk: SmallDisk
    let cli: InvoiceCLI

    init() throws {
        disk = try SmallDisk(sizeKB: 8192, "read-only-store")
        cli = try InvoiceCLI.creating(database: disk.path("billing.sqlite"), today: BillingFixture.today)
        try cli.ok("settings", "set", "email", "billing@operator.example")
    }

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// An issued invoice of 100.00 net + 19 % VAT (119.00); its number.
    func issuedInvoice() throws -> String {
        let customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "billing@acme.example",
                                  "--country", "DE", "--currency", "EUR", "--language", "en")
        return try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue")
    }

    func serve(as user: [String] = []) throws -> ProcessResult {
        let launcher = user.isEmpty ? Paths.invoiceExecutable : URL(fileURLWithPath: "/usr/bin/setpriv")
        let arguments = user + (user.isEmpty ? [] : [Paths.invoiceExecutable.path])
            + ["--db", cli.database, "--date", BillingFixture.today, "serve", "--port", "0"]
        // A server that wrongly starts is stopped by the timeout (and the test fails on its output).
        return try ProcessRunner.run(launcher, arguments, environment: ["INVOICE_WEBHOOK_SECRET": TestSecret.text], timeout: 20)
    }

    /// Ends a reader without closing the database, so its -wal and -shm files stay.
    func leaveCompanionFiles() throws {
        let leave = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", """
            import os, sqlite3, sys
            c = sqlite3.connect(sys.argv[1]); c.execute("SELECT count(*) FROM invoices").fetchall(); os._exit(0)
            """, cli.database])
        guard leave.status == 0, FileManager.default.fileExists(atPath: cli.database + "-shm") else {
            throw ProcessRunnerError.failed("python3 left no -shm file: \(leave.stderr)")
        }
    }

    func health(_ server: ServerProcess) throws -> RawClient.Answer {
        let client = try RawClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        return try client.answer(timeout: 10)
    }

    func payments() throws -> String {
        try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [cli.database, "SELECT count(*) FROM payments"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Mutation (mutants.tsv serve-refusal-readonly): ServeCommand.swift: only a full disk is a refusal at start →
    /// the read-only store fails serve without saying it does not start, test fails.
    @Test func serveRefusesToStartOnAReadOnlyFileSystem() throws {
        defer { disk.unmount() }
        _ = try issuedInvoice()
        // A process that ended without closing leaves the -wal and -shm files, so SQLite can still read the
        // database on a read-only file system (what an operator meets after a crash and a forced remount).
        try leaveCompanionFiles()
        try disk.remount(readOnly: true)
        #expect(try cli.run("list").status == 0, "the database is readable")
        let result = try serve()
        #expect(result.status == 1, "\(result.stdout)")
        #expect(!result.stdout.contains("listening"), "\(result.stdout)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("the database \(cli.database) cannot be written (its file system is read-only)"),
                "\(result.stderr)")
        #expect(result.stderr.contains("invoice serve does not start"), "\(result.stderr)")
        try disk.remount(readOnly: false)
    }

    /// A full disk is a store that cannot record payments either: the database opens and reads (its -wal and
    /// -shm files exist), only the write probe finds out, and serve says so instead of starting.
    /// Mutation (mutants.tsv serve-write-probe): ServeCommand.swift: no write probe at start → serve starts on
    /// the full disk, test fails.
    @Test func serveRefusesToStartOnAFullDisk() throws {
        defer { disk.unmount() }
        _ = try issuedInvoice()
        try leaveCompanionFiles()
        try disk.fill(leavingKB: 0)
        let result = try serve()
        disk.freeSpace()
        #expect(result.status == 1, "\(result.stdout)")
        #expect(!result.stdout.contains("listening"), "\(result.stdout)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("the disk holding \(disk.mountPoint.path) is full"), "\(result.stderr)")
        #expect(result.stderr.contains("invoice serve does not start"), "\(result.stderr)")
    }

    /// The case: the file readable but not writable for the user the server runs as.
    /// Mutation (mutants.tsv serve-readonly-obstacle): Store+WriteProbe.swift: the file's access(2) check
    /// always passes → serve as `nobody` starts on the chmod 444 file, test fails.
    @Test func serveRefusesToStartOnAFileItMayNotWrite() throws {
        defer { disk.unmount() }
        _ = try issuedInvoice()
        #expect(chmod(disk.mountPoint.path, 0o777) == 0)
        #expect(chmod(cli.database, 0o444) == 0)
        let before = try cli.dump()
        let result = try serve(as: ["--reuid=65534", "--regid=65534", "--clear-groups"])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(!result.stdout.contains("listening"), "\(result.stdout)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("the database \(cli.database) cannot be written (the file is not writable for this user)"),
                "\(result.stderr)")
        #expect(try cli.dump() == before)
    }

    /// While running, the file system goes read-only: `/healthz` answers 503 naming it, an event is answered 503
    /// (the provider delivers again) and nothing is recorded; once writable again, health is 200 by itself (a
    /// write probe) and the redelivered event is applied once.
    /// Mutation (mutants.tsv healthz-readonly): WebhookHandler+Serving.swift: `/healthz` ignores the committer's
    /// verdict (plain 200) → still 200 on the read-only file system, test fails.
    /// Mutation (mutants.tsv webhook-store-503): WebhookHandler.swift: `storeFailure` answers nil (500 for
    /// everything) → the event on the read-only store is answered 500, test fails.
    @Test func healthIs503WhileTheStoreCannotBeWrittenAndComesBackByItself() throws {
        defer { disk.unmount() }
        let number = try issuedInvoice()
        let server = try ServerProcess(database: cli.database)
        defer { server.stop() }
        #expect(try health(server).status == 200)

        // Nothing has the database open before the first event, so the kernel lets us remount.
        try disk.remount(readOnly: true)
        let sick = try health(server)
        #expect(sick.status == 503, "\(sick.body)")
        #expect(sick.body.contains("\"status\": \"unavailable\""), "\(sick.body)")
        #expect(sick.body.contains("its file system is read-only"), "\(sick.body)")
        #expect(sick.header("Retry-After") != nil)

        let client = try RawClient(port: server.port)
        let body = paymentBody(id: "evt_ro_1", invoice: number, amount: "119.00")
        try client.send(signedRequest(body, messageID: "msg_ro_1", timestamp: now))
        let refused = try client.answer(timeout: 20)
        #expect(refused.status == 503, "\(refused.body)")
        #expect(refused.body.contains("deliver it again later"), "\(refused.body)")

        try disk.remount(readOnly: false)
        // The last write failed: the first check after the fix asks for a probe; wait (bounded) until it passed.
        let deadline = Date().addingTimeInterval(20)
        var healthy = try health(server)
        while healthy.status != 200 && Date() < deadline { healthy = try health(server) }
        #expect(healthy.status == 200, "\(healthy.body)")
        #expect(try payments() == "0")

        try client.send(signedRequest(body, messageID: "msg_ro_2", timestamp: now))
        let applied = try client.answer(timeout: 20)
        #expect(applied.status == 200 && applied.body.contains("applied"), "\(applied.body)")
        #expect(try payments() == "1")
        #expect(try health(server).status == 200)
        #expect(server.stop())
    }
}
