import CPostgres
import Database
import Foundation

/// One PostgreSQL connection (libpq), owned by one thread of work at a time (deliberately not
/// `Sendable`: libpq serves one statement at a time per connection; a program working on two
/// threads opens two connections).
///
/// - Statements with fixed SQL are prepared once per connection (`PQprepare`, named `s1`, `s2`, …,
///   cached by their SQL text); `.once` statements go through the unnamed statement, which the
///   server replaces with the next one, so nothing accumulates.
/// - The store's `?` placeholders become `$1, $2, …` (`Placeholders`).
/// - Parameters and results travel as text: integers as decimal digits, BLOBs as bytea hex
///   (`\x…`); money is never a binary float on the way in or out (`PostgresRow`).
/// - `forEach` streams in single-row mode: one row in memory at a time, whatever the result's size.
/// - Failures carry their SQLSTATE as `code`, classified into `DatabaseError.Kind` (`SQLState`).
public final class PostgresConnection: DatabaseConnection {
    let handle: OpaquePointer
    public let engine = DatabaseEngine.postgres
    /// The URI without its password.
    public let location: String

    private struct Prepared {
        let name: String
        let parameterCount: Int
    }
    private var cache: [String: Prepared] = [:]
    private var statementsPrepared = 0
    /// The statement whose results are still arriving, if any (see `ResultStream`).
    private weak var streamOnWire: ResultStream?

    var transactionDepth = 0
    var savepointDepth = 0
    /// Set when a statement of the current transaction failed to serialize (40001/40P01): the whole
    /// transaction is then run again, whatever error its body finally threw (the store may wrap it).
    var sawRetryableFailure = false

    /// How many times a transaction is attempted before its serialization failure is reported.
    public var maximumTransactionAttempts = 30
    /// The isolation of every transaction. SERIALIZABLE is PostgreSQL's equivalent of SQLite's one
    /// writer at a time: the store's read-then-write transactions were written for that, and every
    /// anomaly they could otherwise meet becomes a 40001 that `transaction` retries.
    public var isolation: Isolation = .serializable

    public enum Isolation: String, Sendable {
        case serializable = "SERIALIZABLE"
        case repeatableRead = "REPEATABLE READ"
        case readCommitted = "READ COMMITTED"
    }

    /// How many prepared statements the connection keeps (for tests: it must not grow with input).
    public var cachedStatementCount: Int { cache.count }

    /// The most rows this connection has held in memory at once while reading results (1 when every
    /// read streamed; for tests that prove `forEach` does not collect).
    public private(set) var peakRowsInMemory = 0

    /// Whether `location` names a PostgreSQL database (a libpq URI) rather than a SQLite file.
    public static func accepts(_ location: String) -> Bool { ConnectionURI.isPostgres(location) }

    /// Opens a connection from a libpq URI (`postgres://user@host/db`, `postgresql:///db?host=/run/postgresql`).
    public init(uri: String, applicationName: String = "invoice") throws {
        location = ConnectionURI.redacted(uri)
        var parseError: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(uri, &parseError) else {
            let reason = parseError.map { oneLine(String(cString: $0)) } ?? "out of memory"
            PQfreemem(parseError)
            throw DatabaseError(kind: .connection, code: SQLState.unableToConnect,
                                message: "\(location) is not a PostgreSQL connection URI: \(reason)")
        }
        PQconninfoFree(options)
        // Later entries win: the URI may name its own application, never another client encoding.
        let opened = withCStrings(["application_name", "dbname", "client_encoding"]) { keywords in
            withCStrings([applicationName, uri, "UTF8"]) { values in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let opened else {
            throw DatabaseError(kind: .connection, code: SQLState.unableToConnect,
                                message: "cannot connect to \(location): out of memory")
        }
        guard PQstatus(opened) == CONNECTION_OK else {
            let reason = oneLine(String(cString: PQerrorMessage(opened)))
            PQfinish(opened)
            throw DatabaseError(kind: .connection, code: SQLState.unableToConnect,
                                message: "cannot connect to \(location): \(reason)")
        }
        handle = opened
        cpostgres_silence_notices(handle)
        do {
            // What this wrapper's parsing relies on, whatever the server's defaults say.
            try execute("SET bytea_output = 'hex'; SET standard_conforming_strings = on")
        } catch {
            PQfinish(handle)
            throw error
        }
    }

    deinit { PQfinish(handle) }

    // MARK: Statements

    /// Runs one or more statements without parameters or results (schema, settings), in one round trip.
    public func execute(_ sql: String) throws {
        try prepareToSend()
        guard let result = PQexec(handle, sql) else { throw connectionFailure(sql) }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY: return
        default: throw failure(result, sql)
        }
    }

    @discardableResult
    public func run(_ sql: String, _ values: [SQLValue], reuse: StatementReuse) throws -> Int {
        try stream(sql, values, reuse, singleRow: false) { _ in true }
    }

    public func forEach(_ sql: String, _ values: [SQLValue], reuse: StatementReuse, _ body: (Row) throws -> Void) throws {
        try stream(sql, values, reuse, singleRow: true) { row in
            try body(Row(row))
            return true
        }
    }

    /// The first row through `map`; the rows after it are discarded as they arrive (one at a time)
    /// rather than cancelled, because a cancel request can land on the next statement of the transaction.
    public func first<T>(_ sql: String, _ values: [SQLValue], reuse: StatementReuse, _ map: (Row) throws -> T) throws -> T? {
        var value: T?
        try stream(sql, values, reuse, singleRow: true) { row in
            value = try map(Row(row))
            return false
        }
        return value
    }

    /// Sends one statement and reads its results, handing each row to `onRow` until it returns
    /// false; returns the number of rows the statement changed. Always reads the statement to its
    /// end, so the connection is ready for the next one whatever happened.
    @discardableResult
    private func stream(_ sql: String, _ values: [SQLValue], _ reuse: StatementReuse, singleRow: Bool,
                        _ onRow: (PostgresRow) throws -> Bool) throws -> Int {
        do {
            return try streamOnce(sql, values, reuse, singleRow: singleRow, onRow)
        } catch let error as DatabaseError where Self.isStalePlan(error) && transactionDepth == 0 {
            // The schema changed under a cached statement (a migration): prepared again, run once more.
            return try streamOnce(sql, values, reuse, singleRow: singleRow, onRow)
        }
    }

    private func streamOnce(_ sql: String, _ values: [SQLValue], _ reuse: StatementReuse, singleRow: Bool,
                            _ onRow: (PostgresRow) throws -> Bool) throws -> Int {
        try prepareToSend()
        let prepared = try statement(sql, reuse)
        let expected = prepared?.parameterCount ?? Placeholders.rewrite(sql).count
        guard expected == values.count else {
            throw DatabaseError(kind: .other, code: "08P01",
                                message: "statement expects \(expected) values, got \(values.count)", sql: sql)
        }
        let sent: Int32 = try withParameters(values, sql: sql) { parameters in
            if let prepared {
                return PQsendQueryPrepared(handle, prepared.name, Int32(parameters.count), parameters, nil, nil, 0)
            }
            return PQsendQueryParams(handle, Placeholders.rewrite(sql).sql, Int32(parameters.count), nil,
                                     parameters, nil, nil, 0)
        }
        guard sent == 1 else { throw connectionFailure(sql) }
        if singleRow { PQsetSingleRowMode(handle) }
        let results = ResultStream(connection: handle)
        streamOnWire = results
        // A row source of its own: a statement run from inside `onRow` must not move this one's row.
        let rowSource = PostgresRow()

        var firstError: (any Error)?
        var wantsRows = true
        var changes = 0
        while let result = results.next() {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_SINGLE_TUPLE, PGRES_TUPLES_OK:
                let count = PQntuples(result)
                peakRowsInMemory = max(peakRowsInMemory, Int(count) + results.bufferedRowCount)
                if PQresultStatus(result) == PGRES_TUPLES_OK { changes = Self.changedRows(result) }
                var row: Int32 = 0
                while row < count, wantsRows, firstError == nil {
                    rowSource.result = result
                    rowSource.row = row
                    rowSource.failure = nil
                    defer { rowSource.result = nil }
                    do {
                        wantsRows = try onRow(rowSource)
                        if let failure = rowSource.failure { throw failure }
                    } catch {
                        firstError = error
                    }
                    row += 1
                }
            case PGRES_COMMAND_OK:
                changes = Self.changedRows(result)
            case PGRES_EMPTY_QUERY:
                break
            default:
                if firstError == nil { firstError = failure(result, sql) }
            }
        }
        if let firstError { throw firstError }
        return changes
    }

    /// Makes the connection ready to send: a statement still streaming (this call comes from inside
    /// its `forEach`) reads the rest of its rows into memory; a connection the server dropped is
    /// reset when no transaction depended on it.
    private func prepareToSend() throws {
        if let streaming = streamOnWire, streaming.isOnWire {
            peakRowsInMemory = max(peakRowsInMemory, streaming.detach())
        }
        streamOnWire = nil
        if PQstatus(handle) == CONNECTION_BAD {
            guard transactionDepth == 0 else { throw connectionFailure(nil) }
            PQreset(handle)
            cache.removeAll()
            guard PQstatus(handle) == CONNECTION_OK else { throw connectionFailure(nil) }
            cpostgres_silence_notices(handle)
        }
    }

    /// The cached prepared statement for `sql` (prepared now if new), or nil for a `.once`
    /// statement that goes unnamed.
    private func statement(_ sql: String, _ reuse: StatementReuse) throws -> Prepared? {
        if let prepared = cache[sql] { return prepared }
        guard reuse == .cached else { return nil }
        let (rewritten, count) = Placeholders.rewrite(sql)
        statementsPrepared += 1
        let name = "s\(statementsPrepared)"
        guard let result = PQprepare(handle, name, rewritten, 0, nil) else { throw connectionFailure(sql) }
        defer { PQclear(result) }
        guard PQresultStatus(result) == PGRES_COMMAND_OK else { throw failure(result, sql) }
        let prepared = Prepared(name: name, parameterCount: count)
        cache[sql] = prepared
        return prepared
    }

    /// Hands libpq the values as NUL-terminated text for the call's duration (NULL as a null pointer).
    private func withParameters<R>(_ values: [SQLValue], sql: String,
                                   _ body: ([UnsafePointer<CChar>?]) throws -> R) throws -> R {
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(values.count)
        for value in values {
            let text: String
            switch value {
            case .null:
                pointers.append(nil)
                continue
            case .integer(let integer): text = String(integer)
            case .text(let string):
                guard !string.utf8.contains(0) else {
                    throw DatabaseError(kind: .other, code: "22021",
                                        message: "a text value contains a NUL character, which PostgreSQL cannot store", sql: sql)
                }
                text = string
            case .blob(let bytes): text = PostgresRow.encodeHex(bytes)
            }
            guard let copy = strdup(text) else {
                throw DatabaseError(kind: .other, code: "53200", message: "out of memory binding a value", sql: sql)
            }
            owned.append(copy)
            pointers.append(UnsafePointer(copy))
        }
        return try body(pointers)
    }

    // MARK: Errors

    /// The error a failed result reports: its SQLSTATE, kind and one-line message (with the detail,
    /// such as which key already exists).
    func failure(_ result: OpaquePointer, _ sql: String?) -> DatabaseError {
        func field(_ code: Int32) -> String? {
            PQresultErrorField(result, code).map { String(cString: $0) }
        }
        var code = field(Int32(UInt8(ascii: "C"))) ?? ""
        if code.isEmpty, PQstatus(handle) == CONNECTION_BAD { code = SQLState.connectionFailure }
        var message = oneLine(field(Int32(UInt8(ascii: "M"))) ?? String(cString: PQresultErrorMessage(result)))
        if let detail = field(Int32(UInt8(ascii: "D"))).map(oneLine), !detail.isEmpty { message += " (\(detail))" }
        if message.isEmpty { message = "PostgreSQL reported an error without a message" }
        return classified(DatabaseError(kind: SQLState.kind(code), code: code, message: message, sql: sql))
    }

    /// The error for a connection that failed outside a result (send failed, server gone).
    func connectionFailure(_ sql: String?) -> DatabaseError {
        let reason = oneLine(String(cString: PQerrorMessage(handle)))
        return classified(DatabaseError(kind: .connection, code: SQLState.connectionFailure,
                                        message: "lost the connection to \(location): \(reason.isEmpty ? "no reason given" : reason)",
                                        sql: sql))
    }

    /// Notes what the error means for the transaction and the statement cache.
    private func classified(_ error: DatabaseError) -> DatabaseError {
        if SQLState.isRetryable(error.code) { sawRetryableFailure = true }
        if Self.isStalePlan(error), let sql = error.sql { cache[sql] = nil }
        return error
    }

    /// 0A000 "cached plan must not change result type" and 26000 "prepared statement does not exist".
    private static func isStalePlan(_ error: DatabaseError) -> Bool { error.code == "0A000" || error.code == "26000" }

    private static func changedRows(_ result: OpaquePointer) -> Int {
        guard let tuples = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: tuples)) ?? 0
    }
}

/// Calls `body` with `strings` as an array of C strings ending in a null pointer (libpq's keyword lists).
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return body(copies.map { $0.map { UnsafePointer($0) } } + [nil])
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}
