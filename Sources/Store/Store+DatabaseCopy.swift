import Billing
import Database
import Foundation
import Postgres
import SQLite

/// `invoice db copy --to URI`: the whole desk, table by table, into an empty PostgreSQL database, in
/// one transaction of the target, checked before it commits.
///
/// The copy is generic over the schema: the tables are read from the databases' catalogs (every table
/// the migrations made, whoever appended them), the columns and their types from the target, and
/// the tables are filled parents first (the target's foreign keys, each table in id order for its
/// own references). Identity counters of the target start after the copied ids. Rows the migrations
/// themselves write into a new database (the audit chain's head) do not make a target "not empty";
/// the copy replaces them with the source's rows by primary key (the audit tables' triggers refuse a
/// DELETE but not an INSERT … ON CONFLICT DO UPDATE of the head).
public struct DatabaseCopyReport: Sendable, Hashable {
    public struct Table: Sendable, Hashable {
        public var name: String
        public var source: Int64
        public var target: Int64
    }

    /// One money total, read on both sides (minor units of its currency).
    public struct Total: Sendable, Hashable {
        public var what: String
        public var currency: String
        public var source: Money
        public var target: Money
    }

    public var target: String
    public var tables: [Table] = []
    public var totals: [Total] = []
    /// Queued messages whose bytes went into the target's `mail_bodies` from the source's Outbox files.
    public var mailBodiesFromFiles = 0
}

extension Store {
    /// The tables of the invoice schema in this database, by name (the catalog's list, without the
    /// engine's own tables and without `schema_version`, which each engine keeps its own way).
    public func tableNames() throws -> [String] {
        try guarded { try Store.tableNames(connection) }
    }

    static func tableNames(_ connection: any DatabaseConnection) throws -> [String] {
        switch connection.engine {
        case .sqlite:
            return try connection.query("""
                SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """) { $0.text(0) }
        case .postgres:
            return try connection.query("""
                SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_version'
                ORDER BY tablename
                """) { $0.text(0) }
        }
    }

    /// Column names of `table`, in order.
    static func columnNames(_ connection: any DatabaseConnection, table: String) throws -> [String] {
        switch connection.engine {
        case .sqlite:
            return try connection.query("SELECT name FROM pragma_table_info(?) ORDER BY cid", [.text(table)]) { $0.text(0) }
        case .postgres:
            return try postgresColumns(connection, table: table).map(\.name)
        }
    }

    /// Column names and types of `table` on PostgreSQL.
    static func postgresColumns(_ connection: any DatabaseConnection, table: String) throws -> [(name: String, type: String)] {
        try connection.query("""
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position
            """, [.text(table)]) { ($0.text(0), $0.text(1)) }
    }

    /// The tables in an order that fills every referenced table before the tables referring to it
    /// (the target's foreign keys; a table's references to itself are served by copying in id order).
    static func parentsFirst(_ tables: [String], _ connection: any DatabaseConnection) throws -> [String] {
        var parents: [String: Set<String>] = [:]
        try connection.forEach("""
            SELECT a.relname, b.relname FROM pg_constraint c JOIN pg_class a ON a.oid = c.conrelid
            JOIN pg_class b ON b.oid = c.confrelid JOIN pg_namespace n ON n.oid = a.relnamespace
            WHERE c.contype = 'f' AND n.nspname = current_schema()
            """) { row in
            let child = row.text(0), parent = row.text(1)
            if child != parent { parents[child, default: []].insert(parent) }
        }
        var ordered: [String] = []
        var done: Set<String> = []
        var left = tables
        while !left.isEmpty {
            let ready = left.filter { (parents[$0] ?? []).allSatisfy { done.contains($0) || !tables.contains($0) } }
            // A cycle of references (none in the schema today): the rest in name order; a row whose
            // parent is not there yet fails the copy with the database's message, and nothing lands.
            let next = ready.isEmpty ? left : ready
            ordered += next
            done.formUnion(next)
            left.removeAll { done.contains($0) }
        }
        return ordered
    }

    /// The rows each table holds in a new database, written by the migrations themselves (the audit
    /// chain's head today): counted on a scratch SQLite file migrated here, so a later migration that
    /// seeds a table is known without a list to keep. The migrations seed alike on both engines.
    static func seededRows() throws -> [String: Int64] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("invoice-seeds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var seeded: [String: Int64] = [:]
        do {
            let scratch = try Connection(path: folder.appendingPathComponent("seeds.sqlite").path)
            try Schema.migrate(scratch)
            for table in try tableNames(scratch) {
                let rows = try scratch.scalarInt("SELECT count(*) FROM \(quoted(table))")
                if rows > 0 { seeded[table] = rows }
            }
        }
        return seeded
    }

    /// The columns of `table`'s primary key on PostgreSQL, in key order.
    static func primaryKey(_ connection: any DatabaseConnection, table: String) throws -> [String] {
        let key = try connection.query("""
            SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
            WHERE i.indisprimary AND n.nspname = current_schema() AND c.relname = ? ORDER BY k.position
            """, [.text(table)]) { $0.text(0) }
        guard !key.isEmpty else {
            throw StoreError("the table \(table) has rows of its own in a new database but no primary key to replace them by; nothing changed")
        }
        return key
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Copies every table of this store into the empty PostgreSQL database at `location`, in one
    /// transaction there, and checks row counts and money totals on both sides before committing.
    /// `fileBody(id, file)` reads the bytes of a queued message from this store's Outbox (SQLite keeps
    /// them as files); they go into the target's `mail_bodies`. Refuses a target that is not empty.
    public func copyDatabase(to location: String, fileBody: (Int64, String) throws -> [UInt8]?) throws -> DatabaseCopyReport {
        let shown = Store.displayLocation(location)
        guard Store.isPostgres(location) else {
            throw StoreError("db copy --to takes a PostgreSQL connection URI (postgresql://…), not \(location); nothing changed")
        }
        let target: any DatabaseConnection
        do { target = try Store.openConnection(location) } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: shown)
        }
        do {
            return try read {
                try target.transaction(.immediate) {
                    try copy(into: target, shown: shown, fileBody: fileBody)
                }
            }
        } catch let error as DatabaseError {
            throw StoreError.wrapping(error, path: shown)
        }
    }

    private func copy(into target: any DatabaseConnection, shown: String,
                      fileBody: (Int64, String) throws -> [UInt8]?) throws -> DatabaseCopyReport {
        // Empty means: no table at all, or the invoice schema (`invoice init`) with no row in any table.
        let hasSchema = try target.scalarInt("SELECT CASE WHEN to_regclass('schema_version') IS NULL THEN 0 ELSE 1 END") == 1
        if !hasSchema {
            let other = try Store.tableNames(target)
            if let first = other.first {
                throw StoreError("\(shown) is not empty (it has a table \(first) and no invoice schema); db copy needs an empty database; nothing changed")
            }
        }
        try Schema.migrate(target)
        let tables = try Store.tableNames(connection)
        let seeded = try Store.seededRows()
        for table in try Store.tableNames(target) {
            let rows = try target.scalarInt("SELECT count(*) FROM \(Store.quoted(table))")
            if rows > seeded[table, default: 0] {
                throw StoreError("\(shown) is not empty (\(table) has \(rows) row\(rows == 1 ? "" : "s")); db copy needs an empty database; nothing changed")
            }
        }
        let targetTables = Set(try Store.tableNames(target))
        if let missing = tables.first(where: { !targetTables.contains($0) }) {
            throw StoreError("\(shown) has no table \(missing) (is it of another version of invoice?); nothing changed")
        }
        var report = DatabaseCopyReport(target: shown)
        for table in try Store.parentsFirst(tables, target) {
            let columns = try Store.postgresColumns(target, table: table)
            let sourceColumns = Set(try Store.columnNames(connection, table: table))
            if let missing = columns.first(where: { !sourceColumns.contains($0.name) }) {
                throw StoreError("the table \(table) has no column \(missing.name) here but has it in \(shown); nothing changed")
            }
            let names = columns.map { Store.quoted($0.name) }.joined(separator: ", ")
            let order = columns.contains { $0.name == "id" } ? " ORDER BY id" : ""
            var insert = "INSERT INTO \(Store.quoted(table)) (\(names)) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
            if seeded[table] != nil {
                // The migrations' own rows of this table give way to the source's (same key, its values).
                let key = try Store.primaryKey(target, table: table)
                let updates = columns.filter { !key.contains($0.name) }.map { "\(Store.quoted($0.name)) = excluded.\(Store.quoted($0.name))" }
                insert += " ON CONFLICT (\(key.map(Store.quoted).joined(separator: ", "))) "
                    + (updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(updates.joined(separator: ", "))")
            }
            try connection.forEach("SELECT \(names) FROM \(Store.quoted(table))\(order)", [], reuse: .once) { row in
                var values: [SQLValue] = []
                values.reserveCapacity(columns.count)
                for (index, column) in columns.enumerated() {
                    if row.isNull(index) { values.append(.null); continue }
                    switch column.type {
                    case "bigint", "integer", "smallint": values.append(.integer(row.int(index)))
                    case "bytea": values.append(.blob(row.blob(index)))
                    default: values.append(.text(row.text(index)))
                    }
                }
                try target.run(insert, values, reuse: .cached)
            }
        }
        // The bytes of queued mail: files in this store's Outbox (SQLite) become rows of mail_bodies.
        if !keepsMailBodies {
            try connection.forEach("SELECT id, file, state FROM mail_queue ORDER BY id") { row in
                let id = row.int(0), file = row.text(1), state = row.text(2)
                if let body = try fileBody(id, file) {
                    try target.run("INSERT INTO mail_bodies (mail_id, data) VALUES (?, ?)", [.integer(id), .blob(body)])
                    report.mailBodiesFromFiles += 1
                } else if !["sent", "cancelled"].contains(state) {
                    throw StoreError("message \(id) is \(state) but its file \(file) is not in the outbox; nothing changed")
                }
            }
        }
        // Identity columns continue after the copied ids (an insert with its id leaves them at 1).
        let identities = try target.query("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name
            """) { ($0.text(0), $0.text(1)) }
        for (table, column) in identities {
            try target.first("""
                SELECT setval(pg_get_serial_sequence(?, ?), coalesce((SELECT max(\(Store.quoted(column))) FROM \(Store.quoted(table))), 0) + 1, false)
                """, [.text(Store.quoted(table)), .text(column)], reuse: .once) { _ in () }
        }
        // The check, before the commit: every table's rows, then the money.
        for table in tables {
            let source = try connection.scalarInt("SELECT count(*) FROM \(Store.quoted(table))")
            let copied = try target.scalarInt("SELECT count(*) FROM \(Store.quoted(table))")
            // mail_bodies also holds the bytes read from the Outbox files (SQLite keeps none in the table).
            let expected = source + (table == "mail_bodies" && !keepsMailBodies ? Int64(report.mailBodiesFromFiles) : 0)
            guard copied == expected else {
                throw StoreError("the copy of \(table) has \(copied) rows, this database \(expected); nothing changed")
            }
            report.tables.append(.init(name: table, source: expected, target: copied))
        }
        for (what, sql) in Store.copyTotals {
            let here = try Store.totals(sql, connection)
            let there = try Store.totals(sql, target)
            guard here.map(\.key) == there.map(\.key) else {
                throw StoreError("the copy's \(what) are in other currencies than this database's; nothing changed")
            }
            for ((currency, source), (_, copied)) in zip(here, there) {
                let code = try Currency(code: currency)
                let total = DatabaseCopyReport.Total(what: what, currency: currency, source: Money(minorUnits: source, currency: code),
                                                     target: Money(minorUnits: copied, currency: code))
                guard source == copied else {
                    throw StoreError("the copy's \(what) in \(currency) are \(total.target.decimalString), this database's \(total.source.decimalString); nothing changed")
                }
                report.totals.append(total)
            }
        }
        return report
    }

    /// The money totals `db copy` checks on both sides, per currency (SQL both engines read alike).
    static let copyTotals: [(String, String)] = [
        ("invoiced totals", "SELECT currency, coalesce(sum(total), 0) FROM invoices WHERE kind = 'invoice' AND status <> 'draft' GROUP BY currency ORDER BY currency"),
        ("amounts paid on invoices", "SELECT currency, coalesce(sum(paid), 0) FROM invoices WHERE kind = 'invoice' GROUP BY currency ORDER BY currency"),
        ("credit note totals", "SELECT currency, coalesce(sum(total), 0) FROM invoices WHERE kind = 'credit_note' AND status <> 'draft' GROUP BY currency ORDER BY currency"),
        ("payments", "SELECT i.currency, coalesce(sum(p.amount), 0) FROM payments p JOIN invoices i ON i.id = p.invoice_id GROUP BY i.currency ORDER BY i.currency"),
        ("credit balances", "SELECT currency, coalesce(sum(amount), 0) FROM credit_ledger GROUP BY currency ORDER BY currency"),
        ("refunds", "SELECT currency, coalesce(sum(amount), 0) FROM refunds GROUP BY currency ORDER BY currency"),
    ]

    static func totals(_ sql: String, _ connection: any DatabaseConnection) throws -> [(key: String, value: Int64)] {
        try connection.query(sql) { ($0.text(0), $0.int(1)) }
    }
}
