import Foundation
import Testing
import TestSupport

/// `invoice run` with a sender configured queues (and, with a server, sends) the renewal invoice it made,
/// reminders 1–3 of that invoice while it stays unpaid, and a receipt that could not be queued when
/// its payment was recorded. A real aiosmtpd server on 127.0.0.1 takes the mail.
@Suite struct RunQueuesTests {
    // Mutation (mutants.tsv run-queues-sender): in ScheduledRun.run, `if let outbox, try outbox.hasSender(store: store) {` → `if false, let outbox … {`
    // (the run queues nothing) → fails. (Before this test the whole suite stayed green with that mutation.)
    @Test func runWithASenderQueuesRenewalInvoicesRemindersAndReceipts() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "run-queues", settings: [("payment_terms", "14"), ("reminder_days", "1,2,3")])
            defer { desk.remove() }
            try desk.useServer(server.url)
            try desk.ok(["catalog", "add-plan", "Starter", "--currency", "CHF", "--monthly", "10.00", "--yearly", "100.00",
                         "--vat", "8.1"], on: "2026-01-01")
            let customer = try desk.addCustomer("Acme Ltd", email: "ap@acme.example")
            let activated = try desk.json(["plan", customer, "activate", "Starter", "--monthly"], on: "2026-01-01")
            let first = try #require(activated["invoice"] as? String)
            // The receipt cannot be queued when the payment is recorded (an address stored by an older
            // version that mail cannot go to); the payment stands and the run queues the receipt later.
            _ = try desk.sql("UPDATE customers SET email = 'müller@exämple.ch' WHERE id = \(customer)")
            try desk.ok(["pay", first, "--amount", "10.81"], on: "2026-01-01")
            #expect(!(try desk.mails(invoice: first).contains { $0.hasPrefix("receipt") }))
            try desk.ok(["customer", "edit", customer, "--email", "ap@acme.example"], on: "2026-01-02")
            try desk.run(on: "2026-01-02")
            #expect(try desk.mails(invoice: first).filter { $0.hasPrefix("receipt") } == ["receipt:sent"])

            // 01-31 is the period's end; renewal_days 7 → the renewal invoice on 01-24, due 02-07.
            let renewal = try desk.run(on: "2026-01-24")
            let number = try #require((renewal["invoices"] as? [String])?.first)
            #expect(renewal["invoice_mails_queued"] as? Int == 1)
            #expect(try desk.mails(invoice: number) == ["invoice:sent"])
            // reminder_days 1,2,3: level 1 on 02-08, then one day after each previous level was sent.
            for day in try DunningDesk.days("2026-02-07", through: "2026-02-12") { try desk.run(on: day) }
            #expect(try desk.reminders(invoice: number) == ["1@2026-02-08", "2@2026-02-09", "3@2026-02-10"])
            #expect(try desk.mails(invoice: number) == ["invoice:sent", "reminder-1:sent", "reminder-2:sent", "reminder-3:sent"])
            let kinds = try DunningMail.all(server).map(\.kind)
            #expect(kinds.filter { $0 == "receipt" }.count == 1)
            #expect(kinds.filter { $0.hasPrefix("reminder") } == ["reminder-1", "reminder-2", "reminder-3"])
        }
    }
}
