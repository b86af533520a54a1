import Foundation
import Testing
import TestSupport

/// Mail follows the books (issue 10, SPEC §4): a message is checked against its invoice and customer
/// when the mailing run takes it, `sent` means the server said 250, every issued document reaches the
/// customer once, and one customer's mail problem never blocks anyone else's. Real binary, real
/// SQLite file, a real aiosmtpd peer on 127.0.0.1.
@Suite struct MailFollowsBooksTests {
    /// `invoice --json mail run` on `cli`'s day: the summary object.
    func mailRun(_ desk: MailDesk, on day: String) throws -> [String: Any] {
        let result = try desk.mailRun(["--connections", "1"], on: desk.on(day))
        #expect(result.status == 0, "mail run: \(result.stderr)")
        return try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result.stdout)")
    }

    func invoice(_ desk: MailDesk, _ number: String, on day: String = "2026-03-01") throws -> [String: Any] {
        try #require(try desk.on(day).json("show", number) as? [String: Any])
    }

    /// The X-Invoice-Key headers of what the server received, sorted.
    func receivedKeys(_ server: SMTPTestServer) throws -> [String] {
        try server.messages().compactMap { MailBytes.header("X-Invoice-Key", in: $0.data) }.sorted()
    }

    // Mutation (mutants.tsv claim-cancelled-invoice): drop the `q.kind = 'invoice' AND i.status = 'cancelled'` branch of the claim's CASE in
    // Store.claimDueMail → the cancelled invoice's mail is delivered and this test fails.
    @Test func aQueuedInvoiceMailOfAnInvoiceCancelledSinceIsCancelledNotSentButItsCreditNoteGoesOut() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "books-cancel")
            defer { desk.remove() }
            let customer = try desk.addCustomer(company: "Storno AG", email: "storno@example.ch")
            let number = try desk.issueInvoice(customer: customer)
            try desk.ok(["send", number])
            try desk.useServer(server.url)
            // Cancelled before the mailing run: the sender is set, so the credit note's mail is queued at once.
            let creditNote = try desk.ok(["cancel", number])
            let run = try mailRun(desk, on: "2026-11-25")
            #expect(run["sent"] as? Int == 1)
            #expect(run["cancelled"] as? Int == 1)
            let rows = try desk.outbox()
            let invoiceMail = try #require(rows.first { $0["kind"] as? String == "invoice" })
            #expect(invoiceMail["state"] as? String == "cancelled")
            #expect(invoiceMail["cancel_reason"] as? String == "invoice \(number) was cancelled after the mail was queued")
            let noteMail = try #require(rows.first { $0["kind"] as? String == "credit_note" })
            #expect(noteMail["state"] as? String == "sent")
            // The server got the credit note only; the books agree.
            let noteID = try #require(try invoice(desk, creditNote)["id"] as? Int)
            #expect(try receivedKeys(server) == ["invoice:\(noteID):invoice:1"])
            #expect(try invoice(desk, number)["sent"] is NSNull)
            #expect(try invoice(desk, creditNote)["sent"] as? String == "2026-11-25")
            // `outbox list` and `outbox show` say why.
            let id = try #require(invoiceMail["id"] as? Int)
            let shown = try desk.ok(["outbox", "show", String(id)])
            #expect(shown.contains("cancelled (invoice \(number) was cancelled after the mail was queued)"), "\(shown)")
            let listed = try desk.ok(["outbox", "list", "--state", "cancelled"])
            #expect(listed.contains("[invoice \(number) was cancelled after the mail was queued]"), "\(listed)")
        }
    }

    // A receipt confirms a payment that happened: crediting the paid invoice in full afterwards
    // (it is then cancelled) must not cancel the receipt still in the queue.
    // Mutation: mutants.tsv claim-receipt-after-credit (`q.kind = 'invoice' AND` dropped from the claim's
    // cancelled-invoice branch in Store.claimDueMail) → the receipt is cancelled, never sent, and this fails.
    @Test func aReceiptStillGoesOutAfterThePaidInvoiceIsCreditedInFull() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "books-receipt")
            defer { desk.remove() }
            let customer = try desk.addCustomer(company: "Quittung AG", email: "quittung@example.ch")
            let number = try desk.issueInvoice(customer: customer)
            try desk.useServer(server.url)
            let total = try #require(try invoice(desk, number, on: "2026-11-25")["total"] as? String)
            try desk.ok(["pay", number, "--amount", total])
            let creditNote = try desk.ok(["cancel", number])
            #expect(try invoice(desk, number, on: "2026-11-25")["status"] as? String == "cancelled")
            let run = try mailRun(desk, on: "2026-11-25")
            #expect(run["sent"] as? Int == 2, "\(run)")
            #expect(run["cancelled"] as? Int == 0, "\(run)")
            let rows = try desk.outbox()
            let receipt = try #require(rows.first { $0["kind"] as? String == "receipt" }, "\(rows)")
            #expect(receipt["state"] as? String == "sent", "\(receipt)")
            #expect(receipt["cancel_reason"] is NSNull)
            let noteMail = try #require(rows.first { $0["kind"] as? String == "credit_note" })
            #expect(noteMail["state"] as? String == "sent")
            // The server got both: the receipt of the invoice and the credit note.
            let invoiceID = try #require(try invoice(desk, number, on: "2026-11-25")["id"] as? Int)
            let noteID = try #require(try invoice(desk, creditNote, on: "2026-11-25")["id"] as? Int)
            let keys = try receivedKeys(server)
            #expect(keys.count == 2, "\(keys)")
            #expect(keys.contains("invoice:\(noteID):invoice:1"), "\(keys)")
            #expect(keys.contains { $0.hasPrefix("invoice:\(invoiceID):receipt") }, "\(keys)")
        }
    }

    // Mutation (mutants.tsv claim-reminder-settled): in Store.claimDueMail, `q.kind LIKE 'reminder-%' AND i.status NOT IN ('open', 'partially_paid')`
    // → `… NOT IN ('open', 'partially_paid', 'paid')` →
    // the reminder of the invoice paid since is delivered and this test fails.
    @Test func aReminderQueuedBeforeThePaymentIsCancelledNotSent() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "books-reminder")
            defer { desk.remove() }
            try desk.ok(["settings", "set", "payment_terms", "10"])
            try desk.ok(["settings", "set", "reminder_days", "5,15,25"])
            try desk.useServer(server.url)
            let customer = try desk.addCustomer(company: "Spät AG", email: "spaet@example.ch")
            let number = try desk.on("2026-02-01").ok("new", customer, "--line", "Beratung;1;500.00;8.1", "--issue")
            try desk.on("2026-02-01").ok("send", number)
            #expect(try mailRun(desk, on: "2026-02-01")["sent"] as? Int == 1)
            // Due 02-11; reminder 1 on 02-16, queued by the run but not mailed (--no-mail).
            let run = try #require(try desk.on("2026-02-16").json("run", "--no-mail") as? [String: Any])
            #expect(run["reminder_mails_queued"] as? Int == 1, "\(run)")
            try desk.on("2026-02-17").ok("pay", number, "--amount", "540.50")
            let mail = try mailRun(desk, on: "2026-02-18")
            #expect(mail["cancelled"] as? Int == 1)
            let reminder = try #require(try desk.outbox().first { ($0["kind"] as? String)?.hasPrefix("reminder") == true })
            #expect(reminder["state"] as? String == "cancelled")
            #expect(reminder["cancel_reason"] as? String == "invoice \(number) was paid after the reminder was queued")
            // The server has the invoice and the receipt, never the reminder.
            let kinds = try server.messages().compactMap { MailBytes.header("X-Invoice-Kind", in: $0.data) }.sorted()
            #expect(kinds == ["invoice", "receipt"])
        }
    }

    // Mutation (mutants.tsv claim-inactive-customer): drop the `c.active = 0` branch in Store.claimDueMail → the inactive customer's mail is
    // delivered and this test fails.
    @Test func anyMailOfACustomerMadeInactiveSinceIsCancelled() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "books-inactive")
            defer { desk.remove() }
            let gone = try desk.addCustomer(company: "Weg AG", email: "weg@example.ch")
            let stays = try desk.addCustomer(company: "Bleibt AG", email: "bleibt@example.ch")
            try desk.ok(["send", try desk.issueInvoice(customer: gone)])
            try desk.ok(["send", try desk.issueInvoice(customer: stays)])
            try desk.ok(["customer", "edit", gone, "--inactive"])
            try desk.useServer(server.url)
            let run = try mailRun(desk, on: "2026-11-25")
            #expect(run["sent"] as? Int == 1)
            #expect(run["cancelled"] as? Int == 1)
            let row = try #require(try desk.outbox().first { $0["to"] as? String == "weg@example.ch" })
            #expect(row["state"] as? String == "cancelled")
            #expect(row["cancel_reason"] as? String == "customer \(gone) (Weg AG) is inactive")
            #expect(try server.messages().flatMap(\.recipients) == ["bleibt@example.ch"])
        }
    }

    // Mutation (mutants.tsv mail-attempt-marks-sent): in Store.recordMailAttempt, `WHERE id = (SELECT invoice_id …` → `WHERE id = -(SELECT invoice_id …`
    // (the accepted mail no longer marks its invoice) → this test fails.
    @Test func sentMeansTheServerAcceptedTheInvoiceMail() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "books-sent")
            defer { desk.remove() }
            let accepted = try desk.issueInvoice(customer: try desk.addCustomer(company: "Ja AG", email: "ja@example.ch"))
            let refused = try desk.issueInvoice(customer: try desk.addCustomer(company: "Nein AG", email: "reject@example.ch"))
            for number in [accepted, refused] {
                #expect(try invoice(desk, number)["mail"] as? String == "not_sent")
                try desk.ok(["send", number])
                let queued = try invoice(desk, number)
                #expect(queued["sent"] is NSNull)
                #expect(queued["mail"] as? String == "queued")
            }
            #expect(try desk.ok(["show", accepted]).contains("Mail:     queued"))
            try desk.useServer(server.url)
            let run = try mailRun(desk, on: "2026-11-26")
            #expect(run["sent"] as? Int == 1)
            #expect(run["failed"] as? Int == 1)
            let sent = try invoice(desk, accepted)
            #expect(sent["sent"] as? String == "2026-11-26")
            #expect(sent["mail"] as? String == "sent")
            #expect(try desk.ok(["show", accepted]).contains("Mail:     sent 2026-11-26 (accepted by the mail server)"))
            let failed = try invoice(desk, refused)
            #expect(failed["sent"] is NSNull)
            #expect(failed["mail"] as? String == "failed")
        }
    }

    // Mutation (mutants.tsv sweep-renewals-only): put back the old sweep (only booking periods with reason 'renewal'/'change') in
    // Store.documentsWithoutMail → the plan, module and manual invoices are never queued and this fails.
    // Mutation (mutants.tsv set-no-mail-ignored): Store.setNoMail stores `0` whatever it is told → the opted-out invoices are queued and this fails.
    @Test func runMailsEveryIssuedDocumentOnceUnlessOptedOut() throws {
        let desk = try BookingDesk(label: "books-every").withCustomer()
        defer { desk.remove() }
        try desk.ok(["settings", "set", "email", "billing@desk.example"])
        let plan = try #require(try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"])["invoice"] as? String)
        let module = try #require(try desk.json(["module", desk.customer, "activate", "Mahnwesen", "--monthly"])["invoice"] as? String)
        let manual = try desk.ok(["new", desk.customer, "--line", "Setup;1;100.00;19", "--issue"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let optedOut = try desk.ok(["new", desk.customer, "--line", "Extra;1;50.00;19", "--issue", "--no-mail"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let draft = try desk.ok(["new", desk.customer, "--line", "Später;1;20.00;19", "--no-mail"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try desk.ok(["issue", draft, "--no-mail"])
        // A credit note is queued at issue (a sender is set).
        let credit = try desk.ok(["credit-note", manual, "--amount", "10.00"]).trimmingCharacters(in: .whitespacesAndNewlines)
        func mailedNumbers() throws -> [String] {
            try desk.jsonList(["outbox", "list"]).map { row in
                let id = try #require(row["invoice"] as? Int)
                return try #require(try desk.json(["show", String(id)])["number"] as? String)
            }.sorted()
        }
        #expect(try mailedNumbers() == [credit])
        let run = try desk.json(["run", "--no-mail"], date: "2026-01-02")
        #expect(run["invoice_mails_queued"] as? Int == 3, "\(run)")
        #expect(try mailedNumbers() == [credit, manual, module, plan].sorted())
        #expect(try desk.json(["show", optedOut])["mail"] as? String == "no_mail")
        // Once: the next run and `invoice send` never queue them again.
        #expect(try desk.json(["run", "--no-mail"], date: "2026-01-03")["invoice_mails_queued"] as? Int == 0)
        let again = try desk.fails(["send", plan])
        #expect(again.stderr.contains("already queued"), "\(again.stderr)")
        #expect(try desk.jsonList(["outbox", "list"]).count == 4)
        // The operator may still send the opted-out one by hand.
        try desk.ok(["send", optedOut])
        #expect(try desk.jsonList(["outbox", "list"]).count == 5)
    }

    // Mutation (mutants.tsv plan-no-mail-ignored): in PlanCommand.activate, `if noMail, let invoice = outcome.invoice` → `if !noMail && noMail, …` →
    // the plan's and module's invoices are queued by the run and this test fails.
    @Test func planAndModuleInvoicesCanBeOptedOutWithNoMail() throws {
        let desk = try BookingDesk(label: "books-plan-no-mail").withCustomer()
        defer { desk.remove() }
        try desk.ok(["settings", "set", "email", "billing@desk.example"])
        let plan = try #require(try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly", "--no-mail"])["invoice"] as? String)
        let module = try #require(try desk.json(["module", desk.customer, "activate", "Mahnwesen", "--yearly", "--no-mail"])["invoice"] as? String)
        #expect(try desk.json(["run", "--no-mail"], date: "2026-01-02")["invoice_mails_queued"] as? Int == 0)
        #expect(try desk.jsonList(["outbox", "list"]).isEmpty)
        #expect(try desk.json(["show", plan])["mail"] as? String == "no_mail")
        #expect(try desk.json(["show", module])["mail"] as? String == "no_mail")
    }

    // Mutation (mutants.tsv run-mail-error-rethrow): in ScheduledRun.run, rethrow the error of `queueDocumentMail` instead of reporting it
    // → `run` exits 1 without a summary, the other customers' mail is never queued, and this test fails.
    @Test func oneCustomersBadAddressNeverBlocksTheRunAPaymentOrAnyoneElsesMail() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "books-isolation")
            defer { desk.remove() }
            var numbers: [String] = []
            for index in 1...25 {
                let customer = try desk.addCustomer(company: "Kunde \(index) AG", email: "kunde\(index)@example.ch")
                numbers.append(try desk.issueInvoice(customer: customer, lines: 1))
            }
            // Customer 13's address as an older version stored it (today's input refuses it).
            try desk.cli.sql("UPDATE customers SET email = 'jürgen@exämple.ch' WHERE id = 13")
            try desk.useServer(server.url)
            let result = try desk.on("2026-11-26").run(["run"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("invoice run for 2026-11-26:"))
            #expect(result.stdout.contains("mails queued:                      24 invoices"), "\(result.stdout)")
            // Mutation (mutants.tsv run-nothing-due-ignores-mail): RunCommand prints "nothing was due" on `!changedAnything` alone (the mail it queued
            // not counted) → fails.
            #expect(!result.stdout.contains("nothing was due"), "\(result.stdout)")
            #expect(result.stdout.contains("mail not queued: cannot mail invoice \(numbers[12])"), "\(result.stdout)")
            #expect(result.stdout.contains("mail run:                          24 sent"), "\(result.stdout)")
            #expect(try server.messages().count == 24)
            // A payment of that customer still lands (its receipt waits, reported by the run).
            try desk.on("2026-11-27").ok("pay", numbers[12], "--amount", "108.10")
            #expect(try invoice(desk, numbers[12])["status"] as? String == "paid")
            let json = try #require(try desk.on("2026-11-27").json("run") as? [String: Any])
            let errors = try #require(json["mail_errors"] as? [String])
            #expect(errors.count == 1, "\(errors)")
            #expect(errors.first?.hasPrefix("receipt for invoice \(numbers[12]) not queued") == true, "\(errors)")
        }
    }
}
