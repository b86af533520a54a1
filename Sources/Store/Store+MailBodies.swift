import Database

/// Where the bytes of queued mail live. SQLite: files in the Outbox folder beside the database (one
/// host holds both). PostgreSQL: the table `mail_bodies`, one row per queue row, written in the
/// transaction that queues the message, so a mailing run on any host reads them from the database.
extension Store {
    /// Whether this store keeps the bytes of queued mail in the database (PostgreSQL).
    public var keepsMailBodies: Bool { isPostgres }

    func storeMailBody(id: Int64, _ body: [UInt8]) throws {
        try connection.run("INSERT INTO mail_bodies (mail_id, data) VALUES (?, ?)", [.integer(id), .blob(body)])
    }

    /// The stored bytes of queued message `id`, or nil when the database has none (SQLite, or a
    /// message queued on PostgreSQL before its bytes moved into the database: read from its file).
    public func mailBody(id: Int64) throws -> [UInt8]? {
        guard keepsMailBodies else { return nil }
        return try guarded {
            try connection.first("SELECT data FROM mail_bodies WHERE mail_id = ?", [.integer(id)]) { $0.blob(0) }
        }
    }

    /// How many queued messages have their bytes in the database (for `db copy`'s report and tests).
    public func mailBodyCount() throws -> Int64 {
        try guarded { try connection.scalarInt("SELECT count(*) FROM mail_bodies") }
    }
}
