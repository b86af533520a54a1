import Billing
import Foundation
import HTTPServer
import Store
import Workflows

/// The payment webhook: routes `POST /webhooks/payments` and `GET /healthz`, verifies Standard Webhooks
/// signatures, and records payments through `Invoicing.pay`, so the paid-status watcher activates
/// bookings and queues the receipt in the same transaction.
///
/// Each request opens its own `Store` (a connection belongs to one thread); the value itself holds
/// only Sendable configuration, so one handler serves every connection thread.
public struct WebhookHandler: Sendable {
    public let databasePath: String
    /// Standard Webhooks for `/webhooks/payments` (nil: that path is not configured, 404).
    public let secret: WebhookSecret?
    /// Stripe's endpoint secret for `/webhooks/stripe` (nil: that path is not configured, 404).
    public let stripeSecret: StripeSecret?
    public let outbox: Outbox?
    /// Unix seconds now, for the timestamp tolerance (tests move it).
    public let clock: @Sendable () -> Int64
    public let tolerance: Int64
    /// "Today" for the payment-date check (tomorrow is the latest date taken); nil: the clock's UTC day.
    public let today: Day?
    /// Where internal failures are described (stderr); the client only learns that one happened.
    public let log: @Sendable (String) -> Void

    public static let paymentsPath = "/webhooks/payments"
    public static let stripePath = "/webhooks/stripe"
    public static let healthPath = "/healthz"
    /// The paths that take payment events.
    static let eventPaths: Set<String> = [paymentsPath, stripePath]

    public init(databasePath: String, secret: WebhookSecret?, stripeSecret: StripeSecret? = nil, outbox: Outbox?,
                tolerance: Int64 = 300, today: Day? = nil,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                log: @escaping @Sendable (String) -> Void = WebhookHandler.logToStandardError) {
        self.today = today
        self.databasePath = databasePath
        self.secret = secret
        self.stripeSecret = stripeSecret
        self.outbox = outbox
        self.tolerance = tolerance
        self.clock = clock
        self.log = log
    }

    public static let logToStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("invoice serve: \(message)\n".utf8))
    }

    /// Answers one request; never throws, never crashes on input.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        switch request.path {
        case WebhookHandler.healthPath:
            guard request.method == "GET" || request.method == "HEAD" else {
                return .error(405, "use GET", headers: [HTTPHeader("Allow", "GET, HEAD")])
            }
            return WebhookHandler.health(problem: Store.writeObstacle(databasePath).map {
                "the database \(databasePath) cannot be written (\($0))"
            })
        case WebhookHandler.paymentsPath, WebhookHandler.stripePath:
            guard request.method == "POST" else {
                return .error(405, "use POST", headers: [HTTPHeader("Allow", "POST")])
            }
            return WebhookHandler.answer(Result { () throws(WebhookError) -> Outcome in try receive(request) })
        default:
            return .error(404, "no such path: \(request.path)")
        }
    }

    /// `/healthz`: 200 while the store can record payments, else 503 with the reason (a load balancer
    /// stops sending events to a receiver that would answer each of them 5xx).
    static func health(problem: String?) -> HTTPResponse {
        guard let problem else { return .json(200, JSONText.object([("status", .string("ok"))])) }
        return .json(503, JSONText.object([("status", .string("unavailable")), ("reason", .string(problem))]),
                     headers: [HTTPHeader("Retry-After", "5")])
    }

    /// What every 503 for a store that cannot write ends with.
    static let redeliver = "; the event was not recorded, deliver it again later"

    /// A store that cannot write now (disk full, read-only): 503, so the provider delivers again later,
    /// in the store's own words; nil for any other error.
    func storeFailure(_ error: any Error) -> WebhookError? {
        guard let error = error as? StoreError, error.kind == .diskFull || error.kind == .readOnly else { return nil }
        let reason = error.message.components(separatedBy: "; nothing was changed")[0]
        log("the store cannot write: \(reason)")
        return WebhookError(503, reason + WebhookHandler.redeliver)
    }

    /// The HTTP answer for what a delivery did.
    static func answer(_ result: Result<Outcome, WebhookError>) -> HTTPResponse {
        switch result {
        case .success(let outcome): .json(outcome.httpStatus, outcome.json)
        case .failure(let error): .error(error.status, error.message)
        }
    }

    /// What a delivery did.
    public struct Outcome: Sendable, Hashable {
        /// `applied`, `credited` (a cancelled or paid invoice: the money became customer credit),
        /// `refunded`, `unmatched` (kept for the operator, HTTP 202), `refused` (an amount beyond the money
        /// range, kept as unmatched, HTTP 422), `duplicate` or `ignored`.
        public let status: String
        public let invoice: String?
        public let invoiceStatus: String?
        public var reason: String? = nil

        public var httpStatus: Int {
            switch status {
            case "unmatched": 202
            case "refused": 422
            default: 200
            }
        }

        var json: String {
            var pairs: [(String, JSONText.Value)] = [("status", .string(status)), ("invoice", invoice.map { .string($0) } ?? .null),
                                               ("invoice_status", invoiceStatus.map { .string($0) } ?? .null)]
            if let reason { pairs.append(("reason", .string(reason))) }
            return JSONText.object(pairs)
        }
    }

    /// Verifies, parses, stores and applies one delivery.
    public func receive(_ request: HTTPRequest) throws(WebhookError) -> Outcome {
        let event = try verifiedEvent(request)
        let store: Store
        do { store = try Store(path: databasePath, audit: .webhook) } catch { throw storeFailure(error) ?? internalFailure(event, error) }
        let result: Result<Outcome, WebhookError>
        do { result = try applying(event, payload: String(decoding: request.body, as: UTF8.self), store: store) } catch {
            throw storeFailure(error) ?? internalFailure(event, error)
        }
        return try result.get()
    }

    /// Checks the signature and parses the body: everything about a delivery that needs no database.
    public func verifiedEvent(_ request: HTTPRequest) throws(WebhookError) -> PaymentEvent {
        if request.path == WebhookHandler.stripePath {
            guard let stripeSecret else {
                throw WebhookError(404, "\(WebhookHandler.stripePath) is not configured: start invoice serve with INVOICE_STRIPE_WEBHOOK_SECRET set")
            }
            try stripeSecret.verify(header: request.header("stripe-signature"), body: request.body, now: clock(), tolerance: tolerance)
            return try StripeEvent.paymentEvent(body: request.body)
        }
        guard let secret else {
            throw WebhookError(404, "\(WebhookHandler.paymentsPath) is not configured: start invoice serve with INVOICE_WEBHOOK_SECRET set")
        }
        try secret.verify(id: request.header("webhook-id"), timestamp: request.header("webhook-timestamp"),
                          signatures: request.header("webhook-signature"), body: request.body, now: clock(),
                          tolerance: tolerance)
        return try PaymentEvent(body: request.body)
    }

    /// Applies one verified event in a savepoint of the caller's write transaction (or in a transaction
    /// of its own), so a refused or failed event leaves no trace while the others of a batch stay;
    /// failures become the answer they deserve (internal ones are logged, not told). A transaction
    /// PostgreSQL could not serialize (another receiver recorded the same event at the same moment) is
    /// thrown, not answered: the caller's whole transaction runs again, and then sees the duplicate.
    func applying(_ event: PaymentEvent, payload: String, store: Store) throws -> Result<Outcome, WebhookError> {
        do {
            return .success(try store.isolated { try apply(event, payload: payload, store: store) })
        } catch let error as StoreError where error.kind == .mustRunAgain {
            throw error
        } catch let error as WebhookError {
            return .failure(error)
        } catch let error as WorkflowError {
            return .failure(WebhookError(400, error.message))
        } catch let error as BillingError {
            return .failure(WebhookError(error.kind == .outOfRange ? 422 : 400, error.message))
        } catch {
            return .failure(storeFailure(error) ?? internalFailure(event, error))
        }
    }

    /// Logs what went wrong; the client learns only that it should deliver again.
    func internalFailure(_ event: PaymentEvent?, _ error: any Error) -> WebhookError {
        log("event \(event?.id ?? "?") failed: \(error)")
        return WebhookError(500, "internal error; the event was not recorded, deliver it again later")
    }

    /// One write transaction: the event row first (a known id with the same payload is a duplicate and
    /// changes nothing; with another payload it is a conflict, 409), then the payment or refund, then
    /// the event's result. Money is never refused: a cancelled or paid invoice turns the payment into
    /// customer credit (`credited`), an unknown invoice or another currency keeps it as unmatched (202).
    /// A refusal (400, 409) rolls all of it back, so a refused event leaves no trace.
    func apply(_ event: PaymentEvent, payload: String, store: Store, today: Day? = nil) throws -> Outcome {
        let today = today ?? self.today ?? Day(daysSinceEpoch: Int(clock() / 86_400))
        return try store.write {
            guard try store.recordWebhookEvent(id: event.id, payload: payload) else {
                let stored = try store.webhookEvent(id: event.id)
                guard let stored, WebhookHandler.samePayload(stored.payload, payload) else {
                    throw WebhookError(409, "event \(event.id) was received before with a different payload; nothing was changed")
                }
                let invoice = event.invoiceNumber  // the same payload: the same event (Stripe's or ours)
                let current = try store.invoiceID(number: invoice).map { try store.paymentTarget(id: $0).status.rawValue }
                return Outcome(status: "duplicate", invoice: invoice.isEmpty ? nil : invoice, invoiceStatus: current)
            }
            guard event.isPayment || event.isRefund, let amount = event.amount, let day = event.paidAt else {
                let outcome = Outcome(status: "ignored", invoice: nil, invoiceStatus: nil)
                try store.finishWebhookEvent(id: event.id, status: "ignored", result: outcome.json)
                return outcome
            }
            guard day <= today.adding(days: 1) else {
                throw WebhookError(400, "the \(event.isRefund ? "refund" : "payment") date \(day) is after tomorrow")
            }
            func unmatched(_ reason: String) throws -> Outcome {
                let signed = event.isRefund ? -amount : amount
                try store.addUnmatchedPayment(eventID: event.id, invoiceNumber: event.invoiceNumber, amount: signed,
                                              paidOn: day, reason: reason)
                try EventLog(store: store).unmatchedPayment(eventID: event.id, invoiceNumber: event.invoiceNumber, amount: signed,
                                                            date: day, reason: reason)
                let outcome = Outcome(status: "unmatched", invoice: event.invoiceNumber, invoiceStatus: nil, reason: reason)
                try store.finishWebhookEvent(id: event.id, status: "unmatched", result: outcome.json)
                return outcome
            }
            // The invoice's row only (not its lines and payments): a payment costs O(1) in its payments.
            guard let invoiceID = try store.invoiceID(number: event.invoiceNumber),
                  case let invoice = try store.paymentTarget(id: invoiceID), invoice.kind == .invoice else {
                return try unmatched("unknown invoice '\(event.invoiceNumber)'")
            }
            guard amount.currency == invoice.currency else {
                return try unmatched("invoice \(event.invoiceNumber) is in \(invoice.currency), the \(event.isRefund ? "refund" : "payment") in \(amount.currency)")
            }
            if let issued = invoice.issueDate {
                do { try Invoicing.checkPaymentDate(day, issued: issued, today: today) } catch let error as WorkflowError {
                    throw WebhookError(400, error.message)
                }
            }
            let invoicing = Invoicing(store: store, outbox: outbox)
            if event.isRefund {
                return try refund(event, amount: amount, day: day, invoice: try store.invoice(id: invoiceID),
                                  invoicing: invoicing, store: store,
                                  unmatched: unmatched)
            }
            let wasSettled = invoice.status == .cancelled || invoice.status == .paid
            let paid: RecordedPayment
            do {
                paid = try store.isolated {
                    try invoicing.recordPayment(reference: String(invoiceID), amount: amount, date: day, method: "webhook",
                                                paymentReference: event.id, eventID: event.id, today: today)
                }
            } catch let error as BillingError where error.kind == .outOfRange {
                // A sum beyond the money range: redelivering would fail the same way, so the event is kept
                // for the operator (like unmatched money) and answered 422, not 500.
                return try refused(event, amount: amount, day: day, reason: error.message, store: store)
            }
            let status = wasSettled ? "credited" : "applied"
            let outcome = Outcome(status: status, invoice: event.invoiceNumber, invoiceStatus: paid.target.status.rawValue)
            try store.finishWebhookEvent(id: event.id, status: status, result: outcome.json)
            return outcome
        }
    }

    /// Keeps an event whose money cannot be recorded as unmatched, for the operator, with the reason; 422.
    private func refused(_ event: PaymentEvent, amount: Money, day: Day, reason: String, store: Store) throws -> Outcome {
        try store.addUnmatchedPayment(eventID: event.id, invoiceNumber: event.invoiceNumber,
                                      amount: event.isRefund ? -amount : amount, paidOn: day, reason: reason)
        try EventLog(store: store).unmatchedPayment(eventID: event.id, invoiceNumber: event.invoiceNumber,
                                                    amount: event.isRefund ? -amount : amount, date: day, reason: reason)
        let outcome = Outcome(status: "refused", invoice: event.invoiceNumber, invoiceStatus: nil,
                              reason: "\(reason); the event is kept as unmatched for the operator")
        try store.finishWebhookEvent(id: event.id, status: "unmatched", result: outcome.json)
        return outcome
    }

    /// `payment.refunded` (Stripe's model): the provider paid money of this invoice back. On a paid
    /// invoice that is a credit note of the amount, marked refunded; on a cancelled invoice (its money
    /// is customer credit) a refund from the credit. Anything else is kept as unmatched for the operator.
    private func refund(_ event: PaymentEvent, amount: Money, day: Day, invoice: Invoice, invoicing: Invoicing, store: Store,
                        unmatched: (String) throws -> Outcome) throws -> Outcome {
        let name = invoice.number ?? String(invoice.id)
        switch invoice.status {
        case .paid where amount <= invoice.creditable:
            let result = try invoicing.creditNote(reference: String(invoice.id), .amount(amount), reason: "Refund \(event.id)",
                                                  refund: true, today: day, refundReference: event.id, eventID: event.id)
            let outcome = Outcome(status: "refunded", invoice: name, invoiceStatus: result.invoice.status.rawValue,
                                  reason: "credit note \(result.creditNote.number ?? "")")
            try store.finishWebhookEvent(id: event.id, status: "refunded", result: outcome.json)
            return outcome
        case .cancelled where amount <= (try store.creditBalance(customerID: invoice.customerID, currency: amount.currency)):
            _ = try invoicing.refund(customerReference: String(invoice.customerID), amount: amount, date: day,
                                     reference: event.id, today: day)
            let outcome = Outcome(status: "refunded", invoice: name, invoiceStatus: invoice.status.rawValue,
                                  reason: "refunded from customer credit")
            try store.finishWebhookEvent(id: event.id, status: "refunded", result: outcome.json)
            return outcome
        default:
            return try unmatched("refund of \(amount) for invoice \(name) (\(invoice.status.rawValue)) needs the operator: invoice credit-note \(name) --amount A --refund, or invoice refund")
        }
    }

    /// Two payloads are the same event when their bytes, or their JSON values, are equal.
    static func samePayload(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = try? JSONSerialization.jsonObject(with: Data(a.utf8)) as? NSDictionary,
              let y = try? JSONSerialization.jsonObject(with: Data(b.utf8)) as? NSDictionary else { return false }
        return x.isEqual(y)
    }
}
