import Foundation
import Testing
import TestSupport

/// Dunning through the binary, day by day, with a real SMTP server (aiosmtpd) on 127.0.0.1:
/// levels 1 → 2 → 3, each only after the previous one was accepted (250), spaced by reminder_days,
/// only for invoices that were sent, one level per run, and a failing reminder never stops the run.
@Suite struct DunningTests {
    /// Issue 10: issued on 01-01 (due 01-31), a run on 01-02, the next run on 03-20. Today's code queued
    /// reminder 3 only ("despite our reminders", though none was ever sent); the run must send level 1.
    // Mutation (mutants.tsv reminder-cutoff-day): in Store.recordDueReminders, the level L+1 cutoff `day.adding(days: -spacing)` → `day` → level 2
    // is recorded on 03-21, the day after level 1 went out → fails.
    // Mutation (mutants.tsv reminder-final-first, the bug itself): a pause lets the first reminder recorded be the final notice (level 3) → fails.
    @Test func aRunAfterAPauseSendsTheFirstReminderNotTheFinalNotice() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "catch-up")
            defer { desk.remove() }
            try desk.useServer(server.url)
            let customer = try desk.addCustomer("Acme Ltd", email: "ap@acme.example")
            let number = try desk.issueInvoice(customer: customer, on: "2026-01-01")
            try desk.ok(["send", number], on: "2026-01-01")
            try desk.run(on: "2026-01-02")
            #expect(try desk.mails(invoice: number) == ["invoice:sent"])

            let late = try desk.run(on: "2026-03-20")
            let recorded = try #require(late["reminders"] as? [[String: Any]])
            #expect(recorded.map { $0["level"] as? Int } == [1])
            // Issue 17: the reminder names the invoice by its number, as the rest of the output does.
            // Mutation (mutants.tsv run-reminder-internal-id): RunCommand.swift: `("invoice", .int($0.invoiceID))` again → nil ≠ the number.
            #expect(recorded.map { $0["invoice"] as? String } == [number])
            #expect(try desk.reminders(invoice: number) == ["1@2026-03-20"])
            let reminders = try DunningMail.all(server).filter { $0.kind.hasPrefix("reminder") }
            #expect(reminders.map(\.kind) == ["reminder-1"])
            let first = try #require(reminders.first)
            #expect(first.subject == "Friendly reminder: invoice \(number)")
            #expect(!first.text.contains("despite our reminders"))
            #expect(!first.html.contains("despite our reminders"))

            // Level 2 waits 21 − 7 = 14 days after level 1 was sent (03-20), level 3 another 14.
            #expect((try desk.run(on: "2026-03-21")["reminders"] as? [Any])?.isEmpty == true)
            #expect(try desk.reminders(invoice: number) == ["1@2026-03-20"])
            try desk.run(on: "2026-04-02")
            #expect(try desk.reminders(invoice: number) == ["1@2026-03-20"])
            try desk.run(on: "2026-04-03")
            #expect(try desk.reminders(invoice: number) == ["1@2026-03-20", "2@2026-04-03"])
            try desk.run(on: "2026-04-16")
            try desk.run(on: "2026-04-17")
            #expect(try desk.reminders(invoice: number) == ["1@2026-03-20", "2@2026-04-03", "3@2026-04-17"])
            let sent = try DunningMail.all(server).filter { $0.kind.hasPrefix("reminder") }
            #expect(sent.map(\.subject) == ["Friendly reminder: invoice \(number)", "Second reminder: invoice \(number)",
                                            "Final notice: invoice \(number)"])
            #expect(sent.last?.text.contains("despite our reminders") == true)
            #expect(try desk.mails(invoice: number) == ["invoice:sent", "reminder-1:sent", "reminder-2:sent", "reminder-3:sent"])
        }
    }

    /// Issue 10: a reminder went out for an invoice the customer never received. Without a sender
    /// address nothing is mailed; the overdue invoice gets no reminder until its own mail went out.
    // Mutation (mutants.tsv reminder-unsent): in Store.recordDueReminders, drop `i.sent_at IS NOT NULL` from the level-1 query → fails.
    @Test func anInvoiceThatWasNeverSentGetsNoReminder() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "never-sent", settings: [("email", "")])
            defer { desk.remove() }
            try desk.useServer(server.url)
            let customer = try desk.addCustomer("Acme Ltd", email: "ap@acme.example")
            let number = try desk.issueInvoice(customer: customer, on: "2026-01-01")
            for day in ["2026-01-02", "2026-02-07", "2026-03-20", "2026-05-01"] {
                let run = try desk.run(on: day)
                #expect((run["reminders"] as? [Any])?.isEmpty == true, "\(day): \(run)")
            }
            #expect(try desk.reminders(invoice: number).isEmpty)
            #expect(try desk.sql("SELECT count(*) FROM reminders") == ["0"])
            #expect(try server.messages().isEmpty)

            // Once the invoice mail went out, dunning starts with level 1.
            try desk.ok(["settings", "set", "email", "billing@wolkenwerk.ch"], on: "2026-05-02")
            try desk.ok(["send", number], on: "2026-05-02")
            try desk.run(on: "2026-05-02")
            try desk.run(on: "2026-05-03")
            #expect(try desk.reminders(invoice: number).map { $0.prefix(2) } == ["1@"])
            #expect(try DunningMail.all(server).map(\.kind) == ["invoice", "reminder-1"])
        }
    }

    /// Issue 10: "a reminder goes out for an invoice the customer never received". The invoice mail was
    /// refused by the server (550): the invoice was never sent, so it gets no reminder, however overdue;
    /// once its mail is retried and accepted (another relay), dunning starts at level 1.
    // Mutation (mutants.tsv reminder-unsent-refused): in Store.recordDueReminders, drop `i.sent_at IS NOT NULL` from the level-1 query → fails.
    @Test func anInvoiceWhoseMailTheServerRefusedGetsNoReminder() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "refused")
            defer { desk.remove() }
            try desk.useServer(server.url)
            let customer = try desk.addCustomer("Acme Ltd", email: "reject@acme.example")
            let number = try desk.issueInvoice(customer: customer, on: "2026-01-01")
            try desk.run(on: "2026-01-01")
            #expect(try desk.mails(invoice: number) == ["invoice:failed"])
            for day in ["2026-02-07", "2026-02-21", "2026-03-20"] { try desk.run(on: day) }
            #expect(try desk.reminders(invoice: number).isEmpty)
            #expect(try desk.sql("SELECT count(*) FROM invoices WHERE sent_at IS NOT NULL") == ["0"])

            // The operator moves to a relay that takes the address (smtp-sink accepts any recipient) and retries.
            let sink = try LoopbackSink()
            defer { sink.stop() }
            try desk.useServer(sink.url)
            let failed = try #require(try desk.outbox().first { $0["kind"] as? String == "invoice" }?["id"] as? Int)
            try desk.ok(["outbox", "retry", String(failed)], on: "2026-03-21")
            try desk.run(on: "2026-03-21")
            try desk.run(on: "2026-03-22")
            #expect(try desk.reminders(invoice: number).count == 1)
            #expect(try desk.reminders(invoice: number).first?.hasPrefix("1@") == true)
        }
    }

    /// A run every day for 120 days: each level once, in order, spaced by reminder_days; nothing for an
    /// invoice paid after level 1, nothing for one paid in time, nothing for a cancelled one.
    // Mutation (mutants.tsv reminder-owed-kind-only-cli): in Store.recordDueReminders, the owed line (`i.status IN ('open', 'partially_paid') AND` an amount open)
    // → `i.kind = 'invoice'` → the paid and the cancelled invoice get reminders → fails.
    // Mutation (mutants.tsv mail-sent-at-clock): in MailingRun, `sentAt: r.state == .sent ? clock.now : nil` → `nil` → sent days are the wall clock's → fails.
    @Test func aRunEachDayFor120DaysSendsEachLevelOnceInOrderSpaced() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "120-days")
            defer { desk.remove() }
            try desk.useServer(server.url)
            let late = try desk.issueInvoice(customer: try desk.addCustomer("Late Ltd", email: "ap@late.example"), on: "2026-01-01")
            let payer = try desk.issueInvoice(customer: try desk.addCustomer("Payer Ltd", email: "ap@payer.example"), on: "2026-01-01")
            let prompt = try desk.issueInvoice(customer: try desk.addCustomer("Prompt Ltd", email: "ap@prompt.example"), on: "2026-01-01")
            let cancelled = try desk.issueInvoice(customer: try desk.addCustomer("Gone Ltd", email: "ap@gone.example"), on: "2026-01-01")
            for number in [late, payer, prompt, cancelled] { try desk.ok(["send", number], on: "2026-01-01") }
            for day in try DunningDesk.days("2026-01-01", through: "2026-04-30") {
                switch day {
                case "2026-01-20": try desk.ok(["pay", prompt, "--amount", "108.10"], on: day)
                case "2026-02-05": try desk.ok(["cancel", cancelled], on: day)
                case "2026-02-10": try desk.ok(["pay", payer, "--amount", "108.10"], on: day)
                default: break
                }
                try desk.run(on: day)
            }
            // Due 01-31: level 1 on 02-07, sent that day; level 2 fourteen days later, level 3 fourteen after that.
            #expect(try desk.reminders(invoice: late) == ["1@2026-02-07", "2@2026-02-21", "3@2026-03-07"])
            #expect(try desk.reminders(invoice: payer) == ["1@2026-02-07"])
            #expect(try desk.reminders(invoice: prompt).isEmpty)
            #expect(try desk.reminders(invoice: cancelled).isEmpty)
            let sentDays = try desk.sql("""
                SELECT substr(sent_at, 1, 10) FROM mail_queue WHERE invoice_id = \(try desk.invoiceID(late))
                AND kind LIKE 'reminder-%' ORDER BY kind
                """)
            #expect(sentDays == ["2026-02-07", "2026-02-21", "2026-03-07"])
            let lateID = try desk.invoiceID(late)
            let reminders = try DunningMail.all(server).filter { $0.kind.hasPrefix("reminder") }
            #expect(reminders.filter { $0.key.hasPrefix("invoice:\(lateID):") }.map(\.kind) == ["reminder-1", "reminder-2", "reminder-3"])
            #expect(reminders.count == 4)
            #expect(Set(reminders.map(\.key)).count == reminders.count)
        }
    }

    /// Level 1 is deferred by the server (451) for five days: level 2 waits for level 1's 250 and counts
    /// its spacing from that day.
    // Mutation (mutants.tsv reminder-recorded-spacing): in Store.recordDueReminders, the level L+1 line `WHERE r.level = ? AND m.state = 'sent' AND … sent_at …`
    // → `WHERE r.level = ? AND r.recorded_on <= ?` (spaced from recording, not waiting for the 250) → level 2 on 02-21 → fails.
    // Mutation (mutants.tsv mail-sent-at-clock): in MailingRun, `sentAt: r.state == .sent ? clock.now : nil` → `nil` (wall-clock sent_at) → level 2
    // counted from today's real date → fails.
    @Test func levelTwoWaitsForLevelOnesAcceptanceThenItsSpacing() throws {
        // Backoff of at most a second: each day's run finds the deferred mail due, even when the test
        // runs just before midnight UTC (the queue clock is the --date day at the wall clock's time of day).
        let desk = try DunningDesk(label: "deferred", settings: [("mail_backoff", "1,1")])
        defer { desk.remove() }
        let customer = try desk.addCustomer("Late Ltd", email: "ap@late.example")
        let number = try desk.issueInvoice(customer: customer, on: "2026-01-01")
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            try desk.ok(["send", number], on: "2026-01-01")
            try desk.run(on: "2026-01-01")
        }
        try SMTPTestServer.with(["--tempfail-every", "1"]) { deferring in
            try desk.useServer(deferring.url)
            for day in try DunningDesk.days("2026-02-07", through: "2026-02-11") { try desk.run(on: day) }
            #expect(try desk.mails(invoice: number) == ["invoice:sent", "reminder-1:deferred"])
            #expect(try desk.reminders(invoice: number) == ["1@2026-02-07"])
        }
        try SMTPTestServer.with { server in
            try desk.useServer(server.url)
            for day in try DunningDesk.days("2026-02-12", through: "2026-03-12") { try desk.run(on: day) }
            // Accepted on 02-12 (sixth attempt): level 2 on 02-26, not 02-21; level 3 on 03-12.
            #expect(try desk.reminders(invoice: number) == ["1@2026-02-07", "2@2026-02-26", "3@2026-03-12"])
            #expect(try desk.sql("SELECT attempts FROM mail_queue WHERE kind = 'reminder-1'") == ["6"])
            #expect(try DunningMail.all(server).map(\.kind) == ["reminder-1", "reminder-2", "reminder-3"])
        }
    }

    /// Issue 10: one customer's mail problem (an address stored before addresses were checked, which mail
    /// cannot go to) made `run` exit 1 without a summary and held back everyone else's reminders.
    // Mutation (mutants.tsv reminder-queue-rethrow): in Outbox.queueRecordedReminders, rethrow in the `catch` instead of recording the error → the run
    // exits 1 without a summary and the other reminder is not queued → fails.
    @Test func aReminderThatCannotBeQueuedIsReportedAndNeverStopsTheOthers() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "isolated")
            defer { desk.remove() }
            try desk.useServer(server.url)
            let broken = try desk.addCustomer("Broken Ltd", email: "ap@broken.example")
            let fine = try desk.addCustomer("Fine Ltd", email: "ap@fine.example")
            let brokenInvoice = try desk.issueInvoice(customer: broken, on: "2026-01-01")
            let fineInvoice = try desk.issueInvoice(customer: fine, on: "2026-01-01")
            for number in [brokenInvoice, fineInvoice] { try desk.ok(["send", number], on: "2026-01-01") }
            try desk.run(on: "2026-01-01")
            // As if stored by an older version (today's `customer edit` refuses it).
            _ = try desk.sql("UPDATE customers SET email = 'müller@exämple.ch' WHERE id = \(broken)")

            let text = try desk.on("2026-02-07").run(["run"])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("invoice run for 2026-02-07:"))
            #expect(text.stdout.contains("reminder: reminder 1 for invoice \(brokenInvoice) not queued"), "\(text.stdout)")
            #expect(text.stdout.contains("müller@exämple.ch"), "\(text.stdout)")
            #expect(text.stdout.contains("mail run:"))
            #expect(try desk.mails(invoice: fineInvoice) == ["invoice:sent", "reminder-1:sent"])
            #expect(try desk.mails(invoice: brokenInvoice) == ["invoice:sent"])

            // Reported again by the next run, and queued once the address is fixed.
            let again = try desk.run(on: "2026-02-08")
            #expect((again["reminder_errors"] as? [String])?.count == 1)
            try desk.ok(["customer", "edit", broken, "--email", "ap@broken.example"], on: "2026-02-09")
            let fixed = try desk.run(on: "2026-02-09")
            #expect((fixed["reminder_errors"] as? [String])?.isEmpty == true)
            #expect(try desk.mails(invoice: brokenInvoice) == ["invoice:sent", "reminder-1:sent"])
            #expect(try DunningMail.all(server).filter { $0.kind == "reminder-1" }.count == 2)
        }
    }
}
