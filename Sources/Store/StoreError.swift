import Database

/// What the store refuses or cannot do, worded for the operator.
public struct StoreError: Error, Sendable, CustomStringConvertible {
    /// What an operator must do differs: free space, make the file writable, or just try again.
    public enum Kind: Sendable, Equatable {
        case other
        case diskFull
        case readOnly
        /// PostgreSQL could not serialize the transaction (40001/40P01): it is doomed and runs again
        /// from its start (the connection's transaction retries it); a savepoint must not swallow it.
        case mustRunAgain
        /// An id, number or name that names nothing (the API answers 404).
        case notFound
        /// A row that must be unique exists already (a concurrent writer won the race).
        case duplicate
    }

    public let message: String
    public let kind: Kind

    public init(_ message: String, kind: Kind = .other) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }

    /// "the database PATH cannot be written (its file system is read-only); nothing was changed"
    static func readOnly(_ path: String, because reason: String) -> StoreError {
        StoreError("the database \(path) cannot be written (\(reason)); nothing was changed", kind: .readOnly)
    }

    static func notFound(_ what: String, _ key: String) -> StoreError { StoreError("unknown \(what) '\(key)'", kind: .notFound) }

    /// Turns the engine's wording into the operator's, keeping the engine's message for anything unexpected.
    static func wrapping(_ error: DatabaseError, path: String) -> StoreError {
        // SQLite says "disk I/O error" (IOERR, primary code 10) when not even a journal page fits: the free
        // space decides.
        let onServer = Store.isPostgres(path)
        let ioError = !onServer && (Int(error.code).map { $0 & 0xFF == 10 } ?? false)
        switch error.kind {
        case .diskFull where onServer:
            return StoreError("the PostgreSQL server of \(path) has no disk space left; nothing was changed, free some space and run it again",
                              kind: .diskFull)
        case .readOnly where onServer:
            return StoreError("the database \(path) cannot be written (a read-only server or transaction); nothing was changed",
                              kind: .readOnly)
        case .notADatabase: return StoreError("\(path) is not an invoice database (not an SQLite file)")
        case .busy: return StoreError("the database \(path) is busy; another invoice process holds it, try again")
        case .serializationFailure:
            return StoreError("database error: \(error.message) (the transaction runs again)", kind: .mustRunAgain)
        case .diskFull:
            return StoreError(DiskSpace.fullMessage(near: path) + "; nothing was changed, free some space and run it again",
                              kind: .diskFull)
        case .readOnly:
            return readOnly(path, because: Store.writeObstacle(path) ?? "read-only file or file system")
        case .connection where Store.writeObstacle(path) != nil:
            // SQLite cannot open a WAL database whose -shm it cannot create: "unable to open database file".
            return readOnly(path, because: Store.writeObstacle(path) ?? "")
        case .uniqueViolation: return StoreError("database error: \(error.message)", kind: .duplicate)
        default:
            if ioError && DiskSpace.isFull(near: path) {
                return StoreError(DiskSpace.fullMessage(near: path) + "; nothing was changed, free some space and run it again",
                                  kind: .diskFull)
            }
            return StoreError("database error: \(error.message)")
        }
    }
}
