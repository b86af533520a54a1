import Billing
import CCrypto
import Database
import Foundation

/// One API key as `api-keys list` shows it: never the key itself (only its SHA-256 is stored).
public struct APIKey: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let isReadOnly: Bool
    /// RFC 3339 UTC.
    public let createdAt: String
    public let lastUsedAt: String?
    public let revokedAt: String?
}

/// What an earlier request with the same Idempotency-Key answered.
public struct StoredAnswer: Sendable, Hashable {
    public let requestHash: String
    public let status: Int
    public let contentType: String
    public let body: String
}

extension Store {
    /// How long an Idempotency-Key's first answer is kept (Stripe: at least 24 hours).
    public static let idempotencyRetention: Int64 = 24 * 3600
    /// The visible prefix of every key (`ik_` + 64 hex digits of 32 random bytes).
    public static let apiKeyPrefix = "ik_"

    /// Creates a key named `name`; returns it with the secret, which is shown once and never stored.
    public func createAPIKey(name: String, readOnly: Bool) throws -> (key: APIKey, secret: String) {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100, !trimmed.contains(where: { $0.isNewline || $0.asciiValue.map { $0 < 32 } == true }) else {
            throw StoreError("an API key needs a name of 1 to 100 characters on one line")
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard RAND_bytes(&bytes, Int32(bytes.count)) == 1 else {
            throw StoreError("no random bytes for an API key (libcrypto RAND_bytes failed)")
        }
        let secret = Store.apiKeyPrefix + bytes.map { String(format: "%02x", $0) }.joined()
        return try write {
            if try connection.scalarInt("SELECT count(*) FROM api_keys WHERE name = ?", [.text(trimmed)]) > 0 {
                throw StoreError("an API key named '\(trimmed)' exists already (the names of revoked keys stay taken)")
            }
            let now = Store.timestamp()
            let id = try connection.insert("""
                INSERT INTO api_keys (name, key_hash, read_only, created_at) VALUES (?, ?, ?, ?)
                """, [.text(trimmed), .text(Store.sha256(Array(secret.utf8))), .integer(readOnly ? 1 : 0), .text(now)])
            noteChanged("api_key:\(id)")
            return (APIKey(id: id, name: trimmed, isReadOnly: readOnly, createdAt: now, lastUsedAt: nil, revokedAt: nil), secret)
        }
    }

    /// Every key ever created, revoked ones too, oldest first.
    public func apiKeys() throws -> [APIKey] {
        try guarded {
            try connection.query("""
                SELECT id, name, read_only, created_at, last_used_at, revoked_at FROM api_keys ORDER BY id
                """) { APIKey(id: $0.int(0), name: $0.text(1), isReadOnly: $0.bool(2), createdAt: $0.text(3),
                              lastUsedAt: $0.optionalText(4), revokedAt: $0.optionalText(5)) }
        }
    }

    /// Revokes the key named `name`: its requests are answered 401 from now on.
    public func revokeAPIKey(name: String) throws -> APIKey {
        try write {
            guard let key = try apiKeys().first(where: { $0.name == name }) else { throw StoreError.notFound("API key", name) }
            if let revoked = key.revokedAt { throw StoreError("the API key '\(name)' was revoked already (\(revoked))") }
            let now = Store.timestamp()
            try connection.run("UPDATE api_keys SET revoked_at = ? WHERE id = ?", [.text(now), .integer(key.id)])
            noteChanged("api_key:\(key.id)")
            return APIKey(id: key.id, name: key.name, isReadOnly: key.isReadOnly, createdAt: key.createdAt,
                          lastUsedAt: key.lastUsedAt, revokedAt: now)
        }
    }

    /// Whether any key was ever created: without one, the API does not exist (404).
    public func apiEnabled() throws -> Bool {
        try guarded { try connection.scalarInt("SELECT count(*) FROM api_keys") > 0 }
    }

    /// The unrevoked key whose SHA-256 equals that of `secret`, compared in constant time
    /// (`CRYPTO_memcmp`) against every stored key, with no early exit; nil for a wrong or revoked key.
    /// Records the use at most once a minute per key, outside the audit trail (a use changes no books).
    public func authenticateAPIKey(_ secret: String) throws -> APIKey? {
        let presented = Store.sha256Bytes(Array(secret.utf8))
        let rows = try guarded {
            try connection.query("SELECT id, name, read_only, created_at, last_used_at, revoked_at, key_hash FROM api_keys") { row in
                (APIKey(id: row.int(0), name: row.text(1), isReadOnly: row.bool(2), createdAt: row.text(3),
                        lastUsedAt: row.optionalText(4), revokedAt: row.optionalText(5)), row.text(6))
            }
        }
        var found: APIKey?
        for (key, hash) in rows {
            if Store.constantTimeEqual(Store.hexBytes(hash), presented), key.revokedAt == nil { found = key }
        }
        guard let found else { return nil }
        let now = Int64(time(nil))
        if let last = found.lastUsedAt, last >= UTCTimestamp.string(epochSeconds: now - 60) { return found }
        let base = audited.base
        try guarded {
            try base.transaction(.immediate) {
                _ = try base.run("UPDATE api_keys SET last_used_at = ? WHERE id = ?",
                                 [.text(UTCTimestamp.string(epochSeconds: now)), .integer(found.id)], reuse: .cached)
            }
        }
        return found
    }

    /// Equal lengths and equal bytes, in time that depends only on the length.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count, !a.isEmpty else { return false }
        return a.withUnsafeBytes { x in b.withUnsafeBytes { y in CRYPTO_memcmp(x.baseAddress, y.baseAddress, a.count) == 0 } }
    }

    // MARK: Idempotency keys

    /// The answer kept for `key` of `apiKeyID`, if one is younger than `idempotencyRetention`.
    /// Call inside the write transaction that will do the work, so a concurrent request with the same
    /// key waits for this one (SQLite) or fails to insert its own answer (PostgreSQL) and replays it.
    public func storedAnswer(apiKeyID: Int64, key: String) throws -> StoredAnswer? {
        let cutoff = UTCTimestamp.string(epochSeconds: Int64(time(nil)) - Store.idempotencyRetention)
        return try guarded {
            try connection.first("""
                SELECT request_hash, status, content_type, response_body FROM idempotency_keys
                WHERE api_key_id = ? AND idempotency_key = ? AND created_at >= ?
                """, [.integer(apiKeyID), .text(key), .text(cutoff)]) {
                StoredAnswer(requestHash: $0.text(0), status: Int($0.int(1)), contentType: $0.text(2), body: $0.text(3))
            }
        }
    }

    /// Keeps the answer to `key` (in the caller's write transaction); drops answers past retention.
    public func keepAnswer(apiKeyID: Int64, key: String, requestHash: String, status: Int, contentType: String,
                           body: String) throws {
        let now = Int64(time(nil))
        try write {
            try connection.run("DELETE FROM idempotency_keys WHERE created_at < ?",
                               [.text(UTCTimestamp.string(epochSeconds: now - Store.idempotencyRetention))])
            try connection.run("""
                INSERT INTO idempotency_keys (api_key_id, idempotency_key, request_hash, status, content_type, response_body, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(apiKeyID), .text(key), .text(requestHash), .integer(Int64(status)), .text(contentType),
                      .text(body), .text(UTCTimestamp.string(epochSeconds: now))])
        }
    }

    // MARK: The app's own customer ids

    /// The customer the app knows as `externalID`, if any.
    public func customerID(externalID: String) throws -> Int64? {
        try guarded {
            try connection.first("SELECT customer_id FROM customer_external_ids WHERE external_id = ?", [.text(externalID)]) { $0.int(0) }
        }
    }

    /// The app's id of the customer, if it has one.
    public func externalID(customerID: Int64) throws -> String? {
        try guarded {
            try connection.first("SELECT external_id FROM customer_external_ids WHERE customer_id = ?", [.integer(customerID)]) { $0.text(0) }
        }
    }

    /// Records the app's id for a customer (unique both ways; replaces the customer's previous one).
    public func setExternalID(_ externalID: String, customerID: Int64) throws {
        guard !externalID.isEmpty, externalID.count <= 255, !externalID.contains(where: \.isNewline) else {
            throw StoreError("external_id must be 1 to 255 characters on one line")
        }
        try write {
            if let other = try self.customerID(externalID: externalID) {
                guard other != customerID else { return }
                throw StoreError("the external_id '\(externalID)' belongs to customer \(other)")
            }
            try connection.run("DELETE FROM customer_external_ids WHERE customer_id = ?", [.integer(customerID)])
            try connection.run("INSERT INTO customer_external_ids (external_id, customer_id) VALUES (?, ?)",
                               [.text(externalID), .integer(customerID)])
            noteChanged("customer:\(customerID)")
        }
    }

    /// Customers in id order after `after` (cursor pagination), at most `limit`.
    public func customers(after: Int64, limit: Int) throws -> [Customer] {
        let ids = try guarded {
            try connection.query("SELECT id FROM customers WHERE id > ? ORDER BY id LIMIT ?",
                                 [.integer(after), .integer(Int64(limit))]) { $0.int(0) }
        }
        return try ids.map { try customer(id: $0) }
    }

    static func sha256Bytes(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { buffer in
            digest.withUnsafeMutableBufferPointer { out in _ = SHA256(buffer.baseAddress, buffer.count, out.baseAddress) }
        }
        return digest
    }

    /// The SHA-256 of `bytes`, hex (request fingerprints for idempotency).
    public static func sha256Hex(_ bytes: [UInt8]) -> String { sha256(bytes) }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            guard let h = hexValue(high), let l = hexValue(low) else { return [] }
            out.append(h << 4 | l)
        }
        return out
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        default: nil
        }
    }
}
