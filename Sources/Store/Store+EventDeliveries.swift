import Billing
import Database

/// One event on its way to one endpoint.
public struct EventDelivery: Sendable, Hashable {
    public enum State: String, Sendable, CaseIterable {
        case pending, delivering, delivered, failed
    }

    public var id: Int64
    public var eventID: Int64
    public var endpointID: Int64
    public var state: State
    public var attempts: Int
    /// Queue-clock seconds of the next attempt (0: at once).
    public var nextAttemptAt: Int64
    public var leaseOwner: String?
    public var leaseUntil: Int64?
    public var lastStatus: Int?
    public var updatedAt: String
}

/// One try of a delivery: the HTTP status (0 when there was no answer), how long it took, the first
/// bytes of the answer, what went wrong.
public struct DeliveryAttempt: Sendable, Hashable {
    public var attemptedAt: String
    public var status: Int
    public var latencyMilliseconds: Int64
    public var answer: String
    public var error: String

    public init(attemptedAt: String, status: Int, latencyMilliseconds: Int64, answer: String, error: String) {
        self.attemptedAt = attemptedAt
        self.status = status
        self.latencyMilliseconds = latencyMilliseconds
        self.answer = answer
        self.error = error
    }
}

/// A claimed delivery with what sending it takes.
public struct ClaimedDelivery: Sendable {
    public var delivery: EventDelivery
    public var event: StoredEvent
    public var endpoint: EventEndpoint
}

extension Store {
    static let deliveryColumns = """
        id, event_id, endpoint_id, state, attempts, next_attempt_at, lease_owner, lease_until, last_status, updated_at
        """

    func delivery(_ row: Row) throws -> EventDelivery {
        guard let state = EventDelivery.State(rawValue: row.text(3)) else { throw StoreError("unknown delivery state '\(row.text(3))'") }
        return EventDelivery(id: row.int(0), eventID: row.int(1), endpointID: row.int(2), state: state, attempts: Int(row.int(4)),
                             nextAttemptAt: row.int(5), leaseOwner: row.optionalText(6), leaseUntil: row.optionalInt(7),
                             lastStatus: row.optionalInt(8).map { Int($0) }, updatedAt: row.text(9))
    }

    /// Claims up to `limit` deliveries of one endpoint that are due at `now` (queue clock), or whose
    /// lease ran out at `wallNow` (a run that died: delivered again, with the same webhook-id), for
    /// `owner` until `leaseUntil`: the endpoint of the oldest due delivery, among the enabled endpoints
    /// not in `excluding` (the run's busy and failing ones, so one slow endpoint never holds up
    /// another's deliveries). Atomic: two runs get disjoint sets (on PostgreSQL, rows another claim
    /// locked are skipped).
    public func claimDueDeliveries(now: Int64, wallNow: Int64, owner: String, leaseUntil: Int64, limit: Int,
                                   excluding: Set<Int64> = []) throws -> [ClaimedDelivery] {
        try write {
            let skipLocked = isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
            let due = "((d.state = 'pending' AND d.next_attempt_at <= ?) OR (d.state = 'delivering' AND d.lease_until < ?))"
            let excluded = excluding.sorted()
            let notIn = excluded.isEmpty ? "" : " AND d.endpoint_id NOT IN (\(excluded.map { _ in "?" }.joined(separator: ", ")))"
            guard let endpointID = try connection.first("""
                SELECT d.endpoint_id FROM event_deliveries d JOIN endpoints e ON e.id = d.endpoint_id
                WHERE \(due) AND e.disabled_reason IS NULL\(notIn) ORDER BY d.next_attempt_at, d.id LIMIT 1
                """, [.integer(now), .integer(wallNow)] + excluded.map { .integer($0) }, { $0.int(0) })
            else { return [] }
            let endpoint = try endpoint(id: endpointID)
            let ids = try connection.query("""
                SELECT d.id FROM event_deliveries d WHERE d.endpoint_id = ? AND \(due) ORDER BY d.next_attempt_at, d.id LIMIT ?\(skipLocked)
                """, [.integer(endpointID), .integer(now), .integer(wallNow), .integer(Int64(limit))]) { $0.int(0) }
            let stamp = Store.timestamp()
            var claimed: [ClaimedDelivery] = []
            for id in ids {
                try connection.run("""
                    UPDATE event_deliveries SET state = 'delivering', lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?
                    """, [.text(owner), .integer(leaseUntil), .text(stamp), .integer(id)])
                let delivery = try deliveryRow(id: id)
                claimed.append(ClaimedDelivery(delivery: delivery, event: try event(id: delivery.eventID), endpoint: endpoint))
            }
            return claimed
        }
    }

    /// Gives claimed deliveries back without counting an attempt (their endpoint failed in this run).
    public func releaseDeliveries(ids: [Int64], owner: String) throws {
        try write {
            for id in ids {
                try connection.run("""
                    UPDATE event_deliveries SET state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = ?
                    WHERE id = ? AND state = 'delivering' AND lease_owner = ?
                    """, [.text(Store.timestamp()), .integer(id), .text(owner)])
            }
        }
    }

    func deliveryRow(id: Int64) throws -> EventDelivery {
        guard let found = try connection.first("SELECT \(Store.deliveryColumns) FROM event_deliveries WHERE id = ?", [.integer(id)], delivery)
        else { throw StoreError("no delivery \(id)") }
        return found
    }

    /// Records one attempt, only while `owner` still holds the lease (returns false if not): the
    /// delivery becomes `state` (`delivered`, `pending` again at `nextAttemptAt`, or `failed`), and
    /// with `disableEndpoint` its endpoint is disabled with that reason, in the same transaction.
    @discardableResult
    public func recordDeliveryAttempt(id: Int64, owner: String, attempt: DeliveryAttempt, state: EventDelivery.State,
                                      nextAttemptAt: Int64?, disableEndpoint: String? = nil) throws -> Bool {
        try write {
            let changed = try connection.run("""
                UPDATE event_deliveries SET state = ?, attempts = attempts + 1, next_attempt_at = coalesce(?, next_attempt_at),
                    last_status = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
                WHERE id = ? AND state = 'delivering' AND lease_owner = ?
                """, [.text(state.rawValue), nextAttemptAt.map { .integer($0) } ?? .null, .integer(Int64(attempt.status)),
                      .text(Store.timestamp()), .integer(id), .text(owner)])
            guard changed == 1 else { return false }
            try connection.run("""
                INSERT INTO delivery_attempts (delivery_id, attempted_at, status, latency_ms, answer, error) VALUES (?, ?, ?, ?, ?, ?)
                """, [.integer(id), .text(attempt.attemptedAt), .integer(Int64(attempt.status)), .integer(attempt.latencyMilliseconds),
                      .text(attempt.answer), .text(attempt.error)])
            if let disableEndpoint {
                try connection.run("""
                    UPDATE endpoints SET disabled_reason = ? WHERE id = (SELECT endpoint_id FROM event_deliveries WHERE id = ?)
                        AND disabled_reason IS NULL
                    """, [.text(disableEndpoint), .integer(id)])
            }
            return true
        }
    }

    /// The deliveries of an event, by endpoint.
    public func deliveries(eventID: Int64) throws -> [EventDelivery] {
        try guarded {
            try connection.query("SELECT \(Store.deliveryColumns) FROM event_deliveries WHERE event_id = ? ORDER BY endpoint_id",
                                 [.integer(eventID)], delivery)
        }
    }

    public func attempts(deliveryID: Int64) throws -> [DeliveryAttempt] {
        try guarded {
            try connection.query("""
                SELECT attempted_at, status, latency_ms, answer, error FROM delivery_attempts WHERE delivery_id = ? ORDER BY id
                """, [.integer(deliveryID)]) {
                DeliveryAttempt(attemptedAt: $0.text(0), status: Int($0.int(1)), latencyMilliseconds: $0.int(2), answer: $0.text(3),
                                error: $0.text(4))
            }
        }
    }

    /// Deliveries filtered by state and endpoint, with their events' types, in event order.
    public func deliveries(state: EventDelivery.State?, endpointID: Int64?, limit: Int = 10_000) throws -> [EventDelivery] {
        try guarded {
            var sql = "SELECT \(Store.deliveryColumns) FROM event_deliveries WHERE 1 = 1"
            var values: [SQLValue] = []
            if let state { sql += " AND state = ?"; values.append(.text(state.rawValue)) }
            if let endpointID { sql += " AND endpoint_id = ?"; values.append(.integer(endpointID)) }
            sql += " ORDER BY event_id, endpoint_id LIMIT ?"
            values.append(.integer(Int64(limit)))
            return try connection.query(sql, values, reuse: .once, delivery)
        }
    }

    /// Makes deliveries due now again with a fresh attempt budget: those of one event (to every
    /// endpoint it went to, or one), or every failed one (of one endpoint). A delivery being sent
    /// right now is left alone. An endpoint an event never went to gets a delivery row for it.
    /// Returns how many were queued.
    public func redeliver(eventID: Int64?, endpointID: Int64?) throws -> Int {
        try write {
            let stamp = Store.timestamp()
            if let eventID {
                _ = try event(id: eventID)
                if let endpointID {
                    _ = try endpoint(id: endpointID)
                    try connection.run("""
                        INSERT INTO event_deliveries (event_id, endpoint_id, state, next_attempt_at, updated_at) VALUES (?, ?, 'pending', 0, ?)
                        ON CONFLICT (event_id, endpoint_id) DO NOTHING
                        """, [.integer(eventID), .integer(endpointID), .text(stamp)])
                }
                var sql = "UPDATE event_deliveries SET state = 'pending', attempts = 0, next_attempt_at = 0, updated_at = ? WHERE event_id = ? AND state <> 'delivering'"
                var values: [SQLValue] = [.text(stamp), .integer(eventID)]
                if let endpointID { sql += " AND endpoint_id = ?"; values.append(.integer(endpointID)) }
                return try connection.run(sql, values)
            }
            var sql = "UPDATE event_deliveries SET state = 'pending', attempts = 0, next_attempt_at = 0, updated_at = ? WHERE state = 'failed'"
            var values: [SQLValue] = [.text(stamp)]
            if let endpointID { sql += " AND endpoint_id = ?"; values.append(.integer(endpointID)) }
            return try connection.run(sql, values)
        }
    }

    /// How many deliveries wait (pending or being delivered), for `serve`'s loop and the run's summary.
    public func undeliveredCount() throws -> Int64 {
        try guarded { try connection.scalarInt("SELECT count(*) FROM event_deliveries WHERE state IN ('pending', 'delivering')") }
    }
}
