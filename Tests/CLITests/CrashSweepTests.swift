import Foundation
import Testing
import TestSupport

/// Issue 24: SIGKILL during `run` and during `mail run`, each at a point reached by waiting on a condition
/// (a number of queued rows; a number of messages the SMTP peer received), then the orphan sweep and a
/// consistency check: every mail file has its queue row and every row its file, each invoice's mail is
/// queued once and reaches the peer (a second copy only for a message flagged as possibly sent), and the
/// money is untouched. The seed is printed (CRASH_SEED repeats it).
@Suite(.serialized)
struct CrashSweepTests {
    static let invoices = 40
    let directory: TemporaryDirectory
    let cli: InvoiceCLI

    init() throws {
        directory = try TemporaryDirectory("crash-sweep")
        cli = try InvoiceCLI.creating(database: directory.path("books.sqlite"), today: "2026-11-25")
        try cli.ok("settings", "set", "email", "billing@operator.example")
    }

    func sqlite(_ sql: String) throws -> String {
        try cli.sql(sql).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func count(_ sql: String) -> Int { Int((try? sqlite(sql)) ?? "") ?? -1 }

    var outboxFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path("Outbox"))) ?? []).filter { $0 != "print" }
    }

    /// Files without a row, rows without a file.
    func strays() throws -> (orphans: [String], missing: [String]) {
        let names = Set(outboxFiles)
        let rows = Set(try sqlite("SELECT file FROM mail_queue").split(separator: "\n").map(String.init))
        return (names.subtracting(rows).sorted(), rows.subtracting(names).sorted())
    }

    /// Ages every temporary file past the lease, so `outbox check` may judge it (a young one could belong
    /// to a command still running).
    func ageTemporaryFiles() throws {
        for name in outboxFiles where name.hasPrefix(".tmp-") {
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)],
                                                  ofItemAtPath: directory.path("Outbox/\(name)"))
        }
    }

    /// The messages the peer has saved so far (files, cheap to count while a run is going).
    func arrived(_ server: SMTPTestServer) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: server.directory.path("mail"))) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    /// A Message-ID without its angle brackets.
    func bare(_ id: String) -> String { id.trimmingCharacters(in: CharacterSet(charactersIn: "<> \r\n")) }

    func money() throws -> String { try sqlite("SELECT number, total, paid FROM invoices ORDER BY id") }

    /// Mutation (mutants.tsv crash-sweep-skips): Outbox.swift: the sweep looks at no file (`.pdf` instead of
    /// `.eml`) → the killed run's temporary file stays (or its committed row has no file), test fails.
    @Test(.timeLimit(.minutes(5)))
    func runAndMailRunKilledMidWayLoseNothingAndLeaveNoStrayFile() throws {
        defer { directory.remove() }
        let seed = UInt64(ProcessInfo.processInfo.environment["CRASH_SEED"] ?? "") ?? 20_261_224
        print("CrashSweepTests: seed \(seed) (CRASH_SEED=\(seed) repeats it)")
        var random = SplitMix64(seed: seed)
        let customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example",
                                  "--country", "DE", "--currency", "EUR", "--language", "en")
        for index in 0..<Self.invoices {
            _ = try cli.ok("new", customer, "--line", "Work \(index);1;\(10 + index).00;19", "--issue")
        }
        let books = try money()
        try SMTPTestServer.with { server in
            try cli.ok("settings", "set", "smtp_url", server.url)

            // 1. `run` killed once a seeded number of its mails are visible and the next one's file is still
            // temporary (written, its transaction not committed or not renamed yet): the sweep's cases.
            let queuedTarget = Int.random(in: 1...(Self.invoices / 2), using: &random)
            let run = try BackgroundInvoice(["--db", try cli.location(), "--date", cli.today, "run", "--no-mail"],
                                            environment: ["INVOICE_OUTBOX": directory.path("Outbox")])
            let deadline = Date().addingTimeInterval(120)
            var midWrite = false
            while !run.hasExited && Date() < deadline {
                let files = outboxFiles
                midWrite = files.filter { !$0.hasPrefix(".") }.count >= queuedTarget && files.contains { $0.hasPrefix(".tmp-") }
                if midWrite { break }
            }
            run.kill()
            #expect(run.diedOfSIGKILL && midWrite, "run finished before its kill (\(queuedTarget) queued wanted)")
            #expect(outboxFiles.contains { $0.hasPrefix(".tmp-") }, "no temporary file at the kill: \(outboxFiles)")
            let queuedAtKill = count("SELECT count(*) FROM mail_queue")
            #expect(queuedAtKill >= queuedTarget && queuedAtKill < Self.invoices, "\(queuedAtKill) queued at the kill")
            try ageTemporaryFiles()
            let checked = try cli.run("outbox", "check")
            #expect(checked.status == 0, "\(checked.stderr)")
            var left = try strays()
            #expect(left.orphans.isEmpty && left.missing.isEmpty, "after the run's kill and outbox check: \(left)")
            try cli.ok("run", "--no-mail")
            #expect(count("SELECT count(*) FROM mail_queue") == Self.invoices)
            #expect(count("SELECT count(DISTINCT invoice_id) FROM mail_queue") == Self.invoices)
            left = try strays()
            #expect(left.orphans.isEmpty && left.missing.isEmpty, "after the second run: \(left)")

            // 2. `mail run` killed once the peer received a seeded number of messages.
            let lease = ["INVOICE_MAIL_LEASE_SECONDS": "2"]
            let sentTarget = Int.random(in: 1...(Self.invoices / 2), using: &random)
            let mailRun = try BackgroundInvoice(["--db", try cli.location(), "--date", cli.today, "mail", "run"],
                                                environment: lease.merging(["INVOICE_OUTBOX": directory.path("Outbox")]) { $1 })
            let mailDeadline = Date().addingTimeInterval(120)
            while arrived(server) < sentTarget && !mailRun.hasExited && Date() < mailDeadline { usleep(1_000) }
            mailRun.kill()
            #expect(mailRun.diedOfSIGKILL, "mail run finished before its kill (\(sentTarget) received wanted)")
            try ageTemporaryFiles()
            #expect(try cli.run("outbox", "check").status == 0)
            left = try strays()
            #expect(left.orphans.isEmpty && left.missing.isEmpty, "after the mail run's kill: \(left)")
            // Drain: what the killed run claimed comes back when its lease (wall clock, 2 s) has run out.
            let drainDeadline = Date().addingTimeInterval(60)
            while count("SELECT count(*) FROM mail_queue WHERE state = 'sent'") < Self.invoices && Date() < drainDeadline {
                let result = try cli.run(["mail", "run"], environment: lease)
                #expect(result.status == 0, "\(result.stderr)")
            }
            #expect(count("SELECT count(*) FROM mail_queue WHERE state = 'sent'") == Self.invoices)

            var arrivals: [String: Int] = [:]
            for message in try server.messages() { arrivals[bare(message.messageID ?? "?"), default: 0] += 1 }
            let ids = Set(try sqlite("SELECT message_id FROM mail_queue").split(separator: "\n").map { bare(String($0)) })
            #expect(ids.count == Self.invoices)
            #expect(Set(arrivals.keys) == ids, "lost: \(ids.subtracting(arrivals.keys)), foreign: \(Set(arrivals.keys).subtracting(ids))")
            let twice = Set(arrivals.filter { $0.value > 1 }.map(\.key))
            let possiblySent = Set(try sqlite("SELECT message_id FROM mail_queue WHERE unknown_outcome = 1").split(separator: "\n")
                .map { bare(String($0)) })
            #expect(twice.isSubset(of: possiblySent), "doubled without a flag: \(twice.subtracting(possiblySent))")
            #expect(arrivals.values.allSatisfy { $0 <= 2 }, "\(arrivals.filter { $0.value > 2 })")
            print("CrashSweepTests: run killed at \(queuedAtKill) queued, mail run at \(sentTarget)+ received, \(twice.count) sent twice (flagged)")
        }
        #expect(try money() == books, "the money changed")
        let left = try strays()
        #expect(left.orphans.isEmpty && left.missing.isEmpty, "\(left)")
    }
}
