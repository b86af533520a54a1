import Billing
import Foundation
import Testing
import TestSupport

/// A billing desk for the dunning tests: a Swiss operator with a sender address, driven through the
/// real `invoice` binary day by day (`--date`), its mail going to a real SMTP server on 127.0.0.1.
struct DunningDesk {
    let directory: TemporaryDirectory
    let database: String

    /// Payment terms 30 days; reminder_days 7,21,35 unless `settings` says otherwise.
    init(label: String, settings: [(String, String)] = []) throws {
        directory = try TemporaryDirectory("dunning-\(label)")
        database = directory.path("billing.sqlite")
        let cli = try InvoiceCLI.creating(database: database, today: "2026-01-01")
        let base = [("company", "Wolkenwerk AG"), ("email", "billing@wolkenwerk.ch"), ("country", "CH"), ("currency", "CHF"),
                    ("street", "Technoparkstrasse"), ("building", "1"), ("postcode", "8005"), ("town", "Zürich"),
                    ("payment_terms", "30"), ("reminder_days", "7,21,35")]
        for (key, value) in base + settings { try cli.ok("settings", "set", key, value) }
    }

    func remove() { directory.remove() }

    func on(_ day: String) -> InvoiceCLI { InvoiceCLI(database: database, today: day) }

    /// `invoice ARGS…` on `day`; requires exit 0 and returns stdout without the trailing newline.
    @discardableResult
    func ok(_ arguments: [String], on day: String) throws -> String {
        let result = try on(day).run(arguments)
        guard result.status == 0 else {
            throw ProcessRunnerError.failed("invoice \(arguments.joined(separator: " ")) on \(day) exited \(result.status): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    func json(_ arguments: [String], on day: String) throws -> [String: Any] {
        let text = try ok(arguments + ["--json"], on: day)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// `invoice run --json` on `day` (ends with the mailing run when a server is set); must exit 0.
    @discardableResult
    func run(on day: String) throws -> [String: Any] { try json(["run"], on: day) }

    func useServer(_ url: String) throws { try ok(["settings", "set", "smtp_url", url], on: "2026-01-01") }

    func addCustomer(_ company: String, email: String, language: String = "en") throws -> String {
        try ok(["customer", "add", "--company", company, "--email", email, "--country", "CH", "--currency", "CHF",
                "--language", language], on: "2026-01-01")
    }

    /// An issued invoice of CHF 108.10 (100.00 + 8.1 % VAT); returns its number.
    func issueInvoice(customer: String, on day: String) throws -> String {
        try ok(["new", customer, "--title", "Beratung", "--line", "Beratung;1;100.00;8.1", "--issue"], on: day)
    }

    func invoiceID(_ number: String) throws -> Int {
        try #require(try json(["show", number], on: "2026-01-01")["id"] as? Int)
    }

    /// Rows of an SQL query, one string per row (columns joined by `|`).
    func sql(_ query: String) throws -> [String] {
        try TestEngine.rows(database, query)
    }

    /// The recorded reminders of an invoice as "level@recorded_on".
    func reminders(invoice number: String) throws -> [String] {
        try sql("SELECT level || '@' || recorded_on FROM reminders WHERE invoice_id = \(try invoiceID(number)) ORDER BY level")
    }

    /// `outbox list --json`.
    func outbox() throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(try ok(["outbox", "list", "--json"], on: "2026-01-01").utf8))
                     as? [[String: Any]])
    }

    /// The outbox rows of one invoice as "kind:state".
    func mails(invoice number: String) throws -> [String] {
        let id = try invoiceID(number)
        return try outbox().filter { $0["invoice"] as? Int == id }.map { "\($0["kind"] as? String ?? "?"):\($0["state"] as? String ?? "?")" }
    }

    /// Every day from `first` to `last`, both included, as `YYYY-MM-DD`.
    static func days(_ first: String, through last: String) throws -> [String] {
        let start = try Day(parsing: first), end = try Day(parsing: last)
        return (0...start.days(until: end)).map { start.adding(days: $0).description }
    }
}

/// A captured message decoded by Python's strict `email` parser.
struct DunningMail {
    let key: String
    let kind: String
    let subject: String
    let text: String
    let html: String

    init(_ message: CapturedMessage) throws {
        let verdict = try MessageOracle.check(message.data)
        #expect(verdict.passed, "\(verdict.problems)")
        key = MailBytes.header("X-Invoice-Key", in: message.data) ?? ""
        kind = MailBytes.header("X-Invoice-Kind", in: message.data) ?? ""
        subject = verdict.summary["subject"] as? String ?? ""
        text = verdict.summary["text"] as? String ?? ""
        html = verdict.summary["html"] as? String ?? ""
    }

    static func all(_ server: SMTPTestServer) throws -> [DunningMail] { try server.messages().map(DunningMail.init) }
}
