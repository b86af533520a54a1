import SQLite

/// What the store refuses or cannot do, worded for the operator.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What an operator must do differs: free space, make the file writable, or just try again.
    public enum Kind: Sendable, Equatable {
        case other
        case diskFull
        case readOnly
    }

    public let message: String
    public let kind: Kind

    public init(_ message: String, kind: Kind = .other) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }

    static func notFound(_ what: String, _ key: String) -> StoreError { StoreError("unknown \(what) '\(key)'") }

    /// Turns SQLite's wording into the operator's, keeping SQLite's message for anything unexpected.
    static func wrapping(_ error: SQLiteError, path: String) -> StoreError {
        if error.isNotADatabase { return StoreError("\(path) is not an invoice database (not an SQLite file)") }
        if error.isBusy { return StoreError("the database \(path) is busy; another invoice process holds it, try again") }
        // SQLite says "disk I/O error" when not even a journal page fits: the free space decides.
        if error.isDiskFull || (error.isIOError && DiskSpace.isFull(near: path)) {
            return StoreError(DiskSpace.fullMessage(near: path) + "; nothing was changed, free some space and run it again",
                              kind: .diskFull)
        }
        if error.isReadOnly {
            return StoreError("the database \(path) cannot be written (read-only file or file system); nothing was changed",
                              kind: .readOnly)
        }
        return StoreError("database error: \(error.message)")
    }
}
