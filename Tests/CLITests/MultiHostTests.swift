import Foundation
import Testing
import TestSupport

/// Several hosts on one PostgreSQL database (always a database on the throwaway server, whatever
/// `INVOICE_TEST_ENGINE` says), played by processes on this machine, each started from a folder of
/// its own (a host's `./Outbox` is not another's): the database is the only thing they share. (On
/// SQLite every process is on the host that holds the file; NumberingTests, MailCrashTests and
/// RunCommandTests run the same races there and, in the PostgreSQL pass, on the server too.)
@Suite struct MultiHostTests {
    /// A mail desk in a fresh PostgreSQL database; the caller drops it.
    func mailDesk(_ label: String) throws -> (MailDesk, TestPostgres.Database) {
        let database = try TestPostgres.Database(label)
        return (try MailDesk(label: label, database: database.uri), database)
    }

    /// A folder standing for another host: its own working directory, nothing of the desk's.
    func host(_ desk: MailDesk, _ label: String) throws -> (InvoiceCLI, TemporaryDirectory) {
        let folder = try TemporaryDirectory("host-\(label)")
        return (InvoiceCLI(database: desk.database, today: desk.cli.today, workingDirectory: folder.url), folder)
    }

    // Mutation (mutants.tsv pg-mail-body-not-read): the mailing run never asks the database for the bytes
    // (`try store.mailBody(id: mail.id)` → nil) → it looks for the file on the sending host, finds
    // none, and fails every message.
    // Mutation (mutants.tsv pg-mail-body-not-stored): Outbox.queue hands no bytes to enqueueMail → the
    // database holds no body and this fails.
    @Test func aMessageQueuedOnOneHostIsSentExactlyByAMailingRunOnAnotherThatHasNoOutbox() throws {
        try SMTPTestServer.with { server in
            let (desk, database) = try mailDesk("twohosts")
            defer { desk.remove(); database.drop() }
            for (index, lines) in [1, 12, 3].enumerated() {
                let customer = try desk.addCustomer(company: "Kunde \(index + 1) AG", email: "kunde\(index + 1)@example.ch")
                try desk.ok(["send", try desk.issueInvoice(customer: customer, lines: lines)])
            }
            let queued = try desk.outbox()
            #expect(queued.count == 3)
            #expect(try TestEngine.postgresSQL(database.uri, "SELECT count(*) FROM mail_bodies") == "3\n")
            // The bytes as queued (this host's copy), then the copy is gone: the other host never had it.
            var bytes: [String: Data] = [:]
            for row in queued {
                let file = desk.outboxDirectory.appendingPathComponent(try #require(row["file"] as? String))
                bytes[try #require(row["message_id"] as? String)] = try Data(contentsOf: file)
            }
            try FileManager.default.removeItem(at: desk.outboxDirectory)
            try desk.useServer(server.url)

            let (other, folder) = try host(desk, "sender")
            defer { folder.remove() }
            let run = try desk.mailRun(["--connections", "2"], on: other)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try desk.states() == ["sent": 3])
            let captured = try server.messages()
            #expect(captured.count == 3)
            for message in captured {
                let id = try #require(message.messageID)
                #expect(message.data == bytes[id], "\(id) differs from the bytes queued")
            }
            #expect(!FileManager.default.fileExists(atPath: folder.path("Outbox")))
        }
    }

    /// Starts one shell per host, each in its own folder, and waits for all: a shell stops at its
    /// first failing command and exits 1 with the reason on stderr.
    func runShells(_ script: String, hosts: [TemporaryDirectory]) throws {
        let processes = try hosts.map { host -> (Process, Pipe) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", script]
            process.currentDirectoryURL = host.url
            process.standardOutput = FileHandle.nullDevice
            let errors = Pipe()
            process.standardError = errors
            try process.run()
            return (process, errors)
        }
        for (process, errors) in processes {
            let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationReason == .exit && process.terminationStatus == 0, "a host failed: \(stderr)")
        }
    }

    /// Gapless numbers across hosts: the counter row is updated in the issuing transaction (no
    /// SEQUENCE), so four hosts issuing invoices and crediting them at once leave both series whole.
    @Test func fourHostsIssuingInvoicesAndCreditNotesAtOnceLeaveBothSeriesGapless() throws {
        let database = try TestPostgres.Database("numbers")
        defer { database.drop() }
        let office = try TemporaryDirectory("host-office")
        defer { office.remove() }
        let cli = try InvoiceCLI.creating(database: database.uri, workingDirectory: office.url)
        try cli.ok("settings", "set", "number_format", "N-{YYYY}-{SEQ:4}")
        try cli.ok("settings", "set", "credit_note_number_format", "C-{YYYY}-{SEQ:4}")
        let customer = try cli.ok("customer", "add", "--company", "Bäckerei Kühn GmbH", "--email", "r@kuehn.de",
                                  "--country", "DE", "--currency", "EUR", "--language", "de")
        let hosts = try (0..<4).map { try TemporaryDirectory("host-\($0)") }
        defer { hosts.forEach { $0.remove() } }
        let invoice = "\"\(Paths.invoiceExecutable.path)\" --db '\(database.uri)' --date 2026-11-25"
        try runShells("""
            for i in 1 2 3 4 5 6; do
              number=$(\(invoice) new \(customer) --line "Brot;$i;2.50;7" --issue) || { echo "issue $i failed" >&2; exit 1; }
              \(invoice) credit-note "$number" --amount 1.00 --reason "Bruch" --no-mail >/dev/null || { echo "credit $i failed" >&2; exit 1; }
            done
            """, hosts: hosts)
        let invoices = try TestEngine.postgresSQL(database.uri, "SELECT number FROM invoices WHERE kind = 'invoice' ORDER BY number")
        let credits = try TestEngine.postgresSQL(database.uri, "SELECT number FROM invoices WHERE kind = 'credit_note' ORDER BY number")
        #expect(invoices == (1...24).map { String(format: "N-2026-%04d\n", $0) }.joined())
        #expect(credits == (1...24).map { String(format: "C-2026-%04d\n", $0) }.joined())
    }

    /// A queue of `count` messages on PostgreSQL (one really sent, cloned), made on the desk's host.
    func queuedDesk(_ label: String, count: Int) throws -> (MailDesk, TestPostgres.Database, [String]) {
        let (desk, database) = try mailDesk(label)
        let customer = try desk.addCustomer(company: "Dauerkunde AG", email: "kunde@example.ch")
        try desk.ok(["send", try desk.issueInvoice(customer: customer)])
        return (desk, database, try desk.cloneQueued(count: count))
    }

    /// The messages the peer has saved so far.
    static func arrived(_ server: SMTPTestServer) -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: server.directory.path("mail"))) ?? []).filter { $0.hasSuffix(".eml") }.count
    }

    /// Three mailing runs on three hosts claim from one queue (FOR UPDATE SKIP LOCKED and leases) and
    /// read the bytes from the database: every message arrives exactly once.
    @Test(.timeLimit(.minutes(2)))
    func threeMailRunsOnThreeHostsSendEveryMessageExactlyOnce() throws {
        let (desk, database, ids) = try queuedDesk("threeruns", count: 300)
        defer { desk.remove(); database.drop() }
        try FileManager.default.removeItem(at: desk.outboxDirectory)
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            let hosts = try (0..<3).map { try TemporaryDirectory("mailhost-\($0)") }
            defer { hosts.forEach { $0.remove() } }
            let runs = try hosts.map { host in
                try BackgroundInvoice(["--db", database.uri, "--date", desk.cli.today, "mail", "run", "--connections", "2"],
                                      workingDirectory: host.url)
            }
            defer { runs.forEach { $0.kill() } }
            for run in runs {
                let status = run.wait(timeout: 90)
                #expect(status == 0, "a run exited with wait status \(String(describing: status))")
            }
            #expect(try desk.states() == ["sent": ids.count])
            let arrived = try server.messages().compactMap(\.messageID)
            #expect(arrived.sorted() == ids.sorted())
        }
    }

    /// One of three hosts' mailing runs SIGKILLed mid-delivery: its claims expire (the lease) and the
    /// others take them; every message arrives, at most one batch per connection of the dead run
    /// twice, and each message that arrived twice is flagged as a possible duplicate.
    @Test(.timeLimit(.minutes(2)))
    func aMailHostKilledMidRunLeavesItsClaimsToTheOthersAtMostOneBatchTwiceFlagged() throws {
        let connections = 2, batch = 8, lease = 2
        let (desk, database, ids) = try queuedDesk("killedrun", count: 300)
        defer { desk.remove(); database.drop() }
        try FileManager.default.removeItem(at: desk.outboxDirectory)
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            let hosts = try (0..<3).map { try TemporaryDirectory("mailhost-\($0)") }
            defer { hosts.forEach { $0.remove() } }
            let environment = ["INVOICE_MAIL_LEASE_SECONDS": String(lease)]
            let arguments = ["--db", database.uri, "--date", desk.cli.today, "mail", "run", "--connections", String(connections)]
            let victim = try BackgroundInvoice(arguments, environment: environment, workingDirectory: hosts[0].url)
            defer { victim.kill() }
            // Killed once it has delivered some (a condition, bounded), with its next batches in flight.
            let deadline = Date().addingTimeInterval(60)
            while Self.arrived(server) < 24 && !victim.hasExited && Date() < deadline { usleep(1_000) }
            let others = try hosts.dropFirst().map { try BackgroundInvoice(arguments, environment: environment, workingDirectory: $0.url) }
            defer { others.forEach { $0.kill() } }
            victim.kill()
            #expect(victim.diedOfSIGKILL, "the first host's run finished before its kill")
            for run in others { #expect(run.wait(timeout: 90) == 0) }
            // Its claims come back when their lease (wall clock) runs out: another host's run takes them.
            var states = try desk.states()
            let drain = Date().addingTimeInterval(60)
            while states["sent", default: 0] < ids.count && Date() < drain {
                sleep(UInt32(lease))
                let (other, folder) = try host(desk, "drain")
                defer { folder.remove() }
                #expect(try desk.mailRun(["--connections", String(connections)], on: other, environment: environment).status == 0)
                states = try desk.states()
            }
            #expect(states == ["sent": ids.count])
            var arrivals: [String: Int] = [:]
            for message in try server.messages() { arrivals[message.messageID ?? "?", default: 0] += 1 }
            #expect(Set(arrivals.keys) == Set(ids))
            let duplicates = arrivals.values.reduce(0) { $0 + $1 - 1 }
            #expect(duplicates <= connections * batch, "\(duplicates) duplicates after one kill")
            let flagged = Set(try desk.outbox().filter { $0["unknown_outcome"] as? Bool == true }.compactMap { $0["message_id"] as? String })
            let twice = arrivals.filter { $0.value > 1 }.map(\.key)
            #expect(twice.allSatisfy(flagged.contains), "duplicates not flagged: \(twice.filter { !flagged.contains($0) })")
        }
    }

    /// `invoice run` started on two hosts at once on the same day ends as one run does: one renewal
    /// per booking period (a unique index on booking and period start), one reminder per level, one
    /// activation per paid invoice; compared with a copy of the desk run twice, one after the other.
    @Test func twoHostsRunningTheScheduledRunAtOnceEndLikeOneRun() throws {
        let database = try TestPostgres.Database("tworuns")
        defer { database.drop() }
        let desk = try BookingDesk(label: "run-hosts", database: database.uri).withCustomer()
        defer { desk.remove() }
        try desk.ok(["settings", "set", "reminder_days", "7,21,35"])
        try desk.ok(["settings", "set", "email", "billing@desk.example"])
        for index in 0..<8 {
            let other = try desk.withCustomer(company: "Other \(index)")
            let first = try other.json(["plan", other.customer, "activate", index % 2 == 0 ? "Business" : "Starter", "--monthly"],
                                       date: "2026-01-0\(index + 1)")
            // Six paid (renewed by the run), two never paid (lapsed by it).
            if index < 6 { try other.ok(["pay", try #require(first["invoice"] as? String), "--amount", index % 2 == 0 ? "36.89" : "11.90"], date: "2026-01-0\(index + 1)") }
        }
        // Two invoices sent in January and overdue: the run reminds each once (level 1).
        for day in ["2026-01-09", "2026-01-10"] {
            let number = try desk.ok(["new", desk.customer, "--line", "Setup;1;100.00;19", "--issue"], date: day)
            try desk.ok(["send", number.trimmingCharacters(in: .whitespacesAndNewlines)], date: day)
        }
        let hosts = try (0..<2).map { try TemporaryDirectory("runhost-\($0)") }
        defer { hosts.forEach { $0.remove() } }
        try SMTPTestServer.with { server in
            try desk.ok(["settings", "set", "smtp_url", server.url])
            let sent = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", database.uri, "--date", "2026-01-12", "mail", "run"],
                                             currentDirectory: hosts[0].url)
            #expect(sent.status == 0, "\(sent.stderr)")
        }
        let copy = try TestPostgres.Database("tworuns_seq")
        copy.drop()
        _ = try TestEngine.postgresSQL(try TestPostgres.serverURI(), "CREATE DATABASE \(copy.name) TEMPLATE \(database.name)")
        defer { copy.drop() }
        try runShells("exec \"\(Paths.invoiceExecutable.path)\" --db '\(database.uri)' --date 2026-02-20 run >/dev/null", hosts: hosts)
        for _ in 0..<2 {
            #expect(try ProcessRunner.run(Paths.invoiceExecutable, ["--db", copy.uri, "--date", "2026-02-20", "run"],
                                          currentDirectory: hosts[0].url).status == 0)
        }
        let state = try BookingDesk.state(of: database.uri)
        #expect(state == (try BookingDesk.state(of: copy.uri)))
        // The same mail queued, each once (renewal invoices, credit notes, reminders), whichever host
        // queued it, with its bytes in the database (ids may differ: an insert rolled back on one host
        // leaves a gap in the ids, never in the numbers).
        let queue = """
            SELECT i.number, m.kind, m.state, b.mail_id IS NOT NULL FROM mail_queue m JOIN invoices i ON i.id = m.invoice_id
            LEFT JOIN mail_bodies b ON b.mail_id = m.id ORDER BY i.number, m.kind
            """
        let queuedHere = try TestEngine.postgresSQL(database.uri, queue)
        #expect(queuedHere == (try TestEngine.postgresSQL(copy.uri, queue)))
        #expect(!queuedHere.contains("|false"), "\(queuedHere)")
        // The run did renew, lapse and remind (the comparison is not of two idle desks).
        #expect(try TestEngine.postgresSQL(database.uri, "SELECT count(*) FROM booking_periods WHERE reason = 'renewal'") == "6\n")
        #expect(try TestEngine.postgresSQL(database.uri, "SELECT count(*) FROM bookings WHERE status = 'expired'") == "2\n")
        let reminded = try TestEngine.postgresSQL(database.uri, "SELECT i.number, r.level FROM reminders r JOIN invoices i ON i.id = r.invoice_id ORDER BY 1")
        #expect(reminded == "INV-2026-00009|1\nINV-2026-00010|1\n")
    }
}
