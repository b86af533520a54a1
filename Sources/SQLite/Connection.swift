import CSQLite
import Database

/// One SQLite connection, owned by one thread of work at a time (it is deliberately not `Sendable`:
/// a program that works on two threads opens two connections, as SQLite intends with WAL).
///
/// Opening sets WAL, foreign keys, a busy timeout and `synchronous = FULL` (money and mail queues
/// must survive a power cut). Statements are prepared once per SQL text and cached, except SQL built
/// at run time (an `IN (?, ?, …)` list as long as the input): that is prepared for one use (`.once`),
/// so the cache holds only the program's fixed statements.
public final class Connection: DatabaseConnection {
    let handle: OpaquePointer
    public let path: String
    private var cache: [String: Statement] = [:]
    private var transactionDepth = 0
    private var savepointDepth = 0

    /// How many prepared statements the connection keeps (for tests: it must not grow with input).
    public var cachedStatementCount: Int { cache.count }

    public var engine: DatabaseEngine { .sqlite }

    /// The file's path.
    public var location: String { path }

    public init(path: String, readOnly: Bool = false, busyTimeoutMilliseconds: Int32 = 15_000) throws {
        var pointer: OpaquePointer?
        let flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let rc = sqlite3_open_v2(path, &pointer, flags, nil)
        guard rc == SQLITE_OK, let opened = pointer else {
            let message = pointer.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(pointer)
            throw DatabaseError(sqlite: rc, message: "cannot open \(path): \(message)")
        }
        handle = opened
        self.path = path
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        do {
            // The first read proves the file is a database at all.
            _ = try scalarInt("PRAGMA schema_version")
            if !readOnly {
                let mode = try scalarText("PRAGMA journal_mode = WAL")
                guard mode.lowercased() == "wal" else {
                    throw DatabaseError(sqlite: SQLITE_ERROR, message: "cannot switch \(path) to WAL (journal mode is \(mode))")
                }
            }
            // Statement and savepoint journals in memory (they hold the pages one statement or savepoint
            // changed, a few KB): as temporary files they were half the system time of a bank import
            // of 100,000 transactions (12 page writes each).
            try execute("PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY;")
        } catch {
            cache.removeAll()
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without results (schema, pragmas).
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw DatabaseError(sqlite: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    /// Runs a statement that returns no rows; returns the number of rows it changed.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue], reuse: StatementReuse) throws -> Int {
        let statement = try prepared(sql, reuse)
        try statement.bind(values, connection: handle)
        defer { sqlite3_reset(statement.handle) }
        let rc = sqlite3_step(statement.handle)
        guard rc == SQLITE_DONE || rc == SQLITE_ROW else { throw failure(rc, sql) }
        return Int(sqlite3_changes(handle))
    }

    /// Steps through every row, handing each to `body` (streaming: nothing is collected).
    public func forEach(_ sql: String, _ values: [SQLValue], reuse: StatementReuse,
                        _ body: (Row) throws -> Void) throws {
        let statement = try prepared(sql, reuse)
        try statement.bind(values, connection: handle)
        defer { sqlite3_reset(statement.handle) }
        while true {
            let rc = sqlite3_step(statement.handle)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw failure(rc, sql) }
            try body(Row(statement))
        }
    }

    /// The first row through `map`, or nil.
    public func first<T>(_ sql: String, _ values: [SQLValue], reuse: StatementReuse,
                         _ map: (Row) throws -> T) throws -> T? {
        let statement = try prepared(sql, reuse)
        try statement.bind(values, connection: handle)
        defer { sqlite3_reset(statement.handle) }
        let rc = sqlite3_step(statement.handle)
        if rc == SQLITE_DONE { return nil }
        guard rc == SQLITE_ROW else { throw failure(rc, sql) }
        return try map(Row(statement))
    }

    /// Runs `body` in a transaction: commits when it returns, rolls back when it throws and rethrows
    /// that first error. Nested calls join the outer transaction.
    public func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T {
        if transactionDepth > 0 {
            transactionDepth += 1
            defer { transactionDepth -= 1 }
            return try body()
        }
        try execute("BEGIN \(kind.rawValue)")
        transactionDepth = 1
        do {
            let result = try body()
            try execute("COMMIT")
            transactionDepth = 0
            return result
        } catch {
            transactionDepth = 0
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// Runs `body` in a savepoint nested in the current transaction (or in one of its own): if it
    /// throws, only its own changes are rolled back and the error is rethrown.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        guard transactionDepth > 0 else { return try transaction(.immediate, body) }
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "sp\(savepointDepth)"
        try execute("SAVEPOINT \(name)")
        do {
            let result = try body()
            try execute("RELEASE \(name)")
            return result
        } catch {
            try? execute("ROLLBACK TO \(name)")
            try? execute("RELEASE \(name)")
            throw error
        }
    }

    /// A statement for `sql`: the cached one, or a new one (cached unless `reuse` is `.once`; a
    /// `.once` statement is finalized when the caller's last reference goes).
    private func prepared(_ sql: String, _ reuse: StatementReuse) throws -> Statement {
        if let statement = cache[sql] { return statement }
        var pointer: OpaquePointer?
        let flags = reuse == .cached ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let rc = sqlite3_prepare_v3(handle, sql, -1, flags, &pointer, nil)
        guard rc == SQLITE_OK, let prepared = pointer else { throw failure(rc, sql) }
        let statement = Statement(handle: prepared, sql: sql)
        if reuse == .cached { cache[sql] = statement }
        return statement
    }

    private func failure(_ rc: Int32, _ sql: String) -> DatabaseError {
        DatabaseError(sqlite: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Connection: Sendable {}
