/// A failure reported by a database engine, classified so the store can word it for the operator
/// and decide what to retry, whichever engine reported it.
public struct DatabaseError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// Another process holds a lock (SQLite BUSY/LOCKED, PostgreSQL 55P03 lock_not_available).
        case busy
        /// A UNIQUE constraint or primary key was violated (SQLite CONSTRAINT_UNIQUE, PostgreSQL 23505).
        case uniqueViolation
        /// Any other constraint (NOT NULL, CHECK, FOREIGN KEY: SQLite CONSTRAINT_*, PostgreSQL 23xxx).
        case constraint
        /// The transaction could not be serialized or deadlocked (PostgreSQL 40001, 40P01): retry it whole.
        case serializationFailure
        /// The file or server is not an invoice database at all (SQLite NOTADB).
        case notADatabase
        /// The database cannot be written (SQLite READONLY, PostgreSQL 25006).
        case readOnly
        /// The disk is full (SQLite FULL, PostgreSQL 53100).
        case diskFull
        /// The connection could not be made or was lost (PostgreSQL 08xxx, libpq connection failures).
        case connection
        case other
    }

    public let kind: Kind
    /// The engine's own code: SQLite's extended result code as a number, PostgreSQL's SQLSTATE.
    public let code: String
    public let message: String
    public let sql: String?

    public init(kind: Kind, code: String, message: String, sql: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var description: String { message }
}
