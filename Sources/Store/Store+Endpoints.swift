import Billing
import Database

/// Where the operator's app receives events: a URL, the types it wants, its signing secret(s).
public struct EventEndpoint: Sendable, Hashable {
    public var id: Int64
    public var url: String
    public var description: String
    /// Event types (`invoice.paid`) or prefixes (`invoice.*`); empty: every type.
    public var filter: [String]
    public var secret: String
    /// The secret a rotation replaced, still signed with until `previousUntil` (unix seconds).
    public var previousSecret: String?
    public var previousUntil: Int64?
    public var allowPrivate: Bool
    /// Why it receives nothing (`disabled by the operator`, `answered 410 Gone …`); nil: enabled.
    public var disabledReason: String?
    public var createdAt: String

    public var isEnabled: Bool { disabledReason == nil }

    public func accepts(_ type: String) -> Bool {
        filter.isEmpty || filter.contains { $0 == type || ($0.hasSuffix(".*") && type.hasPrefix(String($0.dropLast()))) }
    }

    /// The secrets to sign with at `now`: the current one, and the previous one during a rotation.
    public func signingSecrets(now: Int64) -> [String] {
        guard let previousSecret, let previousUntil, now < previousUntil else { return [secret] }
        return [secret, previousSecret]
    }
}

extension Store {
    static let endpointColumns = """
        id, url, description, event_filter, secret, previous_secret, previous_until, allow_private, disabled_reason, created_at
        """

    func endpoint(_ row: Row) -> EventEndpoint {
        EventEndpoint(id: row.int(0), url: row.text(1), description: row.text(2),
                      filter: row.text(3).split(separator: ",").map(String.init), secret: row.text(4),
                      previousSecret: row.optionalText(5), previousUntil: row.optionalInt(6), allowPrivate: row.bool(7),
                      disabledReason: row.optionalText(8), createdAt: row.text(9))
    }

    public func endpoints() throws -> [EventEndpoint] {
        try guarded { try connection.query("SELECT \(Store.endpointColumns) FROM endpoints ORDER BY id", [], endpoint) }
    }

    public func endpoint(id: Int64) throws -> EventEndpoint {
        guard let found = try guarded({
            try connection.first("SELECT \(Store.endpointColumns) FROM endpoints WHERE id = ?", [.integer(id)], endpoint)
        }) else { throw StoreError("no endpoint \(id); invoice endpoints list shows them") }
        return found
    }

    public func addEndpoint(url: String, description: String, filter: [String], secret: String, allowPrivate: Bool) throws -> EventEndpoint {
        try write {
            let id = try connection.insert("""
                INSERT INTO endpoints (url, description, event_filter, secret, allow_private, created_at) VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(url), .text(description), .text(filter.joined(separator: ",")), .text(secret),
                      .integer(allowPrivate ? 1 : 0), .text(Store.timestamp())])
            return try endpoint(id: id)
        }
    }

    /// Disables (with the reason shown) or, with nil, enables an endpoint. Disabling leaves its
    /// undelivered events where they are: enabling again delivers them (and what came meanwhile is
    /// not queued for it: an endpoint receives the events written while it is enabled).
    public func setEndpointDisabled(id: Int64, reason: String?) throws {
        try write {
            _ = try endpoint(id: id)
            try connection.run("UPDATE endpoints SET disabled_reason = ? WHERE id = ?", [reason.map { .text($0) } ?? .null, .integer(id)])
        }
    }

    /// A new secret; the old one stays valid (signed with too) until `previousUntil`.
    public func rotateEndpointSecret(id: Int64, newSecret: String, previousUntil: Int64) throws {
        try write {
            let current = try endpoint(id: id)
            try connection.run("UPDATE endpoints SET secret = ?, previous_secret = ?, previous_until = ? WHERE id = ?",
                               [.text(newSecret), .text(current.secret), .integer(previousUntil), .integer(id)])
        }
    }

    /// Removes an endpoint with its deliveries and their attempts (the events stay).
    public func removeEndpoint(id: Int64) throws {
        try write {
            _ = try endpoint(id: id)
            try connection.run("""
                DELETE FROM delivery_attempts WHERE delivery_id IN (SELECT id FROM event_deliveries WHERE endpoint_id = ?)
                """, [.integer(id)])
            try connection.run("DELETE FROM event_deliveries WHERE endpoint_id = ?", [.integer(id)])
            try connection.run("DELETE FROM endpoints WHERE id = ?", [.integer(id)])
        }
    }
}
