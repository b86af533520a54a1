import Foundation
import Testing
import TestSupport

/// Issue 24's fault matrix on a real small file system (a tmpfs mounted for the test): `pay`, `issue`,
/// `run`, `mail run` and `print` with 0, ~60 KB and ~120 KB free. Each either succeeds or fails with one
/// line naming the full disk; afterwards the database is intact, no mail file without a queue row is
/// left, the money is exact, and the same command succeeds once space is freed.
@Suite(.serialized)
struct FullDiskTests {
    let disk: SmallDisk
    let pristine: TemporaryDirectory
    let cli: InvoiceCLI

    init() throws {
        disk = try SmallDisk(sizeKB: 8192, "full-disk")
        pristine = try TemporaryDirectory("full-disk-pristine")
        cli = InvoiceCLI(database: disk.path("books.sqlite"), today: "2026-11-25")
    }

    /// One operation of the matrix, with what must hold after it (whatever the outcome).
    struct Operation {
        let name: String
        let arguments: [String]
    }

    func sqlite(_ sql: String) throws -> String {
        try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [cli.database, sql]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The Outbox files no queue row refers to, and any temporary one.
    func orphans() throws -> [String] {
        let folder = disk.path("Outbox")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let referenced = Set(try sqlite("SELECT file FROM mail_queue").split(separator: "\n").map(String.init))
        return names.filter { $0.hasSuffix(".eml") && !referenced.contains($0) }
    }

    /// The books as they must stay exact: each invoice's paid column equals its payments.
    func moneyIsExact() throws -> Bool {
        try sqlite("""
            SELECT count(*) FROM invoices i WHERE i.paid <> (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.invoice_id = i.id)
            """) == "0"
    }

    func restore() throws {
        let fm = FileManager.default
        for name in ["books.sqlite", "books.sqlite-wal", "books.sqlite-shm", "Outbox", "prints"] {
            try? fm.removeItem(atPath: disk.path(name))
        }
        try fm.copyItem(atPath: pristine.path("books.sqlite"), toPath: cli.database)
    }

    /// Issue 24: with 0 bytes free every command said "disk I/O error"; with 60–120 KB a payment that
    /// completed an invoice failed because its receipt did not fit, leaving an orphan receipt file.
    /// Mutation (mutants.tsv pay-no-disk-full-retry): Invoicing.swift: drop the disk-full retry in `pay` (rethrow) → where the receipt does not fit the payment is
    /// refused instead of recorded with a pending receipt, test fails.
    /// Mutation (mutants.tsv outbox-rename-at-once): Outbox.swift: rename at once in `write` (no `.tmp-` until commit) → an orphan receipt
    /// stays after the refused payment, test fails.
    @Test func theFaultMatrixLosesNothingAndSaysTheDiskIsFull() throws {
        defer { disk.unmount(); pristine.remove() }
        try SMTPTestServer.with { server in
            try cli.ok("init")
            try cli.ok("settings", "set", "email", "billing@operator.example")
            try cli.ok("settings", "set", "smtp_url", server.url)
            let customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example",
                                      "--country", "DE", "--currency", "EUR", "--language", "en")
            let toPay = try cli.ok("new", customer, "--line", "Consulting;1;100.00;19", "--issue", "--no-mail")
            let draft = try cli.ok("new", customer, "--line", "Draft;2;50.00;19")
            _ = try cli.ok("new", customer, "--line", "Queued;1;30.00;19", "--issue")  // `run` queues its mail
            _ = try cli.ok("send", toPay)  // `mail run` sends it
            try FileManager.default.copyItem(atPath: cli.database, toPath: pristine.path("books.sqlite"))
            try FileManager.default.copyItem(atPath: disk.path("Outbox"), toPath: pristine.path("Outbox"))
            let operations = [
                Operation(name: "pay", arguments: ["pay", toPay, "--amount", "119.00"]),
                Operation(name: "issue", arguments: ["issue", draft]),
                Operation(name: "run", arguments: ["run", "--no-mail"]),
                Operation(name: "mail run", arguments: ["mail", "run"]),
                Operation(name: "print", arguments: ["print", toPay, "--out", disk.path("prints"), "--format", "pdf"]),
            ]
            var outcomes: [String] = []
            var payRecordedWithPendingReceipt: [Int] = []
            for operation in operations {
                // The payment's own levels step through the window where its transaction fits but its receipt
                // does not (it moves as a payment writes more: events and the audit entry moved it from ~60 KB
                // to ~100 KB), so the test finds the window instead of naming one size.
                for free in (operation.name == "pay" ? [0, 60, 80, 100, 120, 140, 160, 200] : [0, 60, 120]) {
                    try restore()
                    try FileManager.default.copyItem(atPath: pristine.path("Outbox"), toPath: disk.path("Outbox"))
                    if operation.name == "print" { try FileManager.default.createDirectory(atPath: disk.path("prints"), withIntermediateDirectories: true) }
                    try disk.fill(leavingKB: free)
                    let label = "\(operation.name) with \(free) KB free"
                    let result = try cli.run(operation.arguments)
                    outcomes.append("\(label): exit \(result.status)")
                    #expect(result.signal == nil && (result.status == 0 || result.status == 1), "\(label): \(result.stderr)")
                    if result.status != 0 {
                        #expect(result.stderr.split(separator: "\n").count == 1, "\(label): \(result.stderr)")
                        #expect(result.stderr.contains("the disk holding \(disk.mountPoint.path)"), "\(label): \(result.stderr)")
                    }
                    disk.freeSpace()  // the checks themselves (sqlite3 opens the WAL index) need a little space
                    if operation.name == "pay", result.status == 0, try sqlite("SELECT count(*) FROM pending_receipts") == "1" {
                        payRecordedWithPendingReceipt.append(free)
                    }
                    #expect(try sqlite("PRAGMA integrity_check") == "ok", "\(label)")
                    #expect(try orphans() == [], "\(label)")
                    #expect(!((try? FileManager.default.contentsOfDirectory(atPath: disk.path("Outbox"))) ?? [])
                        .contains { $0.hasPrefix(".tmp-") }, "\(label): a temporary mail file was left")
                    #expect(try moneyIsExact(), "\(label)")
                    // The same operation succeeds once there is space (a payment already recorded is recorded once).
                    if result.status != 0 {
                        let again = try cli.run(operation.arguments)
                        #expect(again.status == 0, "\(label), after freeing space: \(again.stderr)")
                    }
                    if operation.name == "pay" {
                        #expect(try sqlite("SELECT count(*) FROM payments") == "1", "\(label)")
                        // A receipt left pending by the full disk is queued by the next run.
                        try cli.ok("run", "--no-mail")
                        #expect(try sqlite("SELECT count(*) FROM mail_queue WHERE kind = 'receipt'") == "1", "\(label)")
                    }
                    #expect(try moneyIsExact(), "\(label)")
                    #expect(try orphans() == [], "\(label)")
                }
            }
            // The payment does not fail for its receipt: at some level it is recorded with the receipt pending.
            #expect(!payRecordedWithPendingReceipt.isEmpty, "no level recorded the payment with its receipt pending: \(outcomes)")
            // With nothing free every operation needs space it cannot have (else the disk was not full at all).
            for operation in operations {
                #expect(outcomes.contains("\(operation.name) with 0 KB free: exit 1"), "\(outcomes)")
            }
        }
    }
}
