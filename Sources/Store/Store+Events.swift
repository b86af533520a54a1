import Billing
import Database

/// An event noted during a write transaction: written, with its payload built from the objects as
/// they stand then, just before the transaction commits (so the payload is what `--json` prints
/// once the command is done, and a command that fails writes none).
struct PendingEvent {
    /// Events noted under one key in one transaction are one event; nil: never merged.
    let key: String?
    let write: () throws -> Void
}

/// One event for the operator's app (`events list`, `events show`).
public struct StoredEvent: Sendable, Hashable {
    public var id: Int64
    public var type: String
    public var customerID: Int64
    public var sequence: Int64
    public var payload: String
    public var createdAt: String
    /// The Standard Webhooks message id: the same for every attempt and every endpoint.
    public var webhookID: String { "evt_\(id)" }
}

extension Store {
    /// Notes an event of the open write transaction. `key` merges notes of one fact (one `invoice.paid`
    /// per invoice and transaction, however many paths noticed it); nil for an event that is a fact of
    /// its own each time (a payment, a renewal: two in one transaction are two events). Outside a
    /// transaction it is written at once.
    public func noteEvent(key: String?, _ write: @escaping () throws -> Void) throws {
        guard writeDepth > 0 else { return try self.write { try write() } }
        if let key, pendingEvents.contains(where: { $0.key == key }) { return }
        pendingEvents.append(PendingEvent(key: key, write: write))
    }

    /// Runs one attempt of the outermost write transaction's body, then writes its noted events in the
    /// order they were noted (an attempt run again on PostgreSQL starts with none).
    func withPendingEvents<T>(_ body: () throws -> T) throws -> T {
        pendingEvents = []
        let result = try body()
        var rounds = 0
        while !pendingEvents.isEmpty, rounds < 10 {
            let batch = pendingEvents
            pendingEvents = []
            for event in batch { try event.write() }
            rounds += 1
        }
        pendingEvents = []
        return result
    }

    /// Writes one event: the customer's next sequence number (its counter row, locked by the update
    /// on PostgreSQL), the payload `build` makes from it and the time, and one delivery row for each
    /// enabled endpoint whose filter takes the type. With `onceKey`, an event already written under
    /// that key writes nothing (returns nil).
    @discardableResult
    public func recordEvent(type: String, customerID: Int64, onceKey: String? = nil,
                            build: (_ sequence: Int64, _ timestamp: String) throws -> String) throws -> Int64? {
        try write {
            if let onceKey, try connection.first("SELECT 1 FROM events WHERE once_key = ?", [.text(onceKey)], { _ in true }) != nil {
                return nil
            }
            guard let sequence = try connection.first("""
                INSERT INTO event_sequences (customer_id, last_seq) VALUES (?, 1)
                ON CONFLICT (customer_id) DO UPDATE SET last_seq = event_sequences.last_seq + 1 RETURNING last_seq
                """, [.integer(customerID)], { $0.int(0) }) else { throw StoreError("no event sequence for customer \(customerID)") }
            let stamp = Store.timestamp()
            let payload = try build(sequence, stamp)
            let id = try connection.insert("""
                INSERT INTO events (type, customer_id, seq, once_key, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(type), .integer(customerID), .integer(sequence), onceKey.map { .text($0) } ?? .null,
                      .text(payload), .text(stamp)])
            for endpoint in try endpoints() where endpoint.isEnabled && endpoint.accepts(type) {
                try connection.run("""
                    INSERT INTO event_deliveries (event_id, endpoint_id, state, next_attempt_at, updated_at)
                    VALUES (?, ?, 'pending', 0, ?)
                    """, [.integer(id), .integer(endpoint.id), .text(stamp)])
            }
            return id
        }
    }

    /// Whether an event was written under `onceKey`.
    public func eventExists(onceKey: String) throws -> Bool {
        try guarded { try connection.first("SELECT 1 FROM events WHERE once_key = ?", [.text(onceKey)], { _ in true }) != nil }
    }

    static let eventColumns = "id, type, customer_id, seq, payload, created_at"

    func storedEvent(_ row: Row) -> StoredEvent {
        StoredEvent(id: row.int(0), type: row.text(1), customerID: row.int(2), sequence: row.int(3), payload: row.text(4),
                    createdAt: row.text(5))
    }

    public func event(id: Int64) throws -> StoredEvent {
        guard let event = try guarded({
            try connection.first("SELECT \(Store.eventColumns) FROM events WHERE id = ?", [.integer(id)], storedEvent)
        }) else { throw StoreError("no event \(id)") }
        return event
    }

    /// Events in order of id, optionally of one type (or `prefix.*`), after `after`.
    public func events(type: String? = nil, after: Int64 = 0, limit: Int = 1_000) throws -> [StoredEvent] {
        try guarded {
            var sql = "SELECT \(Store.eventColumns) FROM events WHERE id > ?"
            var values: [SQLValue] = [.integer(after)]
            if let type {
                if type.hasSuffix(".*") {
                    sql += " AND substr(type, 1, ?) = ?"
                    let prefix = String(type.dropLast())
                    values += [.integer(Int64(prefix.count)), .text(prefix)]
                } else {
                    sql += " AND type = ?"
                    values.append(.text(type))
                }
            }
            sql += " ORDER BY id LIMIT ?"
            values.append(.integer(Int64(limit)))
            return try connection.query(sql, values, reuse: .once, storedEvent)
        }
    }
}

extension Store {
    /// The customer of the invoice with this number (or id), if there is one.
    public func invoiceCustomerID(reference: String) throws -> Int64? {
        try guarded {
            if let id = try connection.first("SELECT customer_id FROM invoices WHERE number = ?", [.text(reference)], { $0.int(0) }) {
                return id
            }
            guard let id = Int64(reference) else { return nil }
            return try connection.first("SELECT customer_id FROM invoices WHERE id = ?", [.integer(id)]) { $0.int(0) }
        }
    }
}

extension Store {
    /// Invoices open or partly paid past their due date on `day`, in id order.
    public func overdueInvoiceIDs(on day: Day) throws -> [Int64] {
        try guarded {
            try connection.query("""
                SELECT id FROM invoices WHERE status IN ('open', 'partially_paid') AND due_date < ? ORDER BY id
                """, [.text(day.description)]) { $0.int(0) }
        }
    }

    /// Trials whose last day is between `from` and `through`, with that day.
    public func trialsEnding(from: Day, through: Day) throws -> [(id: Int64, end: Day)] {
        try guarded {
            try connection.query("""
                SELECT id, "end" FROM bookings WHERE status = 'trial' AND "end" >= ? AND "end" <= ? ORDER BY id
                """, [.text(from.description), .text(through.description)]) { (id: $0.int(0), end: try Day(parsing: $0.text(1))) }
        }
    }
}
