import Postgres
import TestSupport

/// Runs `body` with a connection to a database of its own on the throwaway server, dropped after.
func withFreshDatabase<T>(_ body: (PostgresConnection, TestPostgres.Database) throws -> T) throws -> T {
    let database = try TestPostgres.Database("pgtest")
    defer { database.drop() }
    let connection = try PostgresConnection(uri: database.uri)
    return try body(connection, database)
}
