import Database
import Foundation

/// The store's connection, seen through what it changes: every statement is passed to the engine's
/// connection as it is, and the tables of the statements that changed rows (`INSERT`, `UPDATE`,
/// `DELETE`, `… RETURNING`) are noted for the audit entry of the write transaction they belong to.
final class AuditedConnection: DatabaseConnection {
    let base: any DatabaseConnection
    /// What the current write transaction changed so far.
    var changes = AuditChanges()
    /// The table each statement text writes to ("" for statements that write nothing we record).
    private var writtenTable: [String: String] = [:]

    /// Tables whose writes are no change of the books (the write probe rewrites `schema_version`).
    private static let unrecorded: Set<String> = ["schema_version", "audit_entries", "audit_objects", "audit_head"]

    init(_ base: any DatabaseConnection) { self.base = base }

    var engine: DatabaseEngine { base.engine }
    var location: String { base.location }
    var cachedStatementCount: Int { base.cachedStatementCount }

    func execute(_ sql: String) throws { try base.execute(sql) }

    @discardableResult
    func run(_ sql: String, _ values: [SQLValue], reuse: StatementReuse) throws -> Int {
        let changed = try base.run(sql, values, reuse: reuse)
        if changed > 0 { note(sql) }
        return changed
    }

    func forEach(_ sql: String, _ values: [SQLValue], reuse: StatementReuse, _ body: (Row) throws -> Void) throws {
        var any = false
        try base.forEach(sql, values, reuse: reuse) { row in
            any = true
            try body(row)
        }
        if any { note(sql) }
    }

    func first<T>(_ sql: String, _ values: [SQLValue], reuse: StatementReuse, _ map: (Row) throws -> T) throws -> T? {
        let value = try base.first(sql, values, reuse: reuse, map)
        if value != nil { note(sql) }
        return value
    }

    func transaction<T>(_ kind: TransactionKind, _ body: () throws -> T) throws -> T { try base.transaction(kind, body) }

    func savepoint<T>(_ body: () throws -> T) throws -> T { try base.savepoint(body) }

    /// Notes the table `sql` writes to, if it is a write (a `SELECT` that returned rows is none).
    private func note(_ sql: String) {
        let table: String
        if let known = writtenTable[sql] {
            table = known
        } else {
            table = Self.table(writtenBy: sql)
            if writtenTable.count < 4096 { writtenTable[sql] = table }
        }
        if !table.isEmpty, !Self.unrecorded.contains(table) { changes.tables.insert(table) }
    }

    /// `INSERT INTO t`, `UPDATE t`, `DELETE FROM t` (quoted or not, after leading blanks) → `t`; else "".
    static func table(writtenBy sql: String) -> String {
        let words = sql.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "(" }).prefix(3).map { String($0) }
        guard let verb = words.first?.uppercased() else { return "" }
        let name: String?
        switch verb {
        case "INSERT", "DELETE": name = words.count > 2 ? words[2] : nil
        case "UPDATE": name = words.count > 1 ? words[1] : nil
        default: name = nil
        }
        return (name ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"`;")).lowercased()
    }
}

/// What one write transaction changed: the objects the store's methods named (`invoice:INV-2026-00001`,
/// `customer:3`) and the tables written.
struct AuditChanges: Sendable, Equatable {
    var objects: Set<String> = []
    var tables: Set<String> = []

    var isEmpty: Bool { objects.isEmpty && tables.isEmpty }
}
