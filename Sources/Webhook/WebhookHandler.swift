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
    public let secret: WebhookSecret
    public let outbox: Outbox?
    /// Unix seconds now, for the timestamp tolerance (tests move it).
    public let clock: @Sendable () -> Int64
    public let tolerance: Int64
    /// Where internal failures are described (stderr); the client only learns that one happened.
    public let log: @Sendable (String) -> Void

    public static let paymentsPath = "/webhooks/payments"
    public static let healthPath = "/healthz"

    public init(databasePath: String, secret: WebhookSecret, outbox: Outbox?, tolerance: Int64 = 300,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
                log: @escaping @Sendable (String) -> Void = WebhookHandler.logToStandardError) {
        self.databasePath = databasePath
        self.secret = secret
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
            return .json(200, JSONText.object([("status", .string("ok"))]))
        case WebhookHandler.paymentsPath:
            guard request.method == "POST" else {
                return .error(405, "use POST", headers: [HTTPHeader("Allow", "POST")])
            }
            return WebhookHandler.answer(Result { () throws(WebhookError) -> Outcome in try receive(request) })
        default:
            return .error(404, "no such path: \(request.path)")
        }
    }

    /// The HTTP answer for what a delivery did.
    static func answer(_ result: Result<Outcome, WebhookError>) -> HTTPResponse {
        switch result {
        case .success(let outcome): .json(200, outcome.json)
        case .failure(let error): .error(error.status, error.message)
        }
    }

    /// What a delivery did.
    public struct Outcome: Sendable, Hashable {
        /// `applied`, `duplicate` or `ignored`.
        public let status: String
        public let invoice: String?
        public let invoiceStatus: String?

        var json: String {
            JSONText.object([("status", .string(status)), ("invoice", invoice.map { .string($0) } ?? .null),
                             ("invoice_status", invoiceStatus.map { .string($0) } ?? .null)])
        }
    }

    /// Verifies, parses, stores and applies one delivery.
    public func receive(_ request: HTTPRequest) throws(WebhookError) -> Outcome {
        let event = try verifiedEvent(request)
        let store: Store
        do { store = try Store(path: databasePath) } catch { throw internalFailure(event, error) }
        return try applying(event, payload: String(decoding: request.body, as: UTF8.self), store: store).get()
    }

    /// Checks the signature and parses the body: everything about a delivery that needs no database.
    public func verifiedEvent(_ request: HTTPRequest) throws(WebhookError) -> PaymentEvent {
        try secret.verify(id: request.header("webhook-id"), timestamp: request.header("webhook-timestamp"),
                          signatures: request.header("webhook-signature"), body: request.body, now: clock(),
                          tolerance: tolerance)
        return try PaymentEvent(body: request.body)
    }

    /// Applies one verified event in a savepoint of the caller's write transaction (or in a transaction
    /// of its own), so a refused or failed event leaves no trace while the others of a batch stay;
    /// failures become the answer they deserve (internal ones are logged, not told).
    func applying(_ event: PaymentEvent, payload: String, store: Store) -> Result<Outcome, WebhookError> {
        do {
            return .success(try store.isolated { try apply(event, payload: payload, store: store) })
        } catch let error as WebhookError {
            return .failure(error)
        } catch let error as WorkflowError {
            return .failure(WebhookError(409, error.message))
        } catch {
            return .failure(internalFailure(event, error))
        }
    }

    /// Logs what went wrong; the client learns only that it should deliver again.
    func internalFailure(_ event: PaymentEvent?, _ error: any Error) -> WebhookError {
        log("event \(event?.id ?? "?") failed: \(error)")
        return WebhookError(500, "internal error; the event was not recorded, deliver it again later")
    }

    /// One write transaction: the event row first (a known id is a duplicate and changes nothing),
    /// then the payment, then the event's result. A refusal rolls all of it back, so a refused event
    /// leaves no trace and its redelivery is judged afresh.
    func apply(_ event: PaymentEvent, payload: String, store: Store) throws -> Outcome {
        try store.write {
            guard try store.recordWebhookEvent(id: event.id, payload: payload) else {
                let invoice = try store.webhookEvent(id: event.id).flatMap { stored in
                    try PaymentEvent(body: Array(stored.payload.utf8)).invoiceNumber
                }
                let current = try invoice.flatMap { try store.invoiceID(number: $0) }
                    .map { try store.paymentTarget(id: $0).status.rawValue }
                return Outcome(status: "duplicate", invoice: invoice.flatMap { $0.isEmpty ? nil : $0 },
                               invoiceStatus: current)
            }
            guard event.isPayment, let amount = event.amount, let day = event.paidAt else {
                let outcome = Outcome(status: "ignored", invoice: nil, invoiceStatus: nil)
                try store.finishWebhookEvent(id: event.id, status: "ignored", result: outcome.json)
                return outcome
            }
            guard let invoiceID = try store.invoiceID(number: event.invoiceNumber) else {
                throw WebhookError(404, "unknown invoice '\(event.invoiceNumber)'")
            }
            let invoice = try store.paymentTarget(id: invoiceID)  // its row only: O(1) in its payments
            guard amount.currency == invoice.currency else {
                throw WebhookError(409, "invoice \(event.invoiceNumber) is in \(invoice.currency), the payment in \(amount.currency)")
            }
            switch invoice.status {
            case .cancelled: throw WebhookError(409, "invoice \(event.invoiceNumber) is cancelled and cannot be paid")
            case .paid: throw WebhookError(409, "invoice \(event.invoiceNumber) is already paid")
            case .draft, .open, .partiallyPaid: break
            }
            let paid = try Invoicing(store: store, outbox: outbox).recordPayment(
                reference: event.invoiceNumber, amount: amount, date: day, method: "webhook",
                paymentReference: event.id, eventID: event.id)
            let outcome = Outcome(status: "applied", invoice: event.invoiceNumber, invoiceStatus: paid.status.rawValue)
            try store.finishWebhookEvent(id: event.id, status: "applied", result: outcome.json)
            return outcome
        }
    }
}
