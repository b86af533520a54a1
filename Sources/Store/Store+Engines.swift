import Database
import Foundation
import Postgres
import SQLite

extension Store {
    /// Whether `location` (`--db`, `INVOICE_DB`) names a PostgreSQL database: a libpq connection URI
    /// starting `postgres://` or `postgresql://`. Anything else is a SQLite file's path.
    public static func isPostgres(_ location: String) -> Bool { PostgresConnection.accepts(location) }

    /// `location` as messages may show it: a URI without its password (`user:secret@`, `password=`),
    /// a path as it is.
    public static func displayLocation(_ location: String) -> String {
        isPostgres(location) ? PostgresConnection.redacted(location) : location
    }

    /// The one place that picks the engine for a database location (`--db`, `INVOICE_DB`).
    static func openConnection(_ location: String) throws -> any DatabaseConnection {
        if isPostgres(location) { return try PostgresConnection(uri: location) }
        return try Connection(path: location)
    }

    /// Whether an invoice database is at `location`: a SQLite file that exists, or a PostgreSQL
    /// database that `invoice init` gave the schema (a database the operator created but never
    /// initialised is not one yet). Throws when the server cannot be reached.
    public static func databaseExists(at location: String) throws -> Bool {
        guard isPostgres(location) else { return FileManager.default.fileExists(atPath: location) }
        do {
            let connection = try PostgresConnection(uri: location)
            return try connection.scalarInt("SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE 1 END") == 1
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: displayLocation(location))
        }
    }

    /// Whether this store runs on PostgreSQL (for the few things outside SQL that differ, e.g. where
    /// the outbox is by default).
    public var isPostgres: Bool { connection.engine == .postgres }
}
