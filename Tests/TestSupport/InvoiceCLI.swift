import Foundation

/// Runs the real `invoice` executable against one database file, as a user at a shell would. On the
/// PostgreSQL test engine (`TestEngine`) the file names a database of its own on the test server and
/// `--db` is its URI; the folder of the file stays the working directory (and so holds the Outbox).
public struct InvoiceCLI: Sendable {
    /// The database file the test named (on PostgreSQL, only the key of its database: see `location`).
    public let database: String
    public let today: String
    public let workingDirectory: URL

    public init(database: String, today: String = "2026-11-25", workingDirectory: URL? = nil) {
        self.database = database
        self.today = today
        self.workingDirectory = workingDirectory ?? URL(fileURLWithPath: database).deletingLastPathComponent()
    }

    /// A new, empty database made with `invoice init` (every command but `init` and `demo` refuses a
    /// database file that does not exist).
    public static func creating(database: String, today: String = "2026-11-25", workingDirectory: URL? = nil) throws -> InvoiceCLI {
        let cli = InvoiceCLI(database: database, today: today, workingDirectory: workingDirectory)
        try cli.ok("init")
        return cli
    }

    /// Runs `invoice --db DB --date TODAY ARGS…`.
    @discardableResult
    public func run(_ arguments: String..., environment: [String: String] = [:], timeout: Double = 120) throws -> ProcessResult {
        try run(arguments, environment: environment, timeout: timeout)
    }

    @discardableResult
    public func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 120) throws -> ProcessResult {
        try ProcessRunner.run(Paths.invoiceExecutable, ["--db", try location(), "--date", today] + arguments,
                              environment: environment, currentDirectory: workingDirectory, timeout: timeout)
    }

    /// Runs and requires success; returns stdout without the trailing newline.
    @discardableResult
    public func ok(_ arguments: String...) throws -> String { try ok(arguments) }

    @discardableResult
    public func ok(_ arguments: [String]) throws -> String {
        let result = try run(arguments)
        guard result.status == 0 else {
            throw ProcessRunnerError.failed("invoice \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result.stdout.hasSuffix("\n") ? String(result.stdout.dropLast()) : result.stdout
    }

    /// What `--db` is: the file's path on SQLite, the URI of its database on PostgreSQL.
    public func location() throws -> String { try TestEngine.location(for: database) }

    /// The whole database as text: equal dumps mean nothing changed (`sqlite3 .dump`; on PostgreSQL
    /// every table's rows in order).
    public func dump() throws -> String { try TestEngine.dump(database) }

    /// Runs SQL on the database behind the commands, as a test reaches past them (to plant a state no
    /// command makes, or to count rows): `sqlite3 FILE SQL` on SQLite; on PostgreSQL the same SQL over a
    /// connection. Returns what `sqlite3` prints: each row's columns joined by `|`, one row a line
    /// (statements that return no rows print nothing). Throws when the SQL fails.
    @discardableResult
    public func sql(_ statements: String) throws -> String { try TestEngine.sql(database, statements) }

    /// Parses a `--json` answer.
    public func json(_ arguments: String...) throws -> Any { try json(arguments) }

    public func json(_ arguments: [String]) throws -> Any {
        let result = try run(arguments + ["--json"])
        guard result.status == 0 else {
            throw ProcessRunnerError.failed("invoice \(arguments.joined(separator: " ")) --json exited \(result.status): \(result.stderr)")
        }
        return try JSONSerialization.jsonObject(with: result.stdoutData)
    }
}
