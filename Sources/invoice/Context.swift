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

    /// Reads `--db`, `--json`, `--date`, `--templates` from anywhere on the line, and the environment.
    static func extract(from arguments: inout [String]) throws -> Context {
        var list = Arguments(arguments, command: "")
        let environment = ProcessInfo.processInfo.environment
        let db = try list.option("--db") ?? environment["INVOICE_DB"] ?? "invoice.sqlite"
        let json = list.flag("--json")
        let dateText = try list.option("--date") ?? environment["INVOICE_TODAY"]
        let templates = try list.option("--templates") ?? environment["INVOICE_TEMPLATES"]
        arguments = list.items
        let today: Day
        if let dateText {
            do { today = try Day(parsing: dateText) } catch { throw UsageError("--date: \(error)", command: "") }
        } else {
            let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
            today = try Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
        }
        return Context(databasePath: db, json: json, today: today, todayIsExplicit: dateText != nil,
                       templatesDirectory: templates)
    }

    func openStore() throws -> Store { try Store(path: databasePath) }

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
