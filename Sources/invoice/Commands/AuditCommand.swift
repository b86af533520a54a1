import Billing
import Foundation
import Store
import Workflows

/// `invoice audit list|verify`: the append-only audit trail (issue 22).
enum AuditCommand {
    static let command = Command(
        name: "audit", summary: "the audit trail: who changed what, when; and checking its hash chain",
        discussion: """
            Every command, webhook delivery and scheduled run that changes the database appends one entry in
            the same transaction: the time (UTC), the actor (the operating-system user on the command line,
            `webhook`, `run`), the action (the command or route), the objects and tables it changed, and the
            SHA-256 of the previous entry. A command that fails or only reads leaves no entry. Entries are
            never edited or deleted (the database refuses it).
            """,
        subcommands: [
            Command(name: "list", summary: "the entries, oldest first",
                    options: [.value("--object", "KIND:KEY", "only entries that changed this object (invoice:NUMBER, customer:ID, ...)"),
                              .value("--since", "D", "only entries recorded on or after this day (UTC)")],
                    featuredGlobals: ["--json"],
                    examples: ["invoice audit list --object invoice:INV-2026-00001", "invoice audit list --since 2026-12-01 --json"],
                    run: list),
            Command(name: "verify", summary: "walk the hash chain; name the first broken link (exit 1)",
                    examples: ["invoice audit verify"], run: verify),
        ])

    static func list(_ args: Arguments, _ context: Context) throws {
        let object = try args.option("--object")
        if let object, !object.contains(":") {
            throw args.usageError("--object: '\(object)' is not KIND:KEY (e.g. invoice:INV-2026-00001, customer:3)")
        }
        var since: Day?
        if let text = try args.option("--since") {
            do { since = try Day(parsing: text) } catch { throw args.usageError("--since: \(error)") }
        }
        let store = try context.openStore()
        var entries: [JSON] = []
        try store.forEachAuditEntry(object: object, since: since) { entry in
            if context.json {
                entries.append(.object([
                    ("seq", .int(entry.sequence)), ("time", .string(entry.recordedAt)), ("actor", .string(entry.actor)),
                    ("action", .string(entry.action)), ("objects", .array(entry.objects.map { .string($0) })),
                    ("tables", .array(entry.tables.map { .string($0) })), ("previous_hash", .string(entry.previousHash)),
                    ("hash", .string(entry.hash)),
                ]))
            } else {
                // One line an entry: at most eight objects by name, then how many more (--json has all).
                let names = entry.objects.isEmpty ? entry.tables : entry.objects
                var changed = names.prefix(8).joined(separator: ", ")
                if names.count > 8 { changed += " and \(names.count - 8) more" }
                context.emit("\(String(entry.sequence).padding(6))\(entry.recordedAt)  \(entry.actor.padding(10)) \(entry.action.padding(24)) \(changed)")
            }
        }
        if context.json { context.emit(.array(entries)) }
    }

    static func verify(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let result = try store.verifyAudit()
        if let broken = result.broken {
            if context.json {
                context.emit(.object([("ok", .bool(false)), ("entries", .int(result.entries)),
                                      ("broken_at", .int(broken.sequence)), ("reason", .string(broken.reason))]))
            }
            throw CommandFailure(message: "audit trail broken at entry \(broken.sequence): \(broken.reason)")
        }
        if context.json {
            context.emit(.object([("ok", .bool(true)), ("entries", .int(result.entries))]))
        } else {
            context.emit("audit trail intact: \(result.entries) entr\(result.entries == 1 ? "y" : "ies"), each linked to the one before")
        }
    }
}
