import SQLite

/// What the store refuses or cannot do, worded for the operator.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static func notFound(_ what: String, _ key: String) -> StoreError { StoreError("unknown \(what) '\(key)'") }

    /// Turns SQLite's wording into the operator's, keeping SQLite's message for anything unexpected.
    static func wrapping(_ error: SQLiteError, path: String) -> StoreError {
        if error.isNotADatabase { return StoreError("\(path) is not an invoice database (not an SQLite file)") }
        if error.isBusy { return StoreError("the database \(path) is busy; another invoice process holds it, try again") }
        return StoreError("database error: \(error.message)")
    }
}
