import Billing
import Foundation
import Documents
import Store
import Workflows

/// What every command shares: the global options and the way out (stdout, stderr).
struct Context {
    var databasePath: String
    var json: Bool
    var today: Day
    /// Whether `--date` (or INVOICE_TODAY) fixed today; `pay --date` also dates the payment.
    var todayIsExplicit: Bool
    var templatesDirectory: String?
    /// Who and what the audit trail records for this command's writes: the operating-system user and
    /// `invoice COMMAND`; the scheduled run (`invoice run`) is the actor `run`.
    var audit: AuditContext

    /// The global options (`--db`, `--json`, `--date`, `--templates`) of a parsed line, and the environment.
    init(_ arguments: Arguments) throws {
        let environment = ProcessInfo.processInfo.environment
        databasePath = try arguments.option("--db") ?? environment["INVOICE_DB"] ?? "invoice.sqlite"
        json = arguments.flag("--json")
        let dateText = try arguments.option("--date") ?? environment["INVOICE_TODAY"]
        templatesDirectory = try arguments.option("--templates") ?? environment["INVOICE_TEMPLATES"]
        if let dateText {
            do { today = try Day(parsing: dateText) } catch { throw UsageError("--date: \(error)", command: arguments.commandName) }
        } else {
            let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
            today = try Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        }
        todayIsExplicit = dateText != nil
        let command = arguments.commandName
        audit = command == "run" ? .scheduledRun : .commandLine(command.isEmpty ? "invoice" : "invoice \(command)")
    }

    /// Refuses a database file that does not exist: a mistyped `--db` in a cron line must fail, not
    /// create an empty database and report nothing to do.
    /// On PostgreSQL the same holds for a database without the schema `invoice init` creates.
    func requireDatabase() throws {
        guard try Store.databaseExists(at: databasePath) else {
            let shown = Store.displayLocation(databasePath)
            throw CommandFailure(message: "no database at \(shown); create one with: invoice --db \(shown) init")
        }
    }

    /// Opens the database, which must exist (see `requireDatabase`).
    func openStore() throws -> Store {
        try requireDatabase()
        return try Store(path: databasePath, audit: audit)
    }

    /// Opens the database, creating an empty one if there is none (`init`, `demo`).
    func createStore() throws -> Store { try Store(path: databasePath, audit: audit) }

    /// The document renderer: the operator's `--templates` directory first, then the shipped templates.
    func renderer() throws -> DocumentRenderer {
        try DocumentRenderer(overrideDirectory: templatesDirectory.map { URL(fileURLWithPath: $0) })
    }

    /// The queue clock follows `--date`, so `--date 2099-01-01 mail run` finds every message due.
    var queueClock: QueueClock { QueueClock(overrideDay: todayIsExplicit ? today : nil) }

    /// Where mail is queued for this database.
    func outbox() throws -> Outbox {
        Outbox(directory: Outbox.defaultDirectory(databasePath: databasePath), renderer: try renderer(), clock: queueClock)
    }

    /// Writes a line to stdout; a closed pipe (`invoice list | head`) ends the program quietly.
    func emit(_ text: String) { Context.writeOut(Data((text + "\n").utf8)) }

    static func writeOut(_ data: Data) {
        do { try FileHandle.standardOutput.write(contentsOf: data) } catch { exit(ExitCode.success) }
    }

    func emit(_ json: JSON) { emit(json.serialized) }

    func warn(_ text: String) { try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8)) }
}
