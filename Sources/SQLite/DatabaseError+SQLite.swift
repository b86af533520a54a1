import CSQLite
import Database

extension DatabaseError {
    /// SQLite's failure as the store's engine-neutral error: the kind from the primary result code
    /// (a UNIQUE or PRIMARY KEY violation from the extended one), the extended code as `code`.
    init(sqlite code: Int32, message: String, sql: String? = nil) {
        self.init(kind: Self.kind(sqlite: code), code: String(code), message: message, sql: sql)
    }

    static func kind(sqlite code: Int32) -> Kind {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_CONSTRAINT:
            // SQLITE_CONSTRAINT_PRIMARYKEY (6 << 8) and SQLITE_CONSTRAINT_UNIQUE (8 << 8): macros Swift does not import.
            let detail = code >> 8
            return detail == 6 || detail == 8 ? .uniqueViolation : .constraint
        case SQLITE_NOTADB: return .notADatabase
        case SQLITE_READONLY: return .readOnly
        case SQLITE_FULL: return .diskFull
        case SQLITE_CANTOPEN: return .connection
        default: return .other
        }
    }
}
