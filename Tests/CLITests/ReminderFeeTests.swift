import Foundation
import Testing
import TestSupport

/// `reminder_fees` end to end: the reminder that reaches a real SMTP server (aiosmtpd on 127.0.0.1)
/// states its fee and the sum to pay; the invoice, `show` and the e-invoice stay exactly as they were.
@Suite struct ReminderFeeTests {
    // Mutation (mutants.tsv reminder-fee-compose): in Outbox.compose, `reminderFee: fee` → `reminderFee: nil` → the mail states no fee → fails.
    @Test func theReminderStatesItsFeeAndTheInvoiceStaysAsItWas() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "fees", settings: [("reminder_fees", "0,10.00,20.00"), ("vat_id", "CHE-116.281.710 MWST")])
            defer { desk.remove() }
            try desk.useServer(server.url)
            #expect(try desk.ok(["settings", "show"], on: "2026-01-01").contains("CHF 0.00,10.00,20.00"))
            let customer = try desk.addCustomer("Acme Ltd", email: "ap@acme.example")
            let number = try desk.issueInvoice(customer: customer, on: "2026-01-01")
            try desk.ok(["send", number], on: "2026-01-01")
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
