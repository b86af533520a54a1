import Billing
import Store

/// The event types the operator's app can receive (README "Events").
public enum EventType: String, CaseIterable, Sendable {
    case customerCreated = "customer.created"
    case customerUpdated = "customer.updated"
    case invoiceIssued = "invoice.issued"
    case invoicePaid = "invoice.paid"
    case invoiceOverdue = "invoice.overdue"
    case invoiceCancelled = "invoice.cancelled"
    case creditNoteIssued = "credit_note.issued"
    case paymentReceived = "payment.received"
    case paymentUnmatched = "payment.unmatched"
    case paymentRefunded = "payment.refunded"
    case bookingActivated = "booking.activated"
    case bookingRenewed = "booking.renewed"
    case bookingCancelled = "booking.cancelled"
    case bookingExpired = "booking.expired"
    case bookingLapsed = "booking.lapsed"
    case bookingWithdrawn = "booking.withdrawn"
    case trialEnding = "trial.ending"

    /// A filter entry is a type or `prefix.*` naming at least one type.
    public static func isValidFilter(_ entry: String) -> Bool {
        if entry.hasSuffix(".*") {
            let prefix = String(entry.dropLast())
            return allCases.contains { $0.rawValue.hasPrefix(prefix) }
        }
        return EventType(rawValue: entry) != nil
    }

    /// The booking history actions that are events (`Store.addBookingEvent`'s `action`).
    static func forBookingAction(_ action: String) -> EventType? {
        switch action {
        case "activate", "reactivate", "start": .bookingActivated
        case "renew": .bookingRenewed
        case "cancel": .bookingCancelled
        case "expire": .bookingExpired
        case "lapse": .bookingLapsed
        case "withdraw": .bookingWithdrawn
        default: nil
        }
    }
}

/// Notes the events of a change in its write transaction. The payload is built just before the
/// transaction commits, from the objects as they are then: `{"type", "timestamp", "data"}` with
/// `data` the object `--json` prints for that customer, invoice or booking, plus `customer` (its id)
/// and `sequence` (per customer, from 1, in the order the events were written).
public struct EventLog {
    let store: Store

    public init(store: Store) { self.store = store }

    /// The customer as `customer show --json` prints it.
    public func customer(_ type: EventType, id: Int64) throws {
        try store.noteEvent(key: "\(type.rawValue):\(id)") { [store] in
            let customer = try store.customer(id: id)
            let data = Presenter.customer(customer, users: try store.users(customerID: id),
                                          credit: try store.creditBalance(customerID: id, currency: customer.currency))
            try EventLog.record(store, type, customerID: id, data: data)
        }
    }

    /// The invoice or credit note as `show --json` prints it on `today` (without `mail`).
    public func invoice(_ type: EventType, id: Int64, today: Day, onceKey: String? = nil) throws {
        try store.noteEvent(key: "\(type.rawValue):\(id)") { [store] in
            let invoice = try store.invoice(id: id)
            let data = Presenter.invoice(invoice, customer: try store.customer(id: invoice.customerID), today: today)
            try EventLog.record(store, type, customerID: invoice.customerID, onceKey: onceKey, data: data)
        }
    }

    /// `payment.received`: the invoice as `show --json` prints it on `today`, plus `payment` (this
    /// payment, as in its `payments`). Each payment is its own event, also two in one transaction.
    public func paymentReceived(invoiceID id: Int64, payment: Payment, today: Day) throws {
        try store.noteEvent(key: nil) { [store] in
            let invoice = try store.invoice(id: id)
            guard case .object(var pairs) = Presenter.invoice(invoice, customer: try store.customer(id: invoice.customerID), today: today) else {
                throw WorkflowError("invoice \(id) is not shown as an object")
            }
            pairs.append(("payment", .object([("amount", Presenter.money(payment.amount)), ("date", .string(payment.date.description)),
                                               ("method", .string(payment.method)), ("reference", .string(payment.reference))])))
            try EventLog.record(store, .paymentReceived, customerID: invoice.customerID, data: .object(pairs))
        }
    }

    /// The booking as `plan show --json` / `module list --json` print it on `today`. Each booking
    /// history line is its own event: two renewals in one transaction are two `booking.renewed`.
    public func booking(_ type: EventType, id: Int64, today: Day, onceKey: String? = nil) throws {
        try store.noteEvent(key: onceKey) { [store] in
            let bookings = Bookings(store: store)
            let details = try bookings.details(of: try store.booking(id: id), today: today)
            try EventLog.record(store, type, customerID: details.booking.customerID, onceKey: onceKey, data: Presenter.booking(details))
        }
    }

    /// A payment kept as unmatched, as `pay --json` prints one (`status`, `id`, `invoice`, `amount`, …).
    public func unmatchedPayment(eventID: String, invoiceNumber: String, amount: Money, date: Day, reason: String) throws {
        try store.noteEvent(key: "\(EventType.paymentUnmatched.rawValue):\(eventID)") { [store] in
            let customerID = try store.invoiceCustomerID(reference: invoiceNumber) ?? 0
            let data = JSON.object([("status", .string("unmatched")), ("id", .string(eventID)), ("invoice", .string(invoiceNumber)),
                                    ("amount", .string(amount.decimalString)), ("currency", .string(amount.currency.code)),
                                    ("date", .string(date.description)), ("reason", .string(reason))])
            try EventLog.record(store, .paymentUnmatched, customerID: customerID, data: data)
        }
    }

    /// Customer credit paid back, as `refund --json` prints it (`customer`, `refunded`, `currency`, `balance`).
    public func refund(customerID: Int64, amount: Money, date: Day, reference: String, key: String) throws {
        try store.noteEvent(key: "\(EventType.paymentRefunded.rawValue):\(key)") { [store] in
            let balance = try store.creditBalance(customerID: customerID, currency: amount.currency)
            let data = JSON.object([("customer", .int(customerID)), ("refunded", Presenter.money(amount)),
                                    ("currency", .string(amount.currency.code)), ("balance", Presenter.money(balance)),
                                    ("date", .string(date.description)), ("reference", .string(reference))])
            try EventLog.record(store, .paymentRefunded, customerID: customerID, data: data)
        }
    }

    /// A booking history line that is an event (`EventType.forBookingAction`) notes it, for the booking as it is on `date`.
    func bookingAction(_ action: String, bookingID: Int64, date: Day) throws {
        guard let type = EventType.forBookingAction(action) else { return }
        try booking(type, id: bookingID, today: date)
    }

    static func record(_ store: Store, _ type: EventType, customerID: Int64, onceKey: String? = nil, data: JSON) throws {
        try store.recordEvent(type: type.rawValue, customerID: customerID, onceKey: onceKey) { sequence, timestamp in
            guard case .object(var pairs) = data else { return data.compact }
            if !pairs.contains(where: { $0.0 == "customer" }) { pairs.append(("customer", .int(customerID))) }
            pairs.append(("sequence", .int(sequence)))
            return JSON.object([("type", .string(type.rawValue)), ("timestamp", .string(timestamp)), ("data", .object(pairs))]).compact
        }
    }
}

extension Store {
    /// A booking history line, and the event it is for the operator's app when it is one
    /// (activate, renew, cancel, expire, lapse, withdraw; `EventLog.bookingAction`).
    func logBookingEvent(bookingID: Int64, date: Day, action: String, detail: String) throws {
        try write {
            try addBookingEvent(bookingID: bookingID, date: date, action: action, detail: detail)
            try EventLog(store: self).bookingAction(action, bookingID: bookingID, date: date)
        }
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension EventLog: Sendable {}
