import Foundation
import HTTPServer
import Webhook

/// `invoice serve [--host H] [--port P] [--max-connections N]`: the payment webhook receiver, until
/// SIGTERM or SIGINT.
enum ServeCommand {
    static let secretVariable = "INVOICE_WEBHOOK_SECRET"

    static func run(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let host = try args.option("--host") ?? "127.0.0.1"
        let portText = try args.option("--port") ?? "8080"
        let capText = try args.option("--max-connections") ?? "512"
        try args.finish()
        guard !capText.isEmpty, capText.count <= 6, capText.utf8.allSatisfy({ (48...57).contains($0) }),
              let maxConnections = Int(capText), (1...100_000).contains(maxConnections)
        else { throw UsageError("--max-connections must be a number from 1 to 100000", command: "serve") }
        guard !portText.isEmpty, portText.count <= 5, portText.utf8.allSatisfy({ (48...57).contains($0) }),
              let port = UInt16(portText)
        else { throw UsageError("--port must be a number from 0 to 65535", command: "serve") }
        guard let secretText = ProcessInfo.processInfo.environment[secretVariable], !secretText.isEmpty else {
            throw CommandFailure(message: "\(secretVariable) is not set; it holds the webhook signing secret (whsec_…)")
        }
        let secret: WebhookSecret
        do { secret = try WebhookSecret(secretText) } catch { throw CommandFailure(message: error.message) }
        _ = try context.openStore()  // migrate and check the file once, before answering anyone
        let handler = WebhookHandler(databasePath: context.databasePath, secret: secret, outbox: try context.outbox(),
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
        listener.start(deferred: { request, responder in
            handler.respond(to: request, responder: responder, committer: committer)
        })
        context.emit("listening on http://\(host.contains(":") ? "[\(host)]" : host):\(listener.port)")
        let signal = ShutdownSignal.wait()
        listener.stop()
        committer.stop()
        context.warn("invoice serve: stopped (signal \(signal))")
    }
}
