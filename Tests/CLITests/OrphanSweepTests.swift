import Foundation
import Testing
import TestSupport

/// Issue 24: after SIGKILLs, `Outbox/` held message files no queue row referred to. A mail file is now
/// written under a temporary name and renamed only after its transaction commits; `outbox check` (and
/// the start of `run` and `mail run`) removes what a dead transaction left once it is older than the
/// lease, and finishes the rename of a committed message.
@Suite(.serialized)
struct OrphanSweepTests {
    let directory: TemporaryDirectory
    let cli: InvoiceCLI
    let customer: String

    init() throws {
        directory = try TemporaryDirectory("orphan-sweep")
        cli = try InvoiceCLI.creating(database: directory.path("books.sqlite"), today: "2026-11-25")
        try cli.ok("settings", "set", "email", "billing@operator.example")
        customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example",
                              "--country", "DE", "--currency", "EUR", "--language", "en")
    }

    var outboxFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path("Outbox"))) ?? []).sorted()
    }

    func queuedRows() throws -> [[String: Any]] { try #require(try cli.json("outbox", "list") as? [[String: Any]]) }

    /// Moves a file's modification time two hours back (older than the 600 s lease).
    func age(_ name: String) throws {
        let path = directory.path("Outbox/\(name)")
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)], ofItemAtPath: path)
    }

    /// SIGKILL inside `run`'s transaction, after the invoice mail's file was written: the file is temporary
    /// and no row exists; `outbox list` shows nothing; `outbox check` leaves it while it could still belong
    /// to a running command, removes it once older than the lease; the next `run` queues the mail once.
    /// Mutation (mutants.tsv sweep-wrong-suffix): Outbox.swift: `guard final.hasSuffix(".eml")` → `guard final.hasSuffix(".pdf")` in `sweep`
    /// → the orphan is never removed, test fails.
    @Test func aRunKilledBeforeItsCommitLeavesNoVisibleMailAndCheckRemovesTheRest() throws {
        defer { directory.remove() }
        _ = try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue")
        let killed = try cli.run(["run", "--no-mail"], environment: ["INVOICE_FAULT": "mail-queued-before-commit"])
        #expect(killed.signal == SIGKILL, "run was not killed: \(killed.status) \(killed.stderr)")
        #expect(try queuedRows().isEmpty)
        let left = outboxFiles
        #expect(left.count == 1 && left[0].hasPrefix(".tmp-"), "\(left)")
        #expect(!left.contains { $0.hasSuffix(".eml") && !$0.hasPrefix(".") }, "a message became visible: \(left)")

        let young = try cli.ok("outbox", "check")
        #expect(young.contains("left \(left[0])"), "\(young)")
        #expect(outboxFiles == left)
        try age(left[0])
        let checked = try cli.ok("outbox", "check")
        #expect(checked == "removed \(left[0]): no queued message refers to it", "\(checked)")
        #expect(outboxFiles.isEmpty)
        #expect(try cli.ok("outbox", "check") == "the outbox holds no stray files")

        try cli.ok("run", "--no-mail")
        let rows = try queuedRows()
        #expect(rows.count == 1)
        #expect(outboxFiles == [try #require(rows.first?["file"] as? String)], "\(outboxFiles) vs \(rows)")
    }

    /// SIGKILL after the payment's commit, before its receipt was renamed: the row is queued, its file
    /// still temporary; `mail run` finishes the rename and sends it, exactly once.
    /// Mutation (mutants.tsv reader-no-publish): Outbox.swift: `Outbox.publish` renames nothing (the sweep and MessageFileReader's ENOENT
    /// fallback each finish a cut-short rename through it, so skipping either alone is covered by the other) →
    /// the receipt fails as "message file … is missing", test fails.
    @Test func aPaymentKilledAfterItsCommitStillSendsItsReceipt() throws {
        defer { directory.remove() }
        try SMTPTestServer.with { server in
            try cli.ok("settings", "set", "smtp_url", server.url)
            let number = try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue", "--no-mail")
            let killed = try cli.run(["pay", number, "--amount", "119.00"],
                                     environment: ["INVOICE_FAULT": "mail-committed-before-rename"])
            #expect(killed.signal == SIGKILL, "pay was not killed: \(killed.status) \(killed.stderr)")
            #expect(try #require(try cli.json("show", number) as? [String: Any])["status"] as? String == "paid")
            let rows = try queuedRows()
            let file = try #require(rows.first?["file"] as? String)
            #expect(rows.count == 1)
            #expect(outboxFiles == [".tmp-" + file])
            let sent = try cli.run("mail", "run")
            #expect(sent.status == 0, "\(sent.stderr)")
            #expect(outboxFiles == [file])
            #expect(try server.messages().count == 1)
            #expect(try queuedRows().first?["state"] as? String == "sent")
        }
    }
}
