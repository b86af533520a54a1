import API
import Foundation
import HTTPServer
import Store
import Workflows
import Webhook

/// `invoice serve [--host H] [--port P] [--max-connections N]`: the payment webhook receiver, until
/// SIGTERM or SIGINT.
enum ServeCommand {
    static let secretVariable = "INVOICE_WEBHOOK_SECRET"
    static let stripeSecretVariable = "INVOICE_STRIPE_WEBHOOK_SECRET"

    static let command = Command(
        name: "serve", summary: "the payment webhook receiver (Standard Webhooks)",
        discussion: """
            Run as: INVOICE_WEBHOOK_SECRET=whsec_... invoice serve [--host H] [--port P] [--max-connections N]

            Receives payment webhooks until SIGTERM or SIGINT. Listens on 127.0.0.1:8080 by default
            (an IPv6 address such as ::1 also works); --port 0 picks a free port. Prints
            "listening on http://HOST:PORT" when ready. Connections are kept alive (HTTP/1.1,
            pipelining answered in order); at most --max-connections (default 512) are open at once,
            more are answered 503 with Retry-After.
            The signing secret comes only from the environment (whsec_ + base64); without it, no start.

            POST /webhooks/payments, signed per Standard Webhooks 1.0:
              webhook-id: msg_...        webhook-timestamp: UNIX-SECONDS (at most 5 minutes off)
              webhook-signature: v1,BASE64(HMAC-SHA256(secret, "ID.TIMESTAMP.BODY")) [v1,... more]
              {"type": "payment.succeeded",
               "data": {"id": "evt_123", "invoice": "INV-2026-00004", "amount": "1630.30",
                        "currency": "EUR", "paid_at": "2026-11-25T10:00:00Z"}}
            amount is a JSON string, a plain decimal with at most the currency's decimals (a JSON
            number is refused). The payment is dated the UTC day of paid_at (not --date); its method
            is "webhook" and its reference the event id. The event is stored under data.id in the
            same transaction as the payment: a redelivery answers 200 "duplicate" and changes nothing.
            Other event types are stored and answered 200 "ignored".

            Money is never refused. Answers (JSON {"status", "invoice", "invoice_status", "reason"}):
            200 "applied"; 200 "credited" (a cancelled or already paid invoice: the money became the
            customer's credit balance); 200 "refunded" (payment.refunded); 200 "duplicate" or "ignored";
            202 "unmatched": an unknown invoice number, or a currency other than the invoice's, is kept
            for the operator (invoice payments unmatched, invoice payments assign EVENT NUMBER);
            400 malformed, or a date outside the invoice's issue date minus a year … tomorrow;
            401 bad signature or timestamp; 404 unknown path; 405 wrong method; 408 too slow;
            409 an event id received before with a different payload; 413 body over 1 MiB;
            431 header over 16 KiB; 500 internal error (details on stderr); 503 too many connections.
            503 the store cannot record payments now (disk full, read-only): deliver again later.
            Refusals (4xx, 5xx) change nothing.
            POST /webhooks/stripe (with INVOICE_STRIPE_WEBHOOK_SECRET=whsec_... from the Stripe dashboard):
            Stripe-Signature verified (t=, any v1=; HMAC-SHA256 of "T.BODY" keyed with the secret text;
            at most 300 s old). checkout.session.completed (payment_status "paid" only),
            checkout.session.async_payment_succeeded and payment_intent.succeeded are payments,
            charge.refunded a refund; the invoice is metadata.invoice, else client_reference_id; amounts
            in the currency's minor unit; dated the UTC day of the event's created. Same answers.
            Either secret may be left unset: its path then answers 404.
            GET /healthz: 200 {"status": "ok"}; 503 {"status": "unavailable", "reason"} while the store
            cannot be written (the file, its -wal/-shm or folder not writable, a read-only file system,
            or the last write failed: until a write probe succeeds again). serve does not start on a
            store it cannot write.
            """,
        options: [.value("--host", "H", "the address to listen on (default 127.0.0.1)"),
                  .value("--port", "P", "the port (default 8080; 0 picks a free one)"),
                  .value("--max-connections", "N", "connections open at once, 1 to 100000 (default 512); more get 503")],
        examples: ["INVOICE_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw invoice serve --port 9000"],
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        let host = try args.option("--host") ?? "127.0.0.1"
        let portText = try args.option("--port") ?? "8080"
        let capText = try args.option("--max-connections") ?? "512"
        guard !capText.isEmpty, capText.count <= 6, capText.utf8.allSatisfy({ (48...57).contains($0) }),
              let maxConnections = Int(capText), (1...100_000).contains(maxConnections)
        else { throw args.usageError("--max-connections must be a number from 1 to 100000") }
        guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy({ (48...57).contains($0) }),
              let port = UInt16(portText)
        else { throw args.usageError("--port must be a number from 0 to 65535") }
        let environment = ProcessInfo.processInfo.environment
        let secretText = environment[secretVariable].flatMap { $0.isEmpty ? nil : $0 }
        let stripeText = environment[stripeSecretVariable].flatMap { $0.isEmpty ? nil : $0 }
        let secret: WebhookSecret?, stripeSecret: StripeSecret?
        do {
            secret = try secretText.map { try WebhookSecret($0) }
            stripeSecret = try stripeText.map { try StripeSecret($0) }
        } catch let error as WebhookError { throw CommandFailure(message: error.message) }
        // Migrate and check the file once, before answering anyone; a store that cannot be written
        // would answer every payment 5xx while looking healthy, so the server does not start on one.
        // (The connection is closed again at the end of this block: the committer opens its own.)
        var apiEnabled = false
        do {
            let store = try context.openStore()
            if let obstacle = Store.writeObstacle(context.databasePath) {
                throw StoreError("the database \(context.databasePath) cannot be written (\(obstacle))", kind: .readOnly)
            }
            try store.probeWrite()
            apiEnabled = try store.apiEnabled()
        } catch let error as StoreError where error.kind == .diskFull || error.kind == .readOnly {
            throw CommandFailure(message: error.message.replacingOccurrences(of: "; nothing was changed", with: "")
                                 + "; invoice serve does not start on a store that cannot record payments")
        }
        // Without a webhook secret the server still starts for the API, once an API key exists.
        guard secretText != nil || stripeText != nil || apiEnabled else {
            throw CommandFailure(message: "\(secretVariable) is not set; it holds the webhook signing secret (whsec_…) (for Stripe: \(stripeSecretVariable)); or create an API key for the API alone: invoice api-keys create --name NAME")
        }
        let api = APIHandler(databasePath: context.databasePath, outbox: try context.outbox(),
                             today: context.todayIsExplicit ? context.today : nil, templatesDirectory: context.templatesDirectory)
        let handler = WebhookHandler(databasePath: context.databasePath, secret: secret, stripeSecret: stripeSecret,
                                     outbox: try context.outbox(),
                                     today: context.todayIsExplicit ? context.today : nil)

        // Block the stop signals before any thread starts, so every thread inherits the mask and
        // only the sigwait below receives them.
        ShutdownSignal.block()
        let listener: SocketListener
        do {
            listener = try SocketListener(SocketListener.Configuration(host: host, port: port,
                                                                   maxConnections: maxConnections))
        } catch {
            throw CommandFailure(message: error.message)
        }
        let committer = EventCommitter(handler: handler)
        // Health checks and refusals are answered on the event loop; payment events go to a worker
        // (signature, JSON) and then to the committer.
        // The API (/v1/…) always runs on a worker: it reads the store for every request.
        listener.start(immediate: { request in
                           APIHandler.handles(request.path) ? nil : handler.immediateResponse(to: request, committer: committer)
                       },
                       deferred: { request, responder in
                           if APIHandler.handles(request.path) { return responder.respond(api.respond(to: request)) }
                           handler.respond(to: request, responder: responder, committer: committer)
                       })
        // Events go out continuously: a pass over what is due, then again a second later (or at once
        // after a pass that had work), until the server stops.
        let events = EventsLoop(run: try EventsCommand.delivery(store: try context.openStore(), context: context))
        events.start()
        context.emit("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(listener.port)")
        let signal = ShutdownSignal.wait()
        listener.stop()
        committer.stop()
        events.stop()
        context.warn("invoice serve: stopped (signal \(signal))")
    }
}
