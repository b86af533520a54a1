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
    /// The same connection, noting what each write transaction changes (for its audit entry).
    let audited: AuditedConnection
    /// Who is writing and through what: every committed write transaction that changed something
    /// appends one audit entry under it (`Store+Audit.swift`). Set per command, request or run.
    public var audit: AuditContext
    /// Where the database is: a SQLite file's path or a PostgreSQL connection URI, as given (with
    /// its password: other connections are opened from it).
    public let path: String
    /// `path` as messages show it (a URI without its password).
    public let location: String
    /// Work that must follow the outermost write transaction: on commit (a mail file becomes visible)
    /// or on rollback (its temporary file goes). Per connection, like the transaction itself.
    var completions: [(committed: () -> Void, rolledBack: () -> Void)] = []
    var writeDepth = 0
    /// Events noted during the open write transaction, written just before it commits (`Store+Events`).
    var pendingEvents: [PendingEvent] = []
    /// The frozen logo read last (`frozenLogo(sha256:)`).
    var lastFrozenLogo: FrozenLogo?

    public init(path: String, audit: AuditContext = .unattributed) throws {
        self.path = path
        location = Store.displayLocation(path)
        do {
            audited = AuditedConnection(try Store.openConnection(path))
            connection = audited
            try Schema.migrate(audited.base)
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: location)
        }
        // What migrations leave to finish is recorded as the schema's own action.
        self.audit = AuditContext(actor: audit.actor, action: "schema migration")
        do {
            try Schema.recomputeTotals(self)
            try Schema.freezeSellers(self)
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: location)
        }
        self.audit = audit
    }

    /// A write transaction: all of `body` lands, or none of it. If it changed anything, its audit
    /// entry is appended last, inside the same transaction (so a failed write leaves none).
    @discardableResult
    public func write<T>(_ body: () throws -> T) throws -> T {
        writeDepth += 1
        defer { writeDepth -= 1 }
        guard writeDepth == 1 else { return try guarded { try connection.transaction(.immediate, body) } }
        do {
            let result = try guarded {
                try connection.transaction(.immediate) {
                    // A PostgreSQL transaction that failed to serialize runs again from here: what the failed
                    // attempt registered to do on commit is undone first (its rows are gone).
                    audited.changes = AuditChanges()
                    if !completions.isEmpty {
                        let undone = completions
                        completions = []
                        for item in undone.reversed() { item.rolledBack() }
                    }
                    let value = try withPendingEvents(body)
                    try appendAuditEntry()
                    return value
                }
            }
            audited.changes = AuditChanges()
            let done = completions
            completions = []
            for item in done { item.committed() }
            return result
        } catch {
            audited.changes = AuditChanges()
            pendingEvents = []
            let undone = completions
            completions = []
            for item in undone.reversed() { item.rolledBack() }
            throw error
        }
    }

    /// Whether a write transaction is open on this connection.
    public var isWriting: Bool { writeDepth > 0 }

    /// Registers what to do once the current write transaction commits, or is rolled back (also when
    /// only the savepoint around it, `isolated`, is). Outside a write transaction: committed now.
    public func whenCompleted(committed: @escaping () -> Void, rolledBack: @escaping () -> Void) {
        guard writeDepth > 0 else { committed(); return }
        completions.append((committed, rolledBack))
    }

    /// A read transaction: one consistent snapshot for everything `body` reads.
    public func read<T>(_ body: () throws -> T) throws -> T {
        try guarded { try connection.transaction(.deferred, body) }
    }

    /// Maps the engine's errors to the store's, leaving every other error as it is.
    func guarded<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError { throw StoreError.wrapping(error, path: location) }
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
