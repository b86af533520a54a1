import Database

extension Store {
    /// Stops this connection from checkpointing the WAL when a commit makes it long: for a writer
    /// whose commits must stay short, while another connection checkpoints (`checkpoint()`).
    public func disableAutomaticCheckpoints() throws {
        guard connection.engine == .sqlite else { return }
        try guarded { _ = try connection.scalarInt("PRAGMA wal_autocheckpoint = 0") }
    }

    /// Copies what the WAL holds into the database file without waiting for readers or writers
    /// (SQLite's PASSIVE checkpoint); returns the WAL frames copied so far. (Other engines
    /// checkpoint on their own: both are no-ops there.)
    @discardableResult
    public func checkpoint() throws -> Int64 {
        guard connection.engine == .sqlite else { return 0 }
        return try guarded {
            try connection.first("PRAGMA wal_checkpoint(PASSIVE)") { $0.int(2) } ?? 0
        }
    }
}
