import Foundation
import Testing
import TestSupport

/// Issue 9's gap: the receipt for a payment that activates a plan names what it activated (product,
/// from–to, in the invoice's language with localised dates), in the text and the HTML part, read from
/// the queued message with Python's email parser (policy=strict), on a real SQLite file.
@Suite struct ReceiptActivationTests {
    /// The text/plain and text/html bodies of a message file, decoded.
    func bodies(_ file: URL) throws -> (text: String, html: String) {
        let script = """
            import email, email.policy, sys
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.strict)
            text = m.get_body(preferencelist=('plain',)).get_content()
            html = m.get_body(preferencelist=('html',)).get_content()
            sys.stdout.write(text + '\\0' + html)
            """
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, file.path], timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
        try #require(parts.count == 2, "\(result.stdout)")
        return (parts[0], parts[1])
    }

    // Mutation (mutants.tsv receipt-activated): drop `mail["activated"] = …` in DocumentRenderer.email (the receipt names no period) → fails.
    @Test("the receipt of a payment that activates a plan names the plan and its dates, localised")
    func receiptNamesTheActivatedPeriod() throws {
        let directory = try TemporaryDirectory("receipt-activation")
        defer { directory.remove() }
        let database = directory.path("receipt.sqlite")
        let cli = try InvoiceCLI.creating(database: database, today: "2026-11-25", workingDirectory: directory.url)
        try cli.ok("settings", "set", "company", "Rappen AG")
        try cli.ok("settings", "set", "email", "billing@rappen.example")
        let customer = try cli.ok("customer", "add", "--company", "Kasse GmbH", "--email", "ap@kasse.ch",
                                  "--country", "CH", "--currency", "CHF", "--language", "de")
        try cli.ok("catalog", "add-plan", "Business", "--currency", "CHF", "--monthly", "50.00", "--yearly", "500.00", "--vat", "8.1")
        let activated = try #require(try cli.json("plan", customer, "activate", "Business", "--monthly") as? [String: Any])
        let number = try #require(activated["invoice"] as? String)
        // Paid three days later: the month runs from the day of payment, 28.11. – 27.12.
        let later = InvoiceCLI(database: database, today: "2026-11-28", workingDirectory: directory.url)
        try later.ok("pay", number, "--amount", "54.05")
        let outbox = try #require(try later.json("outbox", "list") as? [[String: Any]])
        let receipts = outbox.filter { $0["kind"] as? String == "receipt" }
        #expect(receipts.count == 1)
        let name = try #require(receipts.first?["file"] as? String)
        let (text, html) = try bodies(directory.url.appendingPathComponent("Outbox").appendingPathComponent(name))
        #expect(text.contains("Business Tarif: aktiv vom 28.11.2026 bis 27.12.2026."), "\(text)")
        #expect(html.contains("<p>Business Tarif: aktiv vom 28.11.2026 bis 27.12.2026.</p>"), "\(html)")
        // A receipt for an invoice that activates nothing names no period.
        let plain = try later.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        try later.ok("pay", plain, "--amount", "108.10")
        let all = try #require(try later.json("outbox", "list") as? [[String: Any]])
        let other = try #require(all.first { $0["kind"] as? String == "receipt" && $0["file"] as? String != name }?["file"] as? String)
        let (otherText, otherHTML) = try bodies(directory.url.appendingPathComponent("Outbox").appendingPathComponent(other))
        #expect(!otherText.contains("aktiv vom"))
        #expect(!otherHTML.contains("aktiv vom"))
    }
}
