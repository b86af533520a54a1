import Foundation
import Store
import Workflows

/// `invoice db copy --to URI`: moves a desk from the database in use (`--db`, a SQLite file) into an
/// empty PostgreSQL database.
enum DatabaseCommand {
    static let command = Command(
        name: "db", summary: "the database itself: copy a desk to PostgreSQL",
        subcommands: [Command(
            name: "copy", summary: "copy every table of this database into an empty PostgreSQL database",
            discussion: """
                Copies the whole desk of --db (every table: customers, invoices and their lines, counters,
                payments, the credit ledger, webhook events, the mail queue with the bytes of its messages
                from the Outbox folder, and every table a later version adds) into the PostgreSQL database
                --to names, in one transaction there. The target must be empty: a database created for it
                (createdb), or one `invoice init` gave the schema and nothing else; anything else is
                refused and left as it is. Before it commits, the copy compares the rows of every table
                and the money totals (invoiced, paid, credit notes, payments, credit balances, refunds,
                per currency) on both sides and prints them; any difference rolls it all back. The
                source is only read. Stop the receivers, mailing runs and cron jobs of the old desk first,
                then point them at the URI.
                """,
            options: [.value("--to", "URI", "the empty PostgreSQL database (postgresql://…)", required: true)],
            examples: ["invoice --db invoice.sqlite db copy --to 'postgresql:///invoice?host=/run/postgresql'"],
            run: copy)])

    static func copy(_ args: Arguments, _ context: Context) throws {
        guard let uri = try args.option("--to") else { throw UsageError("--to URI is required", command: "db copy") }
        let store = try context.openStore()
        let outbox = Outbox.defaultDirectory(databasePath: store.path)
        let report = try store.copyDatabase(to: uri) { _, file in
            let path = outbox.appendingPathComponent(file).path
            // A committed message whose rename a crash cut short is still under its temporary name.
            let temporary = outbox.appendingPathComponent(Outbox.temporaryPrefix + file).path
            for candidate in [path, temporary] where FileManager.default.fileExists(atPath: candidate) {
                guard let data = FileManager.default.contents(atPath: candidate) else {
                    throw CommandFailure(message: "cannot read the message file \(candidate); nothing changed")
                }
                return [UInt8](data)
            }
            return nil
        }
        if context.json {
            context.emit(.object([
                ("target", .string(report.target)),
                ("tables", .array(report.tables.map {
                    .object([("table", .string($0.name)), ("source", .int($0.source)), ("target", .int($0.target))])
                })),
                ("totals", .array(report.totals.map {
                    .object([("what", .string($0.what)), ("currency", .string($0.currency)),
                             ("source", .string($0.source.decimalString)), ("target", .string($0.target.decimalString))])
                })),
                ("mail_bodies_from_files", .int(Int64(report.mailBodiesFromFiles))),
            ]))
            return
        }
        context.emit("copied \(store.location) to \(report.target) in one transaction; checked on both sides:")
        let width = max(5, report.tables.map(\.name.count).max() ?? 5)
        for table in report.tables {
            context.emit("  \(table.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(table.source) rows = \(table.target)")
        }
        for total in report.totals {
            context.emit("  \(total.what) \(total.currency) \(total.source.decimalString) = \(total.target.decimalString)")
        }
        context.emit("  message bytes from the outbox into the database: \(report.mailBodiesFromFiles)")
    }
}
