import Foundation
import Testing
import TestSupport

/// SPEC §4: "after the last attempt a message fails and stays visible". A real aiosmtpd server on
/// 127.0.0.1 answers 451 to one recipient every time; the other recipient's mail goes through.
@Suite struct RetryLimitTests {
    // Mutation (mutants.tsv retry-limit): in RetryPolicy.delay, `attempts < maxAttempts` → `attempts <= maxAttempts` → a fourth attempt, still
    // deferred after the third → fails.
    // Mutation (mutants.tsv retry-exhausted-deferred): in MailingRun, the exhausted branch records `.deferred` instead of `.failed` → never fails → fails.
    @Test func aMessageDeferredMailMaxAttemptsTimesEndsFailedAndStaysListed() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "retry-limit")
            defer { desk.remove() }
            try desk.cli.ok("settings", "set", "mail_max_attempts", "3")
            // Backoff of at most a second: the next day's run finds it due whatever the time of day.
            try desk.cli.ok("settings", "set", "mail_backoff", "1,1")
            let stuck = try desk.addCustomer(company: "Stuck AG", email: "tempfail@example.org")
            let fine = try desk.addCustomer(company: "Fine AG", email: "ap@fine.example")
            try desk.ok(["send", try desk.issueInvoice(customer: stuck)])
            try desk.ok(["send", try desk.issueInvoice(customer: fine)])
            try desk.useServer(server.url)

            func row() throws -> [String: Any] {
                try #require(try desk.outbox().first { $0["to"] as? String == "tempfail@example.org" })
            }
            // One attempt per day.
            for (index, day) in ["2030-01-01", "2030-01-02"].enumerated() {
                let result = try desk.mailRun(on: desk.on(day))
                #expect(result.status == 0, "\(result.stderr)")
                let deferred = try row()
                #expect(deferred["state"] as? String == "deferred", "\(deferred)")
                #expect(deferred["attempts"] as? Int == index + 1)
                #expect((deferred["last_reply"] as? String)?.contains("451") == true, "\(deferred)")
            }
            let last = try desk.mailRun(on: desk.on("2030-01-03"))
            let summary = try #require(try JSONSerialization.jsonObject(with: last.stdoutData) as? [String: Any], "\(last.stdout)")
            #expect(summary["failed"] as? Int == 1)
            let failed = try row()
            #expect(failed["state"] as? String == "failed")
            #expect(failed["attempts"] as? Int == 3)
            #expect((failed["last_reply"] as? String)?.contains("gave up after 3 attempts") == true, "\(failed)")
            #expect((failed["last_reply"] as? String)?.contains("451") == true, "\(failed)")

            // It stays visible, and no later run tries it again (only `outbox retry` would).
            let before = try desk.dump()
            let later = try desk.mailRun(on: desk.on("2031-01-01"))
            let laterSummary = try #require(try JSONSerialization.jsonObject(with: later.stdoutData) as? [String: Any])
            #expect(laterSummary["failed"] as? Int == 0)
            #expect(laterSummary["deferred"] as? Int == 0)
            #expect(try desk.dump() == before)
            let listed = try desk.cli.run(["outbox", "list"])
            #expect(listed.status == 0)
            #expect(listed.stdout.contains("tempfail@example.org"), "\(listed.stdout)")
            #expect(listed.stdout.contains("failed"), "\(listed.stdout)")
            let id = try #require(failed["id"] as? Int)
            let shown = try desk.cli.run(["outbox", "show", String(id)])
            #expect(shown.status == 0)
            #expect(shown.stdout.contains("gave up after 3 attempts"), "\(shown.stdout)")
            #expect(try desk.outbox().first { $0["to"] as? String == "ap@fine.example" }?["state"] as? String == "sent")
            #expect(try server.messages().map(\.recipients) == [["ap@fine.example"]])
        }
    }
}
