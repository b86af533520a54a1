import Database

/// What the store refuses or cannot do, worded for the operator.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }

    static func notFound(_ what: String, _ key: String) -> StoreError { StoreError("unknown \(what) '\(key)'") }

    /// Turns the engine's wording into the operator's, keeping the engine's message for anything unexpected.
    static func wrapping(_ error: DatabaseError, path: String) -> StoreError {
        switch error.kind {
        case .notADatabase: return StoreError("\(path) is not an invoice database (not an SQLite file)")
        case .busy: return StoreError("the database \(path) is busy; another invoice process holds it, try again")
        default: return StoreError("database error: \(error.message)")
        }
    }
}
