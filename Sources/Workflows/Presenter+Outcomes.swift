import Billing
import Store

extension Presenter {
    /// What a booking action did (`plan … activate|cancel|… --json`, `POST /v1/customers/{id}/plan…`):
    /// the action, the booking as it now is, the invoice to pay (if one was made), what it cancelled
    /// and forfeited.
    public static func bookingOutcome(_ outcome: Bookings.Outcome, details: Bookings.Details) -> JSON {
        var pairs: [(String, JSON)] = [("action", .string(outcome.action)),
                                       ("change", .optional(outcome.change?.rawValue)),
                                       ("message", .string(outcome.message))]
        pairs += bookingPairs(details)
        pairs.append(("new_invoice", outcome.invoice.map { invoice in
            .object([("number", .optional(invoice.number)), ("status", .string(invoice.status.rawValue)),
                     ("total", money(invoice.totals.payable)), ("due_date", .optional(invoice.dueDate?.description))])
        } ?? .null))
        pairs.append(("amount", outcome.invoice.map { money($0.totals.payable) } ?? .null))
        pairs.append(("cancelled_invoices", .array(outcome.cancelledInvoices.map { .string($0) })))
        pairs.append(("forfeited", .array(outcome.forfeited.map {
            .object([("currency", .string($0.currency.code)), ("amount", money($0))])
        })))
        return .object(pairs)
    }
}
