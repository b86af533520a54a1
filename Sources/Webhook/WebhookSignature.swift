import CCrypto
import Foundation

/// Standard Webhooks 1.0 signing: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")), the key
/// being the base64 after `whsec_`. HMAC comes from libcrypto; signatures compare in constant time.
public struct WebhookSecret: Sendable, Hashable {
    let key: [UInt8]

    /// Parses `whsec_<base64>` (the `whsec_` prefix is optional, as in the reference libraries).
    public init(_ text: String) throws(WebhookError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let encoded = trimmed.hasPrefix("whsec_") ? String(trimmed.dropFirst(6)) : trimmed
        guard let data = Data(base64Encoded: encoded), data.count >= 16 else {
            throw WebhookError(0, "INVOICE_WEBHOOK_SECRET must be whsec_ followed by base64 of at least 16 bytes")
        }
        key = Array(data)
    }

    /// A key used as it is (Stripe signs with the secret's text itself).
    init(rawKey: [UInt8]) { key = rawKey }

    /// The raw HMAC-SHA256 of `message`.
    func mac(_ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                HMAC(EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count),
                     messageBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), messageBytes.count,
                     &out, &length)
            }
        }
        guard ok != nil else { return [] }
        return Array(out.prefix(Int(length)))
    }

    /// The signed content of Standard Webhooks.
    static func signedContent(id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        Array("\(id).\(timestamp).".utf8) + body
    }

    /// The `v1,…` signature for a message (what a sender puts in `webhook-signature`).
    public func signature(id: String, timestamp: String, body: [UInt8]) -> String {
        "v1," + Data(mac(WebhookSecret.signedContent(id: id, timestamp: timestamp, body: body))).base64EncodedString()
    }

    /// Checks the three headers: a timestamp within `tolerance` seconds of `now` either way, and at
    /// least one `v1` signature in the space-separated list that matches.
    public func verify(id: String?, timestamp: String?, signatures: String?, body: [UInt8], now: Int64,
                       tolerance: Int64 = 300) throws(WebhookError) {
        guard let id, !id.isEmpty, let timestamp, let signatures else {
            throw .unauthorized("webhook-id, webhook-timestamp and webhook-signature are required")
        }
        guard !timestamp.isEmpty, timestamp.count <= 12, timestamp.utf8.allSatisfy({ (48...57).contains($0) }),
              let seconds = Int64(timestamp)
        else { throw .unauthorized("webhook-timestamp must be unix seconds") }
        guard abs(now - seconds) <= tolerance else {
            throw .unauthorized("webhook-timestamp is more than \(tolerance) seconds away from now")
        }
        let expected = mac(WebhookSecret.signedContent(id: id, timestamp: timestamp, body: body))
        guard expected.count == 32 else { throw WebhookError(500, "HMAC-SHA256 failed") }
        var matched = false
        for entry in signatures.split(separator: " ") {
            guard entry.hasPrefix("v1,"), let given = Data(base64Encoded: String(entry.dropFirst(3))),
                  given.count == expected.count
            else { continue }
            let equal = given.withUnsafeBytes { a in
                expected.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, expected.count) == 0 }
            }
            matched = matched || equal  // keep looping: the time does not depend on which one matched
        }
        guard matched else { throw .unauthorized("no webhook-signature matches") }
    }
}
