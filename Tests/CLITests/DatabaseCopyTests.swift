import Billing
import Documents
import Foundation
import HTTPServer
import Store
import Testing
import TestSupport
import Webhook
import Workflows

/// `invoice db copy --to URI`: a SQLite desk (always a file here, whatever `INVOICE_TEST_ENGINE` says)
/// moved into an empty database on the throwaway PostgreSQL server. Both sides must then show the
/// same desk: `list --json`, `show --json` of every invoice, every customer with its credit balance,
/// and every table of the schema row for row (the table list read from the SQLite file, so a table a
/// later migration adds is compared too, and a table the copy skipped fails here).
@Suite struct DatabaseCopyTests {
    static let today = "2026-11-25"

    /// The SQLite file's tables, each as its rows (BLOBs by their length), sorted: what both sides must agree on.
    static func sqliteTables(_ path: String) throws -> [String: String] {
        let names = try sqlite(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .split(separator: "\n").map(String.init)
        var tables: [String: String] = [:]
        for name in names {
            tables[name] = try sqlite(path, try selectAll(name, path))
        }
        return tables
    }

    /// `SELECT every column FROM table ORDER BY every column`, BLOB columns as their length (the two
    /// shells print bytes differently), written once for both engines.
    static func selectAll(_ table: String, _ path: String) throws -> String {
        let columns = try sqlite(path, "SELECT name, type FROM pragma_table_info('\(table)') ORDER BY cid")
            .split(separator: "\n").map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }
        let list = columns.map { $0[1] == "BLOB" ? "length(\"\($0[0])\")" : "\"\($0[0])\"" }
        return "SELECT \(list.joined(separator: ", ")) FROM \"\(table)\" ORDER BY \((1...list.count).map(String.init).joined(separator: ", "))"
    }

    /// `invoice COMMAND ID --json` for each id, in one shell (a process each, not a test step each):
    /// the answers in order; a failing one fails the whole call.
    static func showEach(_ cli: InvoiceCLI, _ command: String, _ ids: [Int]) throws -> [String] {
        let script = """
            for id in \(ids.map(String.init).joined(separator: " ")); do
              "\(Paths.invoiceExecutable.path)" --db "$1" --date \(cli.today) \(command) "$id" --json || exit 1; echo "=="; done
            """
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/sh"), ["-c", script, "sh", try cli.location()],
                                           currentDirectory: cli.workingDirectory)
        guard result.status == 0 else { throw ProcessRunnerError.failed("\(command): \(result.stderr)") }
        return result.stdout.components(separatedBy: "==\n").dropLast()
    }

    static func sqlite(_ path: String, _ sql: String) throws -> String {
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path, sql])
        guard result.status == 0 else { throw ProcessRunnerError.failed("sqlite3 \(sql): \(result.stderr)") }
        return result.stdout
    }

    /// Copies the desk at `path` into a fresh PostgreSQL database and checks that both show the same
    /// desk; returns the copy's `--json` report and the target (the caller drops it).
    func copyAndCompare(_ path: String, directory: TemporaryDirectory) throws -> ([String: Any], TestPostgres.Database) {
        let target = try TestPostgres.Database("copy")
        let source = InvoiceCLI(database: path, today: Self.today)
        let copied = try source.run("db", "copy", "--to", target.uri, "--json")
        #expect(copied.status == 0, "\(copied.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: copied.stdoutData) as? [String: Any])
        // The copy's target works from another folder: nothing it shows may come from the source's Outbox.
        let elsewhere = try TemporaryDirectory("copy-target")
        defer { elsewhere.remove() }
        let copy = InvoiceCLI(database: target.uri, today: Self.today, workingDirectory: elsewhere.url)

        #expect(try copy.run("list", "--json").stdout == source.run("list", "--json").stdout)
        let invoices = try #require(try source.json("list") as? [[String: Any]]).compactMap { $0["id"] as? Int }
        #expect(!invoices.isEmpty)
        let here = try Self.showEach(source, "show", invoices), there = try Self.showEach(copy, "show", invoices)
        #expect(here.count == invoices.count && there.count == invoices.count)
        for (id, (mine, theirs)) in zip(invoices, zip(here, there)) { #expect(theirs == mine, "invoice \(id)") }
        #expect(try copy.run("customer", "list", "--json").stdout == source.run("customer", "list", "--json").stdout)
        // Every customer with its users and credit balance.
        let customers = try #require(try source.json("customer", "list") as? [[String: Any]]).compactMap { $0["id"] as? Int }
        #expect(try Self.showEach(copy, "customer show", customers) == Self.showEach(source, "customer show", customers))
        #expect(try copy.run("outbox", "list", "--json").stdout == source.run("outbox", "list", "--json").stdout)
        // The audit trail came along whole: its hash chain verifies on the copy as on the file, to the
        // same last entry (the copy itself writes no entry: it is not a change of the desk).
        let verified = try copy.run("audit", "verify")
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout == (try source.run("audit", "verify")).stdout)
        #expect(try copy.run("audit", "list", "--json").stdout == source.run("audit", "list", "--json").stdout)

        // Every table of the schema, row for row; the copy's report names each one.
        let tables = try Self.sqliteTables(path)
        let reported = try #require(report["tables"] as? [[String: Any]]).compactMap { $0["table"] as? String }
        #expect(reported == tables.keys.sorted())
        for (table, rows) in tables where table != "mail_bodies" {
            #expect(try TestEngine.postgresSQL(target.uri, try Self.selectAll(table, path)) == rows, "table \(table)")
        }
        // The bytes of every queued message went from the Outbox files into the database.
        let mails = try Self.sqlite(path, "SELECT id, file FROM mail_queue ORDER BY id").split(separator: "\n")
        #expect(try TestEngine.postgresSQL(target.uri, "SELECT count(*) FROM mail_bodies") == "\(mails.count)\n")
        for line in mails {
            let parts = line.split(separator: "|").map(String.init)
            let file = try #require(FileManager.default.contents(atPath: directory.path("Outbox/\(parts[1])")))
            let stored = try TestEngine.postgresSQL(target.uri, "SELECT encode(data, 'hex') FROM mail_bodies WHERE mail_id = \(parts[0])")
            #expect(stored == file.map { String(format: "%02x", $0) }.joined() + "\n", "message \(parts[0])")
        }
        return (report, target)
    }

    // Mutation (mutants.tsv db-copy-seeds-kept): the migrations' own row of audit_head not replaced by
    // the source's (plain INSERT) → the copy fails on its duplicate key and nothing lands.
    @Test func theDemoDeskCopiedToPostgreSQLShowsTheSameEverywhere() throws {
        let directory = try TemporaryDirectory("copy-demo")
        defer { directory.remove() }
        let path = directory.path("demo.sqlite")
        let demo = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", path, "--date", Self.today, "demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let (report, target) = try copyAndCompare(path, directory: directory)
        defer { target.drop() }
        // The money it checked, printed per currency, equal on both sides.
        let totals = try #require(report["totals"] as? [[String: Any]])
        #expect(totals.contains { $0["what"] as? String == "invoiced totals" && $0["currency"] as? String == "CHF" })
        for total in totals { #expect(total["source"] as? String == total["target"] as? String, "\(total)") }
    }

    /// A desk of a few hundred invoices (10,000 are copied in `scripts/bench postgres`): payments,
    /// partial payments, credit notes to credit and to refund, webhook events, queued mail.
    static func generatedDesk(_ directory: TemporaryDirectory, invoices count: Int) throws -> String {
        let path = directory.path("desk.sqlite")
        let cli = try InvoiceCLI.creating(database: path, today: today)
        try cli.ok("settings", "set", "email", "billing@operator.example")
        let today = try Day(parsing: Self.today)
        let store = try Store(path: path)
        let outbox = Outbox(directory: directory.url.appendingPathComponent("Outbox"), renderer: try DocumentRenderer(),
                            clock: QueueClock(overrideDay: today))
        let invoicing = Invoicing(store: store, outbox: outbox)
        var customers: [Customer] = []
        for (company, country, currency) in [("Bäckerei Kühn GmbH", "DE", "EUR"), ("Café Lumière Sàrl", "CH", "CHF"), ("Acme Inc.", "US", "USD")] {
            customers.append(try store.addCustomer(Customer(
                id: 0, company: company, address: Address(country: try Country(code: country)), email: "billing@\(country.lowercased()).example",
                currency: try Currency(code: currency), language: .en)))
        }
        var numbers: [String] = []
        try store.write {
            for i in 0..<count {
                let customer = customers[i % customers.count]
                let draft = InvoiceDraft(title: "Month \(i)", lines: [
                    try InvoiceLine(parsing: "Plan Business;1;99.00;8.1;;month", currency: customer.currency),
                    try InvoiceLine(parsing: "Support;\(i % 4 + 1).5;120.00;8.1;10;h", currency: customer.currency),
                ])
                let invoice = try invoicing.create(customerReference: String(customer.id), draft, issue: true, today: today)
                let number = try #require(invoice.number)
                numbers.append(number)
                switch i % 6 {
                case 0: try invoicing.pay(reference: number, amount: invoice.totals.payable, date: today, eventID: "evt_full_\(i)")
                case 1: try invoicing.pay(reference: number, amount: Money(minorUnits: 3333, currency: customer.currency), date: today)
                case 2 where i % 4 == 2:
                    try invoicing.pay(reference: number, amount: invoice.totals.payable, date: today)
                    // Paid, then credited in part: the credit goes to the customer's balance.
                    _ = try invoicing.creditNote(reference: number, .amount(Money(minorUnits: 1010, currency: customer.currency)),
                                                 reason: "goodwill", refund: false, today: today, noMail: true)
                case 3 where i % 5 == 3:
                    _ = try invoicing.creditNote(reference: number, .rest, reason: "cancelled order", refund: false, today: today, noMail: true)
                default: break
                }
            }
        }
        // Mail queued through the command line (files in Outbox/), and signed payments through the
        // receiver (webhook events).
        for (index, number) in numbers.enumerated() where index % 6 == 5 && index < 30 { try cli.ok("send", number) }
        let handler = WebhookHandler(databasePath: path, secret: try WebhookSecret("whsec_" + Data(Array("db-copy-test-key-of-32-bytes-abc".utf8)).base64EncodedString()),
                                     outbox: outbox, today: today, clock: { 1_795_000_000 })
        for (index, number) in numbers.enumerated() where index % 6 == 4 && index < 60 {
            let invoice = try store.invoice(reference: number)
            let body = Array(#"{"type":"payment.succeeded","data":{"id":"evt_\#(index)","invoice":"\#(number)","amount":"\#(invoice.open.decimalString)","currency":"\#(invoice.currency.code)","paid_at":"2026-11-25T10:00:00Z"}}"#.utf8)
            let secret = try WebhookSecret("whsec_" + Data(Array("db-copy-test-key-of-32-bytes-abc".utf8)).base64EncodedString())
            let request = HTTPRequest(method: "POST", target: "/webhooks/payments", headers: [
                HTTPHeader("webhook-id", "msg_\(index)"), HTTPHeader("webhook-timestamp", "1795000000"),
                HTTPHeader("webhook-signature", secret.signature(id: "msg_\(index)", timestamp: "1795000000", body: body)),
                HTTPHeader("Content-Type", "application/json"),
            ], body: body)
            let response = handler.respond(to: request)
            #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        }
        return path
    }

    // Mutation (mutants.tsv db-copy-skips-a-table): the copy's table list without webhook_events
    // (`Store.tableNames(connection)` filtered) → the events are neither copied nor checked, the
    // table comparison here fails.
    // Mutation (mutants.tsv db-copy-identity-reset): the `setval` of the identity columns skipped
    // (`for (table, column) in identities` over none) → the copy's next customer collides with id 1.
    @Test func aGeneratedDeskOfSomeHundredInvoicesCopiesWholeAndTheCopyWorksOn() throws {
        let directory = try TemporaryDirectory("copy-desk")
        defer { directory.remove() }
        let path = try Self.generatedDesk(directory, invoices: 120)
        #expect(try Self.sqlite(path, "SELECT count(*) FROM webhook_events") == "10\n")
        #expect(try Self.sqlite(path, "SELECT count(*) FROM credit_ledger") != "0\n")
        let (_, target) = try copyAndCompare(path, directory: directory)
        defer { target.drop() }
        // The copy goes on where the file stopped: the next customer, invoice and credit note numbers.
        let copy = InvoiceCLI(database: target.uri, today: Self.today, workingDirectory: directory.url)
        let customer = try copy.ok("customer", "add", "--company", "Neu AG", "--email", "neu@example.ch", "--country", "CH",
                                   "--currency", "CHF", "--language", "de")
        #expect(customer == "4")
        let number = try copy.ok("new", customer, "--line", "Setup;1;100.00;8.1", "--issue")
        let last = try Self.sqlite(path, "SELECT max(number) FROM invoices WHERE kind = 'invoice'").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(number > last && number.hasPrefix(String(last.dropLast(5))), "\(number) after \(last)")
        #expect(Int(number.suffix(5)) == Int(last.suffix(5)).map { $0 + 1 })
    }

    // Mutation (mutants.tsv db-copy-refuses-nonempty): the emptiness check `if rows > 0` never true →
    // the second copy inserts on top and fails on a duplicate key, not with the one line here.
    @Test func aTargetThatIsNotEmptyIsRefusedWithOneLineAndLeftAsItIs() throws {
        let directory = try TemporaryDirectory("copy-refuse")
        defer { directory.remove() }
        let path = directory.path("billing.sqlite")
        let cli = try InvoiceCLI.creating(database: path, today: Self.today)
        try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "a@acme.example", "--country", "DE",
                   "--currency", "EUR", "--language", "de")
        let target = try TestPostgres.Database("copyrefuse")
        defer { target.drop() }
        try cli.ok("db", "copy", "--to", target.uri)
        let before = try TestEngine.postgresDump(target.uri)
        let again = try cli.run("db", "copy", "--to", target.uri)
        #expect(again.status == 1)
        // The first table in name order with rows beyond those a new database has (audit_head's one).
        let entries = try Self.sqlite(path, "SELECT count(*) FROM audit_entries").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(again.stderr == "invoice: \(target.uri) is not empty (audit_entries has \(entries) row\(entries == "1" ? "" : "s")); db copy needs an empty database; nothing changed\n")
        #expect(try TestEngine.postgresDump(target.uri) == before)

        // A database of something else is refused too, and a target that is not PostgreSQL.
        let other = try TestPostgres.Database("copyother")
        defer { other.drop() }
        _ = try TestEngine.postgresSQL(other.uri, "CREATE TABLE notes (id BIGINT PRIMARY KEY)")
        let foreign = try cli.run("db", "copy", "--to", other.uri)
        #expect(foreign.status == 1)
        #expect(foreign.stderr == "invoice: \(other.uri) is not empty (it has a table notes and no invoice schema); db copy needs an empty database; nothing changed\n")
        let file = try cli.run("db", "copy", "--to", directory.path("other.sqlite"))
        #expect(file.status == 1)
        #expect(file.stderr.contains("db copy --to takes a PostgreSQL connection URI"), "\(file.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("other.sqlite")))
        // A database `invoice init` made and nothing else is empty: the copy goes in.
        let initialised = try TestPostgres.Database("copyinit")
        defer { initialised.drop() }
        try InvoiceCLI(database: initialised.uri, today: Self.today, workingDirectory: directory.url).ok("init")
        try cli.ok("db", "copy", "--to", initialised.uri)
        #expect(try TestEngine.postgresSQL(initialised.uri, "SELECT company FROM customers") == "Acme GmbH\n")
    }
}
