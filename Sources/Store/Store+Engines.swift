import Database
import SQLite

extension Store {
    /// The one place that picks the engine for a database location (`--db`, `INVOICE_DB`).
    static func openConnection(_ location: String) throws -> any DatabaseConnection {
        try Connection(path: location)
    }
}
