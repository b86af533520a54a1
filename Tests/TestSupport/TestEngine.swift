import Database
import Foundation
import Postgres
import Testing

/// The engine the tests' databases are on. SQLite files by default; with `INVOICE_TEST_ENGINE=postgres`
/// (the second pass of `scripts/test`) every database a test names by a file path is a database of its
/// own on the throwaway PostgreSQL server (`INVOICE_TEST_POSTGRES`), so the same tests run on both
/// engines. A test that only SQLite can run carries `.sqliteOnly("why")`, which the PostgreSQL pass
/// reports as skipped with that reason.
public enum TestEngine: String, Sendable {
    case sqlite
    case postgres

    /// The engine of this run: `INVOICE_TEST_ENGINE` (`sqlite` or `postgres`; unset is `sqlite`).
    public static var current: TestEngine {
        let value = ProcessInfo.processInfo.environment["INVOICE_TEST_ENGINE"] ?? ""
        return value.lowercased().hasPrefix("postgres") ? .postgres : .sqlite
    }

    /// What a test opens (`--db`, `Store(path:)`) for the database it names `path`: the path itself on
    /// SQLite; on PostgreSQL the URI of a database named after the path (`f_` + a hash of it), created
    /// empty the first time it is asked for, so every test's file is a fresh database and two commands
    /// naming the same file reach the same one.
    public static func location(for path: String) throws -> String {
        // A URI is already a location (a test of the PostgreSQL engine names its database itself).
        guard current == .postgres, !PostgresConnection.accepts(path) else { return path }
        return try postgresDatabase(for: path)
    }

    /// The name of the PostgreSQL database that stands for `path` (FNV-1a 64 of the path, in hex).
    public static func databaseName(for path: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "f_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static func postgresDatabase(for path: String) throws -> String {
        let server = try TestPostgres.serverURI()
        let name = databaseName(for: path)
        let admin = try PostgresConnection(uri: server, applicationName: "invoice-tests")
        let exists = try admin.scalarInt("SELECT count(*) FROM pg_database WHERE datname = ?", [.text(name)]) > 0
        if !exists {
            do {
                try admin.execute("CREATE DATABASE \(name)")
            } catch let error as DatabaseError where error.code == "42P04" || error.kind == .uniqueViolation {
                // Another test process or thread created it meanwhile: the same database, ready.
            }
        }
        return TestPostgres.uri(server, database: name)
    }

    /// Runs SQL on the database a test names `path`, as a test reaches past the store or the commands
    /// (to plant a state no command makes, or to count rows): `sqlite3 FILE SQL` on SQLite, the same
    /// SQL over a connection on PostgreSQL. Returns what `sqlite3` prints: each row's columns joined
    /// by `|`, one row a line (statements without rows print nothing). Throws when the SQL fails.
    @discardableResult
    public static func sql(_ path: String, _ statements: String) throws -> String {
        // A URI names a PostgreSQL database whatever the pass (MultiHostTests make theirs on the server).
        if current == .postgres || PostgresConnection.accepts(path) { return try postgresSQL(try location(for: path), statements) }
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path, statements])
        guard result.status == 0 else { throw ProcessRunnerError.failed("sqlite3 \(statements) exited \(result.status): \(result.stderr)") }
        return result.stdout
    }

    /// `sql` as rows, one string per row (columns joined by `|`).
    public static func rows(_ path: String, _ statements: String) throws -> [String] {
        try sql(path, statements).split(separator: "\n").map(String.init)
    }

    /// The whole database a test names `path` as text: equal dumps mean nothing changed (`sqlite3
    /// .dump`; on PostgreSQL `postgresDump`).
    public static func dump(_ path: String) throws -> String {
        if current == .postgres || PostgresConnection.accepts(path) { return try postgresDump(try location(for: path)) }
        return try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path, ".dump"]).stdout
    }

    /// Copies the database a test names `from` to a new one named `to`, as it is now (`sqlite3
    /// .backup`; on PostgreSQL `CREATE DATABASE … TEMPLATE`, which needs no command connected to it).
    public static func copy(_ from: String, to: String) throws {
        guard current == .postgres else {
            let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [from, ".backup '\(to)'"])
            guard result.status == 0 else { throw ProcessRunnerError.failed("sqlite3 .backup: \(result.stderr)") }
            return
        }
        _ = try location(for: from)
        let admin = try PostgresConnection(uri: try TestPostgres.serverURI(), applicationName: "invoice-tests")
        try admin.execute("CREATE DATABASE \(databaseName(for: to)) TEMPLATE \(databaseName(for: from))")
    }

    /// `statements` (separated by `;`) on the PostgreSQL database at `location`, printed as `sqlite3`
    /// prints results: columns joined by `|`, NULL as nothing, one row a line.
    public static func postgresSQL(_ location: String, _ statements: String) throws -> String {
        let connection = try PostgresConnection(uri: location, applicationName: "invoice-tests")
        var out = ""
        for statement in statements.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        where !statement.isEmpty {
            try connection.forEach(statement) { row in
                out += (0..<row.columnCount).map { row.isNull($0) ? "" : row.text($0) }.joined(separator: "|") + "\n"
            }
        }
        return out
    }

    /// The whole database at `location` as text, table by table and row by row in a fixed order: equal
    /// dumps mean nothing changed (PostgreSQL's counterpart of `sqlite3 .dump`; identity counters are
    /// left out, since a rolled-back insert advances them without changing any row).
    public static func postgresDump(_ location: String) throws -> String {
        let connection = try PostgresConnection(uri: location, applicationName: "invoice-tests")
        let tables = try connection.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename") { $0.text(0) }
        var out = ""
        for table in tables {
            out += "TABLE \(table)\n"
            try connection.forEach("SELECT CAST(t AS TEXT) AS r FROM \"\(table)\" t ORDER BY 1") { out += $0.text(0) + "\n" }
        }
        return out
    }
}

extension Trait where Self == ConditionTrait {
    /// A test (or suite) only the SQLite engine runs, with the reason (it reads the database file with
    /// `sqlite3`, fills a small disk, opens a fixture file…): the PostgreSQL pass skips it and says why.
    public static func sqliteOnly(_ reason: Comment) -> Self {
        .enabled(if: TestEngine.current == .sqlite, reason)
    }
}
