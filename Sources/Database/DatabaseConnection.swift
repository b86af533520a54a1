/// The store's one interface to a database engine (SQLite, PostgreSQL): the Store module talks to
/// this protocol only, so workflows, the webhook, the mailing run and the command line never know
/// which engine they run on.
///
/// SQL is written once with `?` placeholders; an engine that numbers its parameters (PostgreSQL's
/// `$1`) rewrites them when it prepares the statement. A connection belongs to one thread of work
/// at a time (it is deliberately not `Sendable`).
public protocol DatabaseConnection: AnyObject {
    /// Which engine this is, for the few statements whose dialects differ (`PRAGMA`, `json_each`).
    var engine: DatabaseEngine { get }

    /// Where the database is, for messages: a file path, or a connection URI without its password.
    var location: String { get }

    /// How many prepared statements the connection keeps (for tests: it must not grow with input).
    var cachedStatementCount: Int { get }

    /// Runs one or more statements without parameters or results (schema, pragmas).
    func execute(_ sql: String) throws

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    func run(_ sql: String, _ values: [SQLValue], reuse: StatementReuse) throws -> Int

    /// Steps through every row, handing each to `body` (streaming: nothing is collected, memory flat
    /// whatever the number of rows).
    func forEach(_ sql: String, _ values: [SQLValue], reuse: StatementReuse, _ body: (Row) throws -> Void) throws

    /// The first row through `map`, or nil; the rest of the result is not read.
    func first<T>(_ sql: String, _ values: [SQLValue], reuse: StatementReuse, _ map: (Row) throws -> T) throws -> T?

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws and rethrows
    /// that first error. Nested calls join the outer transaction. An engine whose transactions can
    /// fail to serialize (PostgreSQL's 40001/40P01) runs the whole of `body` again.
    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T

    /// Runs `body` in a savepoint nested in the current transaction (or in a write transaction of its
    /// own): if it throws, only its own changes are rolled back and the error is rethrown.
    func savepoint<T>(_ body: () throws -> T) throws -> T
}

/// The engines the store runs on.
public enum DatabaseEngine: String, Sendable {
    case sqlite
    case postgres
}

/// Whether a statement is kept for reuse.
public enum StatementReuse: Sendable {
    /// Fixed SQL text: prepared once, kept for the connection's life.
    case cached
    /// SQL text built at run time (an `IN (?, ?, …)` list as long as the input): prepared for this
    /// call and released after it, so the cache holds only the program's fixed statements.
    case once
}

public enum TransactionKind: String, Sendable {
    /// Takes the write lock at once (SQLite `BEGIN IMMEDIATE`): for every transaction that writes.
    case immediate = "IMMEDIATE"
    /// Takes locks as needed: for reads.
    case deferred = "DEFERRED"
}

extension DatabaseConnection {
    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue] = []) throws -> Int {
        try run(sql, values, reuse: .cached)
    }

    public func forEach(_ sql: String, _ values: [SQLValue] = [], _ body: (Row) throws -> Void) throws {
        try forEach(sql, values, reuse: .cached, body)
    }

    public func first<T>(_ sql: String, _ values: [SQLValue] = [], _ map: (Row) throws -> T) throws -> T? {
        try first(sql, values, reuse: .cached, map)
    }

    /// Collects every row through `map`.
    public func query<T>(_ sql: String, _ values: [SQLValue] = [], reuse: StatementReuse = .cached,
                         _ map: (Row) throws -> T) throws -> [T] {
        var out: [T] = []
        try forEach(sql, values, reuse: reuse) { out.append(try map($0)) }
        return out
    }

    public func scalarInt(_ sql: String, _ values: [SQLValue] = []) throws -> Int64 {
        try first(sql, values, reuse: .cached) { $0.int(0) } ?? 0
    }

    public func scalarText(_ sql: String, _ values: [SQLValue] = []) throws -> String {
        try first(sql, values, reuse: .cached) { $0.text(0) } ?? ""
    }

    /// Runs an `INSERT` into a table keyed by `id` and returns the new row's id (through
    /// `RETURNING id`, which both engines understand; never a last-insert-rowid call).
    public func insert(_ sql: String, _ values: [SQLValue] = [], reuse: StatementReuse = .cached) throws -> Int64 {
        guard let id = try first(sql + " RETURNING id", values, reuse: reuse, { $0.int(0) }) else {
            throw DatabaseError(kind: .other, code: "", message: "an insert returned no id", sql: sql)
        }
        return id
    }

    public func transaction<T>(_ body: () throws -> T) throws -> T { try transaction(.immediate, body) }
}
