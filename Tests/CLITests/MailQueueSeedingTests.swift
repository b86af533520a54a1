import Billing
import Foundation
import Store
import Testing
import TestSupport

/// A billing desk for the mail tests: an operator with a sender address, customers, issued
/// invoices, and a real SQLite file with its `Outbox/` beside it. Everything goes through the
/// `invoice` binary except `cloneQueued`, which multiplies one really queued message in-process.
struct MailDesk {
    let directory: TemporaryDirectory
    let cli: InvoiceCLI
    var database: String { cli.database }
    var outboxDirectory: URL { directory.url.appendingPathComponent("Outbox") }

    /// `database`: a PostgreSQL URI the desk is made in instead of the folder's file (MultiHostTests).
    init(label: String, company: String = "Wolkenwerk AG", email: String = "billing@wolkenwerk.ch", database: String? = nil) throws {
        directory = try TemporaryDirectory("mail-\(label)")
        cli = try InvoiceCLI.creating(database: database ?? directory.path("billing.sqlite"), workingDirectory: directory.url)
        for (key, value) in [("company", company), ("email", email), ("country", "CH"), ("currency", "CHF"),
                             ("street", "Technoparkstrasse"), ("building", "1"), ("postcode", "8005"), ("town", "Zürich")] {
            try cli.ok("settings", "set", key, value)
        }
    }

    func remove() { directory.remove() }

    /// The same desk seen on another day (`--date`), e.g. 2099-01-01 to make deferred mail due.
    func on(_ day: String) -> InvoiceCLI { InvoiceCLI(database: database, today: day, workingDirectory: directory.url) }

    @discardableResult
    func addCustomer(company: String, contact: String = "", email: String, country: String = "CH",
                     currency: String = "CHF", language: String = "de") throws -> String {
        var arguments = ["customer", "add", "--company", company, "--email", email, "--country", country,
                         "--currency", currency, "--language", language]
        if !contact.isEmpty { arguments += ["--contact", contact] }
        return try ok(arguments)
    }

    /// An issued invoice for `customer` (optionally addressed to a user); returns its number.
    func issueInvoice(customer: String, user: String? = nil, lines: Int = 2) throws -> String {
        var arguments = ["new", customer, "--title", "Abonnement"]
        if let user { arguments += ["--user", user] }
        for index in 0..<lines { arguments += ["--line", "Leistung \(index + 1);1;\(100 + index).00;8.1"] }
        return try ok(arguments + ["--issue"])
    }

    func useServer(_ url: String) throws { try cli.ok("settings", "set", "smtp_url", url) }

    @discardableResult
    func ok(_ arguments: [String]) throws -> String {
        let result = try cli.run(arguments)
        guard result.status == 0 else {
            throw ProcessRunnerError.failed("invoice \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .newlines)
    }

    /// `invoice outbox list --json`.
    func outbox(on cli: InvoiceCLI? = nil) throws -> [[String: Any]] {
        try #require(try (cli ?? self.cli).json("outbox", "list") as? [[String: Any]])
    }

    func dump() throws -> String { try cli.dump() }

    func states() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try outbox() { counts[row["state"] as? String ?? "?", default: 0] += 1 }
        return counts
    }

    /// `invoice mail run …` with the given extra environment; returns the finished process result.
    @discardableResult
    func mailRun(_ extra: [String] = [], on cli: InvoiceCLI? = nil, environment: [String: String] = [:],
                 timeout: Double = 60) throws -> ProcessResult {
        try (cli ?? self.cli).run(["mail", "run"] + extra + ["--json"], environment: environment, timeout: timeout)
    }

    /// Multiplies the first queued message into `count` messages in all: each clone gets its own
    /// file (the same bytes with a different Message-ID of the same length) and its own queue row,
    /// all in one transaction (on PostgreSQL the bytes also go into the database, as `send` puts
    /// them). Returns every Message-ID queued, the original's first.
    func cloneQueued(count: Int, prefix: String = "clone") throws -> [String] {
        let store = try Store(path: try TestEngine.location(for: database))
        var template: QueuedMail?
        try store.forEachMail(states: [.queued]) { if template == nil { template = $0 } }
        let original = try #require(template)
        let bytes = try Data(contentsOf: outboxDirectory.appendingPathComponent(original.file))
        let oldID = try #require(original.messageID.split(separator: "@").first.map { String($0.dropFirst()) })
        let oldRange = try #require(bytes.range(of: Data(oldID.utf8)))
        var ids = [original.messageID]
        try store.write {
            for index in 1..<count {
                let hex = String(index, radix: 16)
                let newID = "c1" + String(repeating: "0", count: max(0, oldID.count - 2 - hex.count)) + hex
                var copy = bytes
                copy.replaceSubrange(oldRange, with: Data(newID.utf8))
                let file = "\(prefix)-\(index).eml"
                try copy.write(to: outboxDirectory.appendingPathComponent(file))
                var row = original
                row.idempotencyKey = "\(prefix):\(index)"
                row.file = file
                row.messageID = original.messageID.replacingOccurrences(of: oldID, with: newID)
                _ = try #require(try store.enqueueMail(row, body: [UInt8](copy)))
                ids.append(row.messageID)
            }
        }
        return ids
    }
}

/// The seeding helper itself: clones are distinct, valid messages that go out like the original.
struct MailQueueSeedingTests {
    @Test func clonedMessagesAreDistinctValidMessagesInTheQueue() throws {
        let desk = try MailDesk(label: "seed")
        defer { desk.remove() }
        let customer = try desk.addCustomer(company: "Seed GmbH", email: "seed@example.ch")
        try desk.ok(["send", try desk.issueInvoice(customer: customer)])
        let ids = try desk.cloneQueued(count: 5)
        #expect(Set(ids).count == 5)
        let rows = try desk.outbox()
        #expect(rows.count == 5)
        for row in rows {
            let file = desk.outboxDirectory.appendingPathComponent(try #require(row["file"] as? String))
            let data = try Data(contentsOf: file)
            #expect(MailBytes.header("Message-ID", in: data) == row["message_id"] as? String)
            let verdict = try MessageOracle.check(file: file)
            #expect(verdict.passed, "\(verdict.problems)")
        }
    }
}
