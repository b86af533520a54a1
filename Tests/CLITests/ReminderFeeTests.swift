import Foundation
import Testing
import TestSupport

/// `reminder_fees` end to end: the reminder that reaches a real SMTP server (aiosmtpd on 127.0.0.1)
/// states its fee and the sum to pay; the invoice, `show` and the e-invoice stay exactly as they were.
@Suite struct ReminderFeeTests {
    /// No fee for reminder 1, 10.00 for reminder 2, 20.00 for the final notice (CHF, the desk's currency).
    static let feeSettings = [("reminder_fees", "0,10.00,20.00"), ("vat_id", "CHE-116.281.710 MWST")]

    /// A customer and their invoice (`DunningDesk.issueInvoice`), issued and sent on 2026-01-01.
    static func sentInvoice(on desk: DunningDesk) throws -> (customer: String, number: String) {
        let customer = try desk.addCustomer("Acme Ltd", email: "ap@acme.example")
        let number = try desk.issueInvoice(customer: customer, on: "2026-01-01")
        try desk.ok(["send", number], on: "2026-01-01")
        return (customer, number)
    }

    /// The rows `invoice ARGUMENTS` (a `list … --json`) prints on `day`.
    static func listed(_ desk: DunningDesk, _ arguments: [String], on day: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(try desk.ok(arguments, on: day).utf8)) as? [[String: Any]])
    }

    // Mutation (mutants.tsv reminder-fee-compose): in Outbox.compose, `reminderFee: fee` → `reminderFee: nil` → the mail states no fee → fails.
    @Test func theReminderStatesItsFeeAndTheInvoiceStaysAsItWas() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "fees", settings: Self.feeSettings)
            defer { desk.remove() }
            try desk.useServer(server.url)
            #expect(try desk.ok(["settings", "show"], on: "2026-01-01").contains("CHF 0.00,10.00,20.00"))
            let (_, number) = try Self.sentInvoice(on: desk)
            try desk.run(on: "2026-01-01")
            let shown = try desk.ok(["show", number, "--json"], on: "2026-03-01")
            let cii = try desk.ok(["show", number, "--xml", "cii"], on: "2026-03-01")
            let ubl = try desk.ok(["show", number, "--xml", "ubl"], on: "2026-03-01")

            try desk.run(on: "2026-02-07")
            try desk.run(on: "2026-02-21")
            let reminders = try DunningMail.all(server).filter { $0.kind.hasPrefix("reminder") }
            #expect(reminders.map(\.kind) == ["reminder-1", "reminder-2"])
            let first = try #require(reminders.first), second = try #require(reminders.last)
            // Level 1's fee is 0: no fee line.
            #expect(!first.text.contains("Reminder fee"))
            #expect(first.text.contains("CHF\u{00A0}108.10"))
            #expect(second.text.contains("Reminder fee: CHF\u{00A0}10.00"), "\(second.text)")
            #expect(second.text.contains("Amount to pay: CHF\u{00A0}118.10"), "\(second.text)")
            #expect(second.text.contains("Amount due: CHF\u{00A0}108.10"), "\(second.text)")
            #expect(second.html.contains("Reminder fee</td><td>CHF\u{00A0}10.00</td>"), "\(second.html)")
            #expect(second.html.contains("<strong>CHF\u{00A0}118.10</strong>"), "\(second.html)")

            // Never added to the invoice: the same totals, the same e-invoices.
            #expect(try desk.ok(["show", number, "--json"], on: "2026-03-01") == shown)
            #expect(try desk.ok(["show", number, "--xml", "cii"], on: "2026-03-01") == cii)
            #expect(try desk.ok(["show", number, "--xml", "ubl"], on: "2026-03-01") == ubl)
            let invoice = try desk.json(["show", number], on: "2026-03-01")
            #expect(invoice["total"] as? String == "108.10")
            #expect(invoice["open"] as? String == "108.10")
        }
    }

    // Issue 17 item 7: a customer paying reminder 2's "amount to pay" (108.10 + 10.00 fee) got the 10.00 as
    // credit and the next invoice deducted it: the fee was asked for, never billed, never collected. Rule
    // (README "Rules at the edges of money"): the fee is its own invoice, issued with the reminder that
    // asks for it, outside the scope of VAT (tax category O), named by the reminder; money paid to the
    // overdue invoice beyond its open amount settles its open fee invoices before it becomes credit.
    // Mutation (mutants.tsv reminder-fee-settled): Invoicing.recordPayment leaves the surplus as credit
    // (no fee invoice settled) → the fee invoice stays open, the credit is 10.00 and the next invoice deducts it.
    // Mutation (mutants.tsv reminder-fee-invoice): Outbox.queueRecordedReminders issues no fee invoice → fails.
    @Test func aReminderFeeIsBilledOnItsOwnInvoiceAndCollectedWithTheOverdueOne() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "fee-billed", settings: Self.feeSettings)
            defer { desk.remove() }
            try desk.useServer(server.url)
            let (customer, number) = try Self.sentInvoice(on: desk)
            try desk.run(on: "2026-01-01")
            try desk.run(on: "2026-02-07")
            try desk.run(on: "2026-02-21")
            let invoices = try Self.listed(desk, ["list", "--json"], on: "2026-02-21")
            let fees = invoices.filter { $0["number"] as? String != number }
            #expect(fees.count == 1, "one fee invoice, for reminder 2 (reminder 1 has no fee): \(invoices)")
            let feeNumber = try #require(fees.first?["number"] as? String)
            let fee = try desk.json(["show", feeNumber], on: "2026-02-21")
            #expect(fee["total"] as? String == "10.00")
            #expect(fee["vat_total"] as? String == "0.00")
            #expect(fee["status"] as? String == "open")
            let lines = try #require(fee["lines"] as? [[String: Any]])
            #expect(lines.map { $0["title"] as? String } == ["Reminder fee: 2nd reminder for invoice \(number)"], "\(lines)")
            #expect((fee["exempt_note"] as? String ?? "").contains("not subject to VAT"), "\(fee)")
            // The reminder names what is billed: the fee, its invoice and the sum to pay.
            let second = try #require(try DunningMail.all(server).last { $0.kind == "reminder-2" })
            #expect(second.text.contains("Reminder fee: CHF\u{00A0}10.00 (invoice \(feeNumber))"), "\(second.text)")
            #expect(second.text.contains("Amount to pay: CHF\u{00A0}118.10"), "\(second.text)")
            #expect(second.html.contains(feeNumber), "\(second.html)")
            #expect(second.text.contains("not part of the invoice") == false, "\(second.text)")

            // Paying the reminder's sum on the overdue invoice settles both; nothing is left as credit.
            try desk.ok(["pay", number, "--amount", "118.10"], on: "2026-02-25")
            #expect(try desk.json(["show", number], on: "2026-02-25")["status"] as? String == "paid")
            let settled = try desk.json(["show", feeNumber], on: "2026-02-25")
            #expect(settled["status"] as? String == "paid", "\(settled)")
            #expect(settled["open"] as? String == "0.00")
            #expect(try desk.json(["customer", "show", customer], on: "2026-02-25")["credit_balance"] as? String == "0.00")
            let next = try desk.ok(["new", customer, "--line", "Beratung;1;100.00;8.1", "--issue"], on: "2026-03-01")
            let nextShown = try desk.json(["show", next], on: "2026-03-01")
            #expect(nextShown["prepaid"] as? String == "0.00")
            #expect(nextShown["open"] as? String == "108.10")
        }
    }

    // Item 7, the final notice: reminder 3 asks for its own fee and the unpaid fee of reminder 2 (both are
    // billed), fee invoices are never reminded themselves, and one payment of the sum settles all three.
    // Mutation (mutants.tsv reminder-fee-never-dunned): Store.recordDueReminders reminds fee invoices too →
    // reminder-1 mails for the fee invoices, test fails.
    @Test func theFinalNoticeAsksForEveryOpenFeeAndFeeInvoicesAreNeverReminded() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "fee-final", settings: Self.feeSettings)
            defer { desk.remove() }
            try desk.useServer(server.url)
            let (customer, number) = try Self.sentInvoice(on: desk)
            for day in ["2026-01-01", "2026-02-07", "2026-02-21", "2026-03-07", "2026-04-30", "2026-05-30"] { try desk.run(on: day) }
            let reminders = try DunningMail.all(server).filter { $0.kind.hasPrefix("reminder") }
            #expect(reminders.map(\.kind) == ["reminder-1", "reminder-2", "reminder-3"], "fee invoices are not reminded: \(reminders.map(\.key))")
            let final = try #require(reminders.last)
            #expect(final.text.contains("Reminder fee: CHF\u{00A0}20.00"), "\(final.text)")
            #expect(final.text.contains("Amount to pay: CHF\u{00A0}138.10"), "\(final.text)")
            let invoices = try Self.listed(desk, ["list", "--json"], on: "2026-05-30")
            let fees = invoices.filter { $0["number"] as? String != number && $0["type"] as? String == "invoice" }
            #expect(fees.map { $0["total"] as? String } == ["10.00", "20.00"], "\(fees)")
            try desk.ok(["pay", number, "--amount", "138.10"], on: "2026-06-01")
            let after = try Self.listed(desk, ["list", "--json"], on: "2026-06-01")
            #expect(after.filter { $0["type"] as? String == "invoice" }.map { $0["status"] as? String } == ["paid", "paid", "paid"], "\(after)")
            #expect(try desk.json(["customer", "show", customer], on: "2026-06-01")["credit_balance"] as? String == "0.00")
        }
    }

    // Item 7, a fee never asked for: the invoice is paid in full while reminder 2 (with its fee invoice)
    // still waits in the queue (the mail server refused the connection). The reminder is cancelled when
    // the mailing run claims it; its unpaid fee invoice is cancelled with the payment (credit note, not
    // mailed), so the customer is never billed for a reminder that never reached them.
    // Mutation (mutants.tsv reminder-fee-waived): Invoicing.recordPayment keeps the fee invoice of an
    // unsent reminder → it stays open (and its mail goes out), test fails.
    @Test func aFeeWhoseReminderNeverLeftIsCancelledWhenTheInvoiceIsPaid() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "fee-unsent", settings: Self.feeSettings)
            defer { desk.remove() }
            try desk.useServer(server.url)
            let (customer, number) = try Self.sentInvoice(on: desk)
            try desk.run(on: "2026-01-01")
            try desk.run(on: "2026-02-07")
            try desk.useServer("smtp://127.0.0.1:9")
            try desk.run(on: "2026-02-21")
            let waiting = try desk.mails(invoice: number)
            #expect(waiting.contains { $0.hasPrefix("reminder-2:") && !$0.hasSuffix(":sent") }, "\(waiting)")
            let invoices = try Self.listed(desk, ["list", "--type", "invoice", "--json"], on: "2026-02-21")
            let feeNumber = try #require(invoices.first { $0["number"] as? String != number }?["number"] as? String, "\(invoices)")
            try desk.ok(["pay", number, "--amount", "108.10"], on: "2026-02-22")
            #expect(try desk.json(["show", feeNumber], on: "2026-02-22")["status"] as? String == "cancelled")
            #expect(try desk.json(["customer", "show", customer], on: "2026-02-22")["credit_balance"] as? String == "0.00")
            try desk.useServer(server.url)
            try desk.run(on: "2026-02-23")
            let after = try desk.mails(invoice: number)
            #expect(after.contains("reminder-2:cancelled"), "\(after)")
            let captured = try DunningMail.all(server)
            #expect(!captured.contains { $0.kind == "reminder-2" }, "\(captured.map(\.key))")
            #expect(!captured.contains { $0.subject.contains(feeNumber) }, "the fee invoice's own mail was sent: \(captured.map(\.subject))")
        }
    }

    @Test func aMalformedFeeSettingIsRefusedAndChangesNothing() throws {
        let desk = try DunningDesk(label: "fees-bad", settings: [("reminder_fees", "CHF 0,10.00,20.00")])
        defer { desk.remove() }
        let before = try desk.on("2026-01-01").dump()
        for value in ["CHF 0,10.00", "CHF 0,-1.00,2.00", "CHF 0,1.001,2", "EUR 1,2,3; EUR 1,2,3"] {
            let result = try desk.on("2026-01-01").run(["settings", "set", "reminder_fees", value])
            #expect(result.status == 1, "\(value): \(result.stdout)")
            #expect(result.stderr.hasPrefix("invoice: "), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        }
        #expect(try desk.on("2026-01-01").dump() == before)
    }
}
