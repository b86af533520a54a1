import Foundation

/// Runs the real `invoice` executable against one database file, as a user at a shell would.
public struct InvoiceCLI: Sendable {
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
        try ProcessRunner.run(Paths.invoiceExecutable, ["--db", database, "--date", today] + arguments,
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

    /// The whole database as SQL text: equal dumps mean nothing changed.
    public func dump() throws -> String {
        try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [database, ".dump"]).stdout
    }

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
