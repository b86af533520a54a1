import CSQLite

/// The current row of a stepping statement; valid only inside the closure it is passed to.
public struct Row {
    let statement: OpaquePointer

    init(_ statement: OpaquePointer) { self.statement = statement }

    public var columnCount: Int { Int(sqlite3_column_count(statement)) }

    public func isNull(_ index: Int) -> Bool { sqlite3_column_type(statement, Int32(index)) == SQLITE_NULL }

    public func int(_ index: Int) -> Int64 { sqlite3_column_int64(statement, Int32(index)) }

    public func optionalInt(_ index: Int) -> Int64? { isNull(index) ? nil : int(index) }

    public func bool(_ index: Int) -> Bool { int(index) != 0 }

    public func text(_ index: Int) -> String {
        guard let pointer = sqlite3_column_text(statement, Int32(index)) else { return "" }
        let count = Int(sqlite3_column_bytes(statement, Int32(index)))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    public func optionalText(_ index: Int) -> String? { isNull(index) ? nil : text(index) }

    public func blob(_ index: Int) -> [UInt8] {
        let count = Int(sqlite3_column_bytes(statement, Int32(index)))
        guard count > 0, let pointer = sqlite3_column_blob(statement, Int32(index)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Row: Sendable {}
