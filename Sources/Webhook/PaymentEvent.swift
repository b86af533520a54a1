import Billing
import Foundation
import Workflows

/// A provider's payment event, as the body of `POST /webhooks/payments`:
///
///     {"type": "payment.succeeded",
///      "data": {"id": "evt_123", "invoice": "CW-2026-00004", "amount": "1630.30",
///               "currency": "EUR", "paid_at": "2026-11-25T10:00:00Z"}}
///
/// `amount` is a JSON string holding a plain decimal (`"1630.30"`) with at most the currency's
/// decimals; a JSON number is refused, because numbers are not exact in every JSON reader.
/// `paid_at` is RFC 3339; the payment is dated the UTC calendar day of that instant.
public struct PaymentEvent: Sendable, Hashable {
    public static let paymentSucceeded = "payment.succeeded"
    public static let paymentRefunded = "payment.refunded"
    /// The longest event id kept, in Unicode code points (it is also the payment's reference, at most 140).
    public static let maxIDLength = 140

    public let type: String
    public let id: String
    /// The rest is present when `type` is `payment.succeeded` (other types are stored and ignored).
    public let invoiceNumber: String
    public let amount: Money?
    public let paidAt: Day?

    public var isPayment: Bool { type == PaymentEvent.paymentSucceeded }
    public var isRefund: Bool { type == PaymentEvent.paymentRefunded }

    public init(type: String, id: String, invoiceNumber: String, amount: Money?, paidAt: Day?) {
        self.type = type
        self.id = id
        self.invoiceNumber = invoiceNumber
        self.amount = amount
        self.paidAt = paidAt
    }

    /// Parses and checks a body; every refusal is a 400 that names the field.
    public init(body: [UInt8]) throws(WebhookError) {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(body)) } catch {
            throw .malformed("the body is not JSON")
        }
        guard let root = object as? [String: Any] else { throw .malformed("the body must be a JSON object") }
        // JSONSerialization keeps the last of two equal keys; money must not depend on which one a reader takes.
        if let key = JSONDuplicateKeys.first(in: body) {
            throw .malformed("the body has the key \"\(key)\" twice in one object; send each key once")
        }
        guard let type = root["type"] as? String, !type.isEmpty else { throw .malformed("type is missing") }
        guard let data = root["data"] as? [String: Any] else { throw .malformed("data is missing") }
        let id = try PaymentEvent.text(data, "id", maxLength: PaymentEvent.maxIDLength)
        self.type = type
        self.id = id
        guard type == PaymentEvent.paymentSucceeded || type == PaymentEvent.paymentRefunded else {
            invoiceNumber = ""
            amount = nil
            paidAt = nil
            return
        }
        invoiceNumber = try PaymentEvent.text(data, "invoice", maxLength: 100)
        let currency: Currency
        do { currency = try Currency(code: try PaymentEvent.text(data, "currency", maxLength: 3)) } catch {
            throw .malformed("data.currency must be an ISO 4217 code such as EUR")
        }
        guard data["amount"] is String else {
            throw .malformed(data["amount"] == nil ? "data.amount is missing"
                             : "data.amount must be a decimal string such as \"1630.30\", not a JSON number")
        }
        let amountText = try PaymentEvent.text(data, "amount", maxLength: 30)
        let parsed: Money
        do { parsed = try Money(parsing: amountText, currency: currency, field: "data.amount") } catch {
            throw .malformed("\(error)")
        }
        guard parsed.minorUnits > 0 else { throw .malformed("data.amount must be more than zero") }
        amount = parsed
        let dateKey = type == PaymentEvent.paymentRefunded ? "refunded_at" : "paid_at"
        paidAt = try RFC3339.utcDay(try PaymentEvent.text(data, dateKey, maxLength: 40), field: "data.\(dateKey)")
    }

    private static func text(_ object: [String: Any], _ key: String, maxLength: Int) throws(WebhookError) -> String {
        guard let value = object[key] else { throw .malformed("data.\(key) is missing") }
        guard let text = value as? String else { throw .malformed("data.\(key) must be a string") }
        // Counted in Unicode code points (scalars), as a database column limit counts: "é" written as e and a
        // combining accent is two, however it is displayed.
        let length = text.unicodeScalars.count
        guard length >= 1, length <= maxLength,
              !text.unicodeScalars.contains(where: {
                  [.control, .lineSeparator, .paragraphSeparator, .format].contains($0.properties.generalCategory)
              })
        else {
            throw .malformed("data.\(key) must be one line of 1 to \(maxLength) Unicode code points"
                             + (length > maxLength ? " (it has \(length))" : ""))
        }
        return text
    }
}

/// RFC 3339 date-times (`2026-11-25T10:00:00Z`, `2026-11-25T23:30:00.5-02:00`) to a UTC calendar day.
enum RFC3339 {
    /// Only years 1900–9998 are taken, so the UTC day is always a day the store can write and read back.
    static func utcDay(_ text: String, field: String = "data.paid_at") throws(WebhookError) -> Day {
        let refusal = WebhookError.malformed("\(field) must be an RFC 3339 date-time such as 2026-11-25T10:00:00Z")
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t") else { throw refusal }
        let day: Day
        do { day = try Day(parsing: String(decoding: bytes[0..<10], as: UTF8.self)) } catch { throw refusal }
        func number(_ range: Range<Int>) -> Int? {
            guard bytes[range].allSatisfy({ (48...57).contains($0) }) else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              hour < 24, minute < 60, second <= 60
        else { throw refusal }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, (48...57).contains(bytes[index]) { index += 1 }
            guard index > start else { throw refusal }
        }
        guard index < bytes.count else { throw refusal }
        var offsetSeconds = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { throw refusal }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                  let h = number((index + 1)..<(index + 3)), let m = number((index + 4)..<(index + 6)),
                  h < 24, m < 60
            else { throw refusal }
            offsetSeconds = (h * 3600 + m * 60) * (bytes[index] == UInt8(ascii: "+") ? 1 : -1)
        default:
            throw refusal
        }
        let local = day.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + min(second, 59)
        let utc = local - offsetSeconds
        let result = Day(daysSinceEpoch: utc >= 0 ? utc / 86_400 : (utc - 86_399) / 86_400)
        guard (1900...9998).contains(result.year) else {
            throw WebhookError.malformed("\(field) \(text) is not a plausible payment time")
        }
        return result
    }
}
