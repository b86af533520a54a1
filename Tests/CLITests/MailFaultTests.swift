import Foundation
import Synchronization
import Testing
import TestSupport

/// The mailing run against servers that misbehave, all on 127.0.0.1, all through the binary.
struct MailFaultTests {
    /// A desk with one customer per recipient address and one invoice mail queued for each, in order.
    func desk(_ label: String, recipients: [String]) throws -> MailDesk {
        let desk = try MailDesk(label: label)
        for (index, email) in recipients.enumerated() {
            let customer = try desk.addCustomer(company: "Kunde \(index + 1) AG", email: email)
            try desk.ok(["send", try desk.issueInvoice(customer: customer)])
        }
        return desk
    }

    func summary(_ result: ProcessResult) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result.stdout) \(result.stderr)")
    }

    func row(_ desk: MailDesk, to recipient: String) throws -> [String: Any] {
        try #require(try desk.outbox().first { $0["to"] as? String == recipient })
    }

    @Test func aTemporaryFailureIsDeferredThenDeliveredExactlyOnce() throws {
        try SMTPTestServer.with(["--tempfail-every", "2"]) { server in
            let desk = try desk("tempfail", recipients: ["eins@example.ch", "zwei@example.ch"])
            defer { desk.remove() }
            try desk.useServer(server.url)
            let first = try summary(try desk.mailRun(["--connections", "1"]))
            #expect(first["sent"] as? Int == 1)
            #expect(first["deferred"] as? Int == 1)
            let deferred = try #require(try desk.outbox().first { $0["state"] as? String == "deferred" })
            #expect(deferred["attempts"] as? Int == 1)
            #expect((deferred["last_reply"] as? String)?.contains("451") == true)
            // Not due yet today; due on a later queue clock.
            #expect(try summary(try desk.mailRun())["sent"] as? Int == 0)
            #expect(try summary(try desk.mailRun(on: desk.on("2099-01-01")))["sent"] as? Int == 1)
            let rows = try desk.outbox()
            #expect(rows.allSatisfy { $0["state"] as? String == "sent" })
            #expect(try row(desk, to: try #require(deferred["to"] as? String))["attempts"] as? Int == 2)
            let arrived = try server.messages().compactMap(\.messageID)
            #expect(arrived.sorted() == rows.compactMap { $0["message_id"] as? String }.sorted())
        }
    }

    @Test func aPermanentRejectionFailsAtOnceAndOnlyRetryMakesItDueAgain() throws {
        try SMTPTestServer.with { server in
            let desk = try desk("reject", recipients: ["reject@example.ch", "datareject@example.ch"])
            defer { desk.remove() }
            try desk.useServer(server.url)
            let first = try summary(try desk.mailRun())
            #expect(first["failed"] as? Int == 2)
            for row in try desk.outbox() {
                #expect(row["state"] as? String == "failed")
                #expect(row["attempts"] as? Int == 1)
                #expect((row["last_reply"] as? String).map { $0.contains("550") || $0.contains("554") } == true, "\(row)")
            }
            let before = try desk.dump()
            let connections = server.connectionCount()
            #expect(try summary(try desk.mailRun(on: desk.on("2099-01-01")))["failed"] as? Int == 0)
            #expect(try desk.dump() == before)
            #expect(server.connectionCount() == connections)

            let id = try #require(try row(desk, to: "reject@example.ch")["id"] as? Int)
            try desk.ok(["outbox", "retry", String(id)])
            let retried = try row(desk, to: "reject@example.ch")
            #expect(retried["state"] as? String == "queued")
            #expect(retried["attempts"] as? Int == 0)
            #expect(try summary(try desk.mailRun())["failed"] as? Int == 1)
            #expect(try row(desk, to: "datareject@example.ch")["attempts"] as? Int == 1)
            #expect(try server.messages().isEmpty)
        }
    }

    /// The peer closes after a few body lines. A small message is already all in the socket
    /// buffers by then, so the client cannot tell whether the end of data arrived: deferred either
    /// way (flagged as a possible duplicate when the whole body was handed over), never failed.
    @Test func aConnectionDroppedInTheMiddleOfTheDataIsDeferredThenDeliveredOnTheNextRun() throws {
        let desk = try desk("dropmid", recipients: ["dropmidbody@example.ch", "ok@example.ch"])
        defer { desk.remove() }
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            let result = try summary(try desk.mailRun(["--connections", "1"]))
            #expect((result["deferred"] as? Int ?? 0) + (result["unknown_outcome"] as? Int ?? 0) == 1, "\(result)")
            #expect(result["sent"] as? Int == 1)
            #expect(result["failed"] as? Int == 0)
            let dropped = try row(desk, to: "dropmidbody@example.ch")
            #expect(dropped["state"] as? String == "deferred")
            #expect(dropped["attempts"] as? Int == 1)
            #expect(try row(desk, to: "ok@example.ch")["state"] as? String == "sent")
            #expect(try server.messages().count == 1)
        }
        // The next run, with the server healthy again (smtp-sink takes any recipient).
        let sink = try LoopbackSink(dumping: true)
        defer { sink.stop() }
        try desk.useServer(sink.url)
        #expect(try summary(try desk.mailRun(on: desk.on("2099-01-01")))["sent"] as? Int == 1)
        let dropped = try row(desk, to: "dropmidbody@example.ch")
        #expect(dropped["state"] as? String == "sent")
        #expect(dropped["attempts"] as? Int == 2)
        #expect(try sink.dumpedMessageIDs() == [try #require(dropped["message_id"] as? String)])
    }

    @Test func aConnectionDroppedAfterTheDataIsAnUnknownOutcomeDeliveredOnTheNextRun() throws {
        let dropping = try LoopbackSink(flags: ["-q", "."])
        defer { dropping.stop() }
        let desk = try desk("dropdata", recipients: ["kunde@example.ch"])
        defer { desk.remove() }
        try desk.useServer(dropping.url)
        #expect(try summary(try desk.mailRun())["unknown_outcome"] as? Int == 1)
        var row = try row(desk, to: "kunde@example.ch")
        #expect(row["state"] as? String == "deferred")
        #expect(row["unknown_outcome"] as? Bool == true)
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            #expect(try summary(try desk.mailRun(on: desk.on("2099-01-01")))["sent"] as? Int == 1)
            row = try self.row(desk, to: "kunde@example.ch")
            #expect(row["state"] as? String == "sent")
            #expect(row["attempts"] as? Int == 2)
            // Still flagged: the first attempt may have been delivered too.
            #expect(row["unknown_outcome"] as? Bool == true)
            #expect(try server.messages().compactMap(\.messageID) == [try #require(row["message_id"] as? String)])
        }
    }

    /// Seven messages, then one the peer holds its 250 for, then two more, over one connection. While
    /// the 250 is held, a second process takes SQLite's write lock, then lets the peer answer: the run
    /// stalls at its next write (recording that batch) while the server's idle timer closes the reused
    /// connection; the last two messages must still go out, on a new connection. Every step waits on a
    /// condition (the peer's "holding" file, the lock taken, the idle close in closed.log), bounded at
    /// 30 s each, so a loaded machine makes the test slower, never different.
    // Mutation: mutants.tsv smtp-reuse-after-idle (SMTPSender never retries a stale connection on a fresh
    // one: `if false, case .deferred …`) → the ninth message is deferred and this test fails.
    @Test(.sqliteOnly("stalls the run's write by holding SQLite's write lock from python3's sqlite3"), arguments: [false, true])
    func theNextMessageStillGoesOutAfterTheServerClosedAnIdleConnection(with421: Bool) throws {
        try SMTPTestServer.with(["--idle-timeout", "2", "--hold-until", "release"] + (with421 ? ["--idle-421"] : [])) { server in
            let desk = try MailDesk(label: "idle")
            defer { desk.remove() }
            let first = try desk.addCustomer(company: "Erster AG", email: "a@example.ch")
            try desk.ok(["send", try desk.issueInvoice(customer: first)])
            _ = try desk.cloneQueued(count: 7)
            for email in ["slowdata@example.ch", "c@example.ch", "d@example.ch"] {
                let customer = try desk.addCustomer(company: "Kunde \(email)", email: email)
                try desk.ok(["send", try desk.issueInvoice(customer: customer)])
            }
            try desk.useServer(server.url)
            // Exits 0 only when every condition held in turn; says which one did not otherwise.
            let script = """
                import os, sqlite3, sys, time
                folder = sys.argv[2]
                def wait(condition, what):
                    end = time.time() + 30
                    while not condition():
                        if time.time() > end:
                            sys.exit("no " + what + " within 30 s")
                        time.sleep(0.005)
                wait(lambda: os.path.exists(os.path.join(folder, "holding")), "held 250")
                c = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
                c.execute("BEGIN IMMEDIATE")
                open(os.path.join(folder, "release"), "w").close()
                closed = os.path.join(folder, "closed.log")
                wait(lambda: os.path.exists(closed) and " idle" in open(closed).read(), "idle close")
                c.execute("COMMIT")
                print("held the lock until the idle close")
                """
            let holder = DispatchGroup()
            let held = Mutex<Result<ProcessResult, any Error>?>(nil)
            holder.enter()
            let arguments = ["python3", "-c", script, desk.database, server.directory.path("mail")]
            DispatchQueue.global().async {
                let outcome = Result { try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), arguments, timeout: 90) }
                held.withLock { $0 = outcome }
                holder.leave()
            }
            let result = try summary(try desk.mailRun(["--connections", "1"], timeout: 120))
            holder.wait()
            let lockHolder = try #require(held.withLock { $0 }).get()
            #expect(lockHolder.status == 0, "lock holder: \(lockHolder.stderr)")
            #expect(lockHolder.stdout.contains("held the lock until the idle close"))
            #expect(result["sent"] as? Int == 10, "\(result)")
            #expect(try desk.outbox().allSatisfy { $0["state"] as? String == "sent" && $0["attempts"] as? Int == 1 })
            #expect(server.idleClosedConnections() == [1], "the server closed the first connection for idling")
            #expect(server.connectionCount() == 2)
            let captured = try server.messages()
            #expect(captured.count == 10)
            #expect(Set(captured.suffix(2).map(\.connection)).isDisjoint(with: [captured[0].connection]))
        }
    }

    @Test func withNoServerConfiguredTheRunSaysSoAndTouchesNothing() throws {
        let desk = try desk("nosmtp", recipients: ["kunde@example.ch"])
        defer { desk.remove() }
        let before = try desk.dump()
        let files = try FileManager.default.contentsOfDirectory(atPath: desk.outboxDirectory.path).sorted()
        let result = try desk.cli.run("mail", "run")
        #expect(result.status == 0)
        #expect(result.stdout.contains("no SMTP server is configured"))
        #expect(result.stdout.contains("1 message wait"))
        #expect(try desk.dump() == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: desk.outboxDirectory.path).sorted() == files)
    }

    @Test func wrongCredentialsPauseTheRunWithoutSpendingAttempts() throws {
        try SMTPTestServer.with(["--auth", "billing:s3cret"]) { server in
            let desk = try desk("auth", recipients: ["a@example.ch", "b@example.ch", "c@example.ch"])
            defer { desk.remove() }
            try desk.useServer(server.url)
            let wrong = try desk.mailRun(environment: ["INVOICE_SMTP_USER": "billing", "INVOICE_SMTP_PASSWORD": "guess"])
            #expect(wrong.status != 0)
            #expect(wrong.stderr.contains("could not send"), "\(wrong.stderr)")
            #expect(!wrong.stderr.contains("guess") && !wrong.stdout.contains("guess"))
            for row in try desk.outbox() {
                #expect(row["state"] as? String == "queued")
                #expect(row["attempts"] as? Int == 0)
            }
            #expect(try server.messages().isEmpty)
            let right = try desk.mailRun(environment: ["INVOICE_SMTP_USER": "billing", "INVOICE_SMTP_PASSWORD": "s3cret"])
            #expect(right.status == 0)
            #expect(try summary(right)["sent"] as? Int == 3)
            #expect(try desk.outbox().allSatisfy { $0["attempts"] as? Int == 1 })
        }
    }
}

/// Header values from data can never inject headers: refused where they enter, refused again
/// where a message is built, and nothing is queued either way.
struct MailHeaderInjectionTests {
    static let injections = ["Evil\r\nBcc: victim@example.org", "Evil\nBcc: victim@example.org", "Evil\rBcc: victim@example.org",
                             "Evil\u{85}Bcc: victim@example.org", "Evil\u{2028}Bcc: victim@example.org"]

    @Test(arguments: injections)
    func customerNamesAndEmailsWithLineBreaksAreRefused(injection: String) throws {
        let desk = try MailDesk(label: "inject-customer")
        defer { desk.remove() }
        let base = ["customer", "add", "--country", "CH", "--currency", "CHF", "--language", "de"]
        for arguments in [base + ["--company", injection, "--email", "a@example.ch"],
                          base + ["--company", "Firma", "--contact", injection, "--email", "a@example.ch"],
                          base + ["--company", "Firma", "--email", "a@example.ch" + injection.dropFirst(4)]] {
            let result = try desk.cli.run(arguments)
            #expect(result.status != 0, "accepted: \(arguments)")
        }
        #expect(try #require(try desk.cli.json("customer", "list") as? [Any]).isEmpty)
    }

    @Test(arguments: injections)
    func userNamesOperatorNamesAndInvoiceTitlesWithLineBreaksAreRefused(injection: String) throws {
        let desk = try MailDesk(label: "inject-user")
        defer { desk.remove() }
        let customer = try desk.addCustomer(company: "Firma AG", email: "a@example.ch")
        for arguments in [["user", "add", customer, "--first-name", injection, "--surname", "B", "--email", "b@example.ch"],
                          ["user", "add", customer, "--first-name", "A", "--surname", injection, "--email", "b@example.ch"],
                          ["settings", "set", "company", injection],
                          ["settings", "set", "email", "billing@example.ch" + injection.dropFirst(4)]] {
            #expect(try desk.cli.run(arguments).status != 0, "accepted: \(arguments)")
        }
        let json = desk.directory.path("draft.json")
        let draft: [String: Any] = ["title": injection, "lines": [["title": "Plan", "quantity": "1", "unit_price": "10.00", "vat_rate": "8.1"]]]
        try JSONSerialization.data(withJSONObject: draft).write(to: URL(fileURLWithPath: json))
        #expect(try desk.cli.run("new", customer, "--from", json, "--issue").status != 0)
        #expect(try desk.outbox().isEmpty)
    }

    @Test func aLineBreakThatReachedTheDatabaseAnywayIsRefusedWhenTheMailIsBuilt() throws {
        let desk = try MailDesk(label: "inject-db")
        defer { desk.remove() }
        let customer = try desk.addCustomer(company: "Firma AG", contact: "Anna Muster", email: "a@example.ch")
        let number = try desk.issueInvoice(customer: customer)
        // As if an older version or a hand edit had stored it.
        // (The CR LF is in the literal itself: both engines keep it as written.)
        try desk.cli.sql("UPDATE customers SET contact = 'Anna\r\nBcc: victim@example.org' WHERE id = \(customer)")
        let result = try desk.cli.run("send", number)
        #expect(result.status != 0)
        #expect(try desk.outbox().isEmpty)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: desk.outboxDirectory.path)) ?? []
        #expect(files.filter { $0.hasSuffix(".eml") }.isEmpty, "\(files)")
    }
}
