import Foundation
import Testing
import TestSupport

/// The command line on PostgreSQL: `--db postgresql://…` opens the database on the server (whatever
/// `INVOICE_TEST_ENGINE` says: these tests always name a URI), `init` creates the schema in an empty
/// database, and messages never show the password.
@Suite struct PostgresCommandLineTests {
    /// A fresh database on the throwaway server and a folder for the outbox; the CLI runs with `--db URI`.
    func desk(_ label: String) throws -> (InvoiceCLI, TestPostgres.Database, TemporaryDirectory) {
        let database = try TestPostgres.Database(label)
        let dir = try TemporaryDirectory(label)
        return (InvoiceCLI(database: database.uri, workingDirectory: dir.url), database, dir)
    }

    // Mutation (mutants.tsv pg-uri-is-sqlite): `if isPostgres(location)` in Store.openConnection never true
    // (the URI is opened as a SQLite file name) → init makes a file, list on the server fails, this test fails.
    @Test func initCustomerNewIssuePayAndListWorkOnPostgreSQL() throws {
        let (cli, database, dir) = try desk("pgcli")
        defer { database.drop(); dir.remove() }
        let created = try cli.ok("init")
        #expect(created.hasPrefix("created an empty invoice database at \(database.uri)"))
        let customer = try cli.ok("customer", "add", "--company", "Café Lumière Sàrl", "--email", "compta@lumiere.ch",
                                  "--country", "CH", "--currency", "CHF", "--language", "fr")
        #expect(customer == "1")
        let draft = try cli.ok("new", customer, "--title", "Setup", "--line", "Consulting;1.5;150.00;8.1")
        #expect(draft == "1")
        #expect(try cli.ok("issue", draft) == "issued INV-2026-00001 to Café Lumière Sàrl: CHF 243.25, due 2026-12-25")
        try cli.ok("pay", "INV-2026-00001", "--amount", "100.00")
        let rows = try #require(try cli.json("list") as? [[String: Any]])
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row["number"] as? String == "INV-2026-00001")
        #expect(row["status"] as? String == "partially_paid")
        #expect(row["total"] as? String == "243.25")
        #expect(row["paid"] as? String == "100.00")
        #expect(row["open"] as? String == "143.25")
        // Nothing went to a SQLite file named like the URI, here or in the working directory.
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasSuffix("sqlite") || $0.contains("postgres") }
        #expect(files.isEmpty, "\(files)")
    }

    @Test func initRefusesADatabaseThatHasTheSchemaAndOtherCommandsRefuseOneWithout() throws {
        let (cli, database, dir) = try desk("pginit")
        defer { database.drop(); dir.remove() }
        let early = try cli.run("customer", "list")
        #expect(early.status == 1)
        #expect(early.stderr.contains("no database at \(database.uri); create one with: invoice --db \(database.uri) init"), "\(early.stderr)")
        try cli.ok("init")
        let again = try cli.run("init")
        #expect(again.status == 1)
        #expect(again.stderr == "invoice: \(database.uri) already exists; nothing changed\n")
        #expect(try cli.ok("customer", "list").hasPrefix("ID    COMPANY"))
    }

    @Test func aFailedConnectionNamesTheURIWithoutItsPassword() throws {
        let server = try TestPostgres.serverURI()
        let dir = try TemporaryDirectory("pgsecret")
        defer { dir.remove() }
        // A database that does not exist, reached with a password in the authority and in the query.
        let withSecret = TestPostgres.uri(server, database: "no_such_db").replacingOccurrences(of: "postgresql://", with: "postgresql://postgres:s3cr3t@")
            + "&password=s3cr3t"
        let cli = InvoiceCLI(database: withSecret, workingDirectory: dir.url)
        let result = try cli.run("list")
        #expect(result.status == 1)
        #expect(result.stderr.contains("no_such_db"), "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t"), "\(result.stderr)")
        #expect(result.stderr.contains("postgresql://postgres@"), "\(result.stderr)")
    }
}
