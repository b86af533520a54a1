import Billing
import Foundation
import Workflows

/// A Stripe event (`POST /webhooks/stripe`) as the payment event the receiver records:
/// `checkout.session.completed` (only with `payment_status` `paid`), `checkout.session.async_payment_succeeded`
/// and `payment_intent.succeeded` are payments, `charge.refunded` a refund (the amount this event
/// refunded: `amount_refunded` is cumulative, so less `previous_attributes.amount_refunded`); every
/// other type is stored and answered `ignored`. The invoice is `metadata.invoice`, else
/// `client_reference_id`; amounts are integers in the currency's minor unit (JPY none, CHF 2, KWD 3),
/// currencies lowercase; the payment is dated the UTC day of the event's `created`.
enum StripeEvent {
    static func paymentEvent(body: [UInt8]) throws(WebhookError) -> PaymentEvent {
        let object: Any
        do { object = try JSONSerialization.jsonObject(with: Data(body)) } catch { throw .malformed("the body is not JSON") }
        if let key = JSONDuplicateKeys.first(in: body) {
            throw .malformed("the body has the key \"\(key)\" twice in one object; send each key once")
        }
        guard let root = object as? [String: Any], let id = root["id"] as? String, !id.isEmpty,
              id.unicodeScalars.count <= PaymentEvent.maxIDLength,
              !id.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else { throw .malformed("id (the Stripe event id, evt_…) is missing") }
        guard let type = root["type"] as? String, !type.isEmpty else { throw .malformed("type is missing") }
        guard let data = root["data"] as? [String: Any], let item = data["object"] as? [String: Any] else {
            throw .malformed("data.object is missing")
        }
        let ignored = PaymentEvent(type: "stripe." + type, id: id, invoiceNumber: "", amount: nil, paidAt: nil)
        let minor: Any?
        var refund = false
        switch type {
        case "checkout.session.completed", "checkout.session.async_payment_succeeded":
            guard item["payment_status"] as? String == "paid" else { return ignored }
            minor = item["amount_total"]
        case "payment_intent.succeeded":
            minor = item["amount_received"]
        case "charge.refunded":
            refund = true
            guard let total = item["amount_refunded"] as? Int64 else { throw .malformed("data.object.amount_refunded must be an integer") }
            let previous = (data["previous_attributes"] as? [String: Any])?["amount_refunded"] as? Int64 ?? 0
            minor = total - previous
        default:
            return ignored
        }
        guard let units = minor as? Int64 ?? (minor as? Int).map(Int64.init), !(minor is Double && !(minor is Int64)) else {
            throw .malformed("the amount of a \(type) event must be an integer of minor units")
        }
        guard units > 0 else { throw .malformed("the amount of a \(type) event must be more than zero") }
        guard let code = item["currency"] as? String else { throw .malformed("data.object.currency is missing") }
        let currency: Currency
        do { currency = try Currency(code: code.uppercased()) } catch {
            throw .malformed("data.object.currency '\(code)' is not an ISO 4217 code")
        }
        let metadata = item["metadata"] as? [String: Any]
        guard let invoice = (metadata?["invoice"] as? String).flatMap({ $0.isEmpty ? nil : $0 }) ?? (item["client_reference_id"] as? String),
              !invoice.isEmpty, invoice.count <= 100
        else {
            throw .malformed("the \(type) event names no invoice: set metadata.invoice (or client_reference_id on a Checkout Session) to the invoice number")
        }
        guard let created = root["created"] as? Int64, created > 0, created < 253_402_300_800 else {
            throw .malformed("created (unix seconds) is missing")
        }
        let day = Day(daysSinceEpoch: Int(created / 86_400))
        return PaymentEvent(type: refund ? PaymentEvent.paymentRefunded : PaymentEvent.paymentSucceeded, id: id,
                            invoiceNumber: invoice, amount: Money(minorUnits: units, currency: currency), paidAt: day)
    }
}
