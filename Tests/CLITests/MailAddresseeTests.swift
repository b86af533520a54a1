import Foundation
import Testing
import TestSupport

/// Issue 17: mail of an invoice made out to a user (`new … --user ID`) goes to that user, with copies
/// to the customer's billing address and its other users — in the headers (Python's email parser,
/// policy strict) and in the SMTP envelope (a real server on 127.0.0.1 records each RCPT TO).
struct MailAddresseeTests {
    /// Before: To was the billing address under the user's name ("Anna Meier <ap@kunde.ch>"), nobody
    /// else got it. Mutation (mutants.tsv mail-to-billing-address): Outbox.swift: `to` from `customer.email` again → toAddress is ap@kunde.ch;
    /// `copies` left empty → no Cc and one envelope recipient.
    @Test func anInvoiceForAUserGoesToThatUserWithCopiesToTheCustomer() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "addressee")
            defer { desk.remove() }
            try desk.useServer(server.url)
            let customer = try desk.addCustomer("Kunde AG", email: "ap@kunde.ch", language: "de")
            let anna = try desk.ok(["user", "add", customer, "--first-name", "Anna", "--surname", "Meier",
                                    "--email", "anna@kunde.ch"], on: "2026-01-01")
            try desk.ok(["user", "add", customer, "--first-name", "Jürg", "--surname", "Brändli",
                         "--email", "juerg@kunde.ch"], on: "2026-01-01")
            let addressed = try desk.ok(["new", customer, "--user", anna, "--line", "Beratung;1;100.00;8.1", "--issue"], on: "2026-01-01")
            let plain = try desk.ok(["new", customer, "--line", "Beratung;1;50.00;8.1", "--issue"], on: "2026-01-01")
            try desk.ok(["send", addressed], on: "2026-01-01")
            try desk.ok(["send", plain], on: "2026-01-01")
            try desk.ok(["mail", "run"], on: "2026-01-01")
            let messages = try server.messages()
            #expect(messages.count == 2)
            for message in messages {
                let verdict = try MessageOracle.check(message.data)
                #expect(verdict.passed, "\(verdict.problems)")
                let subject = verdict.summary["subject"] as? String ?? ""
                let cc = (verdict.summary["cc"] as? [[String: any Sendable]] ?? []).map { $0["address"] as? String ?? "" }
                if subject.contains(addressed) {
                    #expect(verdict.summary["toAddress"] as? String == "anna@kunde.ch")
                    #expect(verdict.summary["toName"] as? String == "Anna Meier")
                    #expect(cc == ["ap@kunde.ch", "juerg@kunde.ch"])
                    let names = (verdict.summary["cc"] as? [[String: any Sendable]] ?? []).map { $0["name"] as? String ?? "" }
                    #expect(names.last == "Jürg Brändli", "a non-ASCII name in Cc decodes")
                    #expect(message.recipients.sorted() == ["anna@kunde.ch", "ap@kunde.ch", "juerg@kunde.ch"], "\(message.recipients)")
                    #expect((verdict.summary["text"] as? String ?? "").contains("Anna Meier"), "the greeting names her")
                } else {
                    #expect(subject.contains(plain))
                    #expect(verdict.summary["toAddress"] as? String == "ap@kunde.ch")
                    #expect(cc.isEmpty)
                    #expect(message.recipients == ["ap@kunde.ch"])
                }
            }
            // The outbox lists every recipient of the addressed mail.
            let outbox = try desk.ok(["outbox", "list"], on: "2026-01-01")
            #expect(outbox.contains("anna@kunde.ch,ap@kunde.ch"), "\(outbox)")
        }
    }
}
