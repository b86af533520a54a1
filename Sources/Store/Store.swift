import Billing
import Foundation
import Database

/// The invoice database, opened, migrated and owned by one thread of work. It talks to its engine
/// only through `DatabaseConnection` (`Store+Engines.swift` picks the engine from the location).
///
/// Every write runs in a `BEGIN IMMEDIATE` transaction (`write`), so concurrent processes queue on
/// SQLite's lock instead of failing halfway; reads that must agree with each other use `read`.
public final class Store {
    let connection: any DatabaseConnection
    /// Where the database is: a SQLite file's path (or a connection URI).
    public let path: String

    public init(path: String) throws {
        self.path = path
        do {
            connection = try Store.openConnection(path)
            try Schema.migrate(connection)
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: path)
        }
        do {
            try Schema.recomputeTotals(self)
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: path)
        }
    }

    /// A write transaction: all of `body` lands, or none of it.
    @discardableResult
    public func write<T>(_ body: () throws -> T) throws -> T {
        try guarded { try connection.transaction(.immediate, body) }
    }

    /// A read transaction: one consistent snapshot for everything `body` reads.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try guarded { try connection.transaction(.deferred, body) }
    }

    /// Maps the engine's errors to the store's, leaving every other error as it is.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError { throw StoreError.wrapping(error, path: path) }
    }

    public var schemaVersion: Int64 { Schema.version }

    /// How many prepared statements the connection keeps (for tests: fixed, whatever the input).
    public var cachedStatementCount: Int { connection.cachedStatementCount }

    /// The wall-clock time rows are stamped with (not "today" of the billing rules).
    static func timestamp() -> String { UTCTimestamp.string(epochSeconds: Int64(time(nil))) }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Store: Sendable {}
