import CCrypto
import Foundation

/// Stripe's webhook signing: `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…][,v0=…]`, each `v1`
/// the hex HMAC-SHA256 of `"{t}.{raw body}"` keyed with the endpoint secret's own UTF-8 bytes
/// (`whsec_…`, not base64-decoded, unlike Standard Webhooks). Any `v1` may match (secret rotation);
/// `v0` is ignored; a `t` older than the tolerance is refused — a later one is taken, as Stripe's
/// libraries do. Compared in constant time.
public struct StripeSecret: Sendable, Hashable {
    let key: [UInt8]

    public init(_ text: String) throws(WebhookError) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= 16 else {
            throw WebhookError(0, "INVOICE_STRIPE_WEBHOOK_SECRET must be the endpoint's signing secret (whsec_…) from the Stripe dashboard")
        }
        key = Array(trimmed.utf8)
    }

    /// The hex `v1` signature of a payload at a timestamp (what Stripe sends).
    public func signature(timestamp: String, body: [UInt8]) -> String {
        WebhookSecret(rawKey: key).mac(Array("\(timestamp).".utf8) + body).map { String(format: "%02x", $0) }.joined()
    }

    public func verify(header: String?, body: [UInt8], now: Int64, tolerance: Int64 = 300) throws(WebhookError) {
        guard let header, !header.isEmpty else { throw .unauthorized("the Stripe-Signature header is missing") }
        var timestamp: String?
        var candidates: [[UInt8]] = []
        for item in header.split(separator: ",") {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces), value = parts[1].trimmingCharacters(in: .whitespaces)
            if key == "t" { timestamp = value }
            if key == "v1", let bytes = StripeSecret.hexBytes(value) { candidates.append(bytes) }
        }
        guard let timestamp, !timestamp.isEmpty, timestamp.count <= 12, timestamp.utf8.allSatisfy({ (48...57).contains($0) }),
              let seconds = Int64(timestamp)
        else { throw .unauthorized("Stripe-Signature has no timestamp t=") }
        guard !candidates.isEmpty else { throw .unauthorized("Stripe-Signature has no v1 signature") }
        let expected = WebhookSecret(rawKey: key).mac(Array("\(timestamp).".utf8) + body)
        guard expected.count == 32 else { throw WebhookError(500, "HMAC-SHA256 failed") }
        var matched = false
        for given in candidates where given.count == expected.count {
            let equal = given.withUnsafeBytes { a in
                expected.withUnsafeBytes { b in CRYPTO_memcmp(a.baseAddress, b.baseAddress, expected.count) == 0 }
            }
            matched = matched || equal  // keep looping: the time does not depend on which one matched
        }
        guard matched else { throw .unauthorized("no v1 signature of Stripe-Signature matches") }
        guard seconds >= now - tolerance else {
            throw .unauthorized("Stripe-Signature's timestamp is more than \(tolerance) seconds old")
        }
    }

    static func hexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        var index = 0
        while index < digits.count {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 97...102: byte - 87
        case 65...70: byte - 55
        default: nil
        }
    }
}
