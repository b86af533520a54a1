import Database

/// A payment provider's event as the webhook stored it.
public struct WebhookEventRecord: Sendable, Hashable {
    public let id: String
    public let receivedAt: String
    public let payload: String
    /// `received` (stored, not yet applied), `applied`, or `ignored` (a type we do not act on).
    public let status: String
    /// What applying it did, as the JSON the provider was answered with.
    public let result: String
}

extension Store {
    /// Stores an event under its id unless one with that id is already stored; true when it was new.
    public func recordWebhookEvent(id: String, payload: String) throws -> Bool {
        try write {
            try connection.run("""
                INSERT INTO webhook_events (id, received_at, payload, status) VALUES (?, ?, ?, 'received')
                ON CONFLICT (id) DO NOTHING
                """, [.text(id), .text(Store.timestamp()), .text(payload)]) == 1
        }
    }

    /// Records how an event was applied.
    public func finishWebhookEvent(id: String, status: String, result: String) throws {
        try write {
            _ = try connection.run("UPDATE webhook_events SET status = ?, result = ? WHERE id = ?",
                                   [.text(status), .text(result), .text(id)])
        }
    }

    public func webhookEvent(id: String) throws -> WebhookEventRecord? {
        try read {
            try connection.first("SELECT id, received_at, payload, status, result FROM webhook_events WHERE id = ?",
                                 [.text(id)]) { row in
                WebhookEventRecord(id: row.text(0), receivedAt: row.text(1), payload: row.text(2),
                                   status: row.text(3), result: row.text(4))
            }
        }
    }

    /// The id of the issued invoice with this number; nil when there is none (ids are not accepted here).
    public func invoiceID(number: String) throws -> Int64? {
        try read {
            try connection.first("SELECT id FROM invoices WHERE number = ?", [.text(number)]) { $0.int(0) }
        }
    }
}
