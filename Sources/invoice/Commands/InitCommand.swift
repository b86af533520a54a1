import Foundation
import Store

/// `invoice init`: creates an empty database, the only way besides `demo` to make one.
enum InitCommand {
    static let command = Command(
        name: "init", summary: "create an empty database",
        discussion: """
            Creates the database file named by --db (default ./invoice.sqlite, env INVOICE_DB) with an
            empty operator, catalog and customer list, and says where. Every other command except demo
            refuses a database file that does not exist, so a mistyped --db fails instead of working on
            an empty database. An existing file is refused and left as it is. With a PostgreSQL URI
            (postgresql://…) it creates the schema in an existing, empty database; one that already has
            it is refused.
            """,
        database: .creates,
        examples: ["invoice --db /srv/billing/invoice.sqlite init", "invoice --db 'postgresql:///invoice?host=/run/postgresql' init"],
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        let path = context.databasePath
        guard try !Store.databaseExists(at: path) else {
            throw CommandFailure(message: "\(Store.displayLocation(path)) already exists; nothing changed")
        }
        let store = try context.createStore()
        let absolute = store.isPostgres ? store.location : URL(fileURLWithPath: store.path).standardizedFileURL.path
        if context.json {
            context.emit(.object([("database", .string(absolute)), ("schema", .int(store.schemaVersion))]))
        } else {
            context.emit("created an empty invoice database at \(absolute)")
            context.emit("next: invoice settings set company \"Your Company\" (see invoice settings show), then invoice customer add ...")
        }
    }
}
