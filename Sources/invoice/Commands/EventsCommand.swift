import Billing
import Foundation
import Store
import Webhook
import Workflows

/// `invoice events run|list|show|redeliver`: the events for the operator's app and their deliveries.
enum EventsCommand {
    static let command = Command(
        name: "events", summary: "events for the operator's app: run, list, show, redeliver",
        discussion: """
            Every change an app cares about writes an event in the same transaction (README "Events").
            `run` delivers what is due to the endpoints (`invoice endpoints`); `invoice run` does it too,
            and `invoice serve` delivers continuously. States of a delivery: pending, delivering,
            delivered, failed. --date D moves the queue clock, as for mail.
            """,
        subcommands: [
            runCommand,
            Command(name: "list", summary: "the events, with their deliveries",
                    options: [.value("--state", "S", "only events with a delivery in this state",
                                     completion: .choices(EventDelivery.State.allCases.map(\.rawValue))),
                              .value("--type", "T", "only this type (or prefix.*)"),
                              .value("--endpoint", "ID", "only events for this endpoint")],
                    run: list),
            Command(name: "show", summary: "one event: payload, deliveries and their attempts",
                    arguments: [Argument("ID", "the event's id")], run: show),
            Command(name: "redeliver", summary: "deliver an event again (or every failed one), with a fresh attempt budget",
                    arguments: [Argument("ID", "the event's id", optional: true)],
                    options: [.flag("--failed", "every failed delivery"), .value("--endpoint", "ID", "only to this endpoint")],
                    run: redeliver),
        ])

    static let runCommand = Command(
        name: "run", summary: "deliver the events that are due to their endpoints",
        discussion: """
            POSTs each due event to each endpoint that takes it, signed per Standard Webhooks 1.0
            (webhook-id stays the same on every attempt). 2xx delivers; 410 Gone disables the endpoint;
            any other answer, a timeout (event_timeout, default 15 s) or no connection retries with
            exponential backoff and jitter (event_backoff, event_max_attempts: about 3 days), then the
            delivery is failed (events list --state failed; events redeliver). K workers (default 4),
            at most P of them on one endpoint (default K/2), and an endpoint that fails is left for the
            next run: a slow endpoint never holds up another's events.

            Environment: INVOICE_EVENT_LEASE_SECONDS (default: enough for a batch to time out): how long
            a run holds what it claimed; the deliveries of a run that died come back after it.
            """,
        options: [.value("--limit", "N", "at most N attempts"),
                  .value("--connections", "K", "workers, 1 to 32 (default 4)"),
                  .value("--per-endpoint", "P", "workers on one endpoint at once (default K/2)")],
        featuredGlobals: ["--date"],
        run: run)

    static func number(_ args: Arguments, _ name: String, range: ClosedRange<Int>) throws -> Int? {
        guard let text = try args.option(name) else { return nil }
        guard let value = Int(text), range.contains(value) else {
            throw args.usageError("\(name) must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    static func run(_ args: Arguments, _ context: Context) throws {
        let limit = try number(args, "--limit", range: 1...10_000_000)
        let connections = try number(args, "--connections", range: 1...32) ?? 4
        let perEndpoint = try number(args, "--per-endpoint", range: 1...32)
        let store = try context.openStore()
        let summary = try delivery(store: store, context: context).run(limit: limit, connections: connections, perEndpoint: perEndpoint)
        emit(summary, context: context)
        if summary.attempted == 0, let first = summary.errors.first { throw CommandFailure(message: "events run: \(first)") }
    }

    /// The delivery run for this database, its settings and the queue clock.
    static func delivery(store: Store, context: Context) throws -> EventDeliveryRun {
        EventDeliveryRun(databasePath: store.path, settings: try EventSettings.load(from: store), clock: context.queueClock,
                         leaseSeconds: try leaseSeconds())
    }

    static func leaseSeconds() throws -> Int64? {
        guard let text = ProcessInfo.processInfo.environment["INVOICE_EVENT_LEASE_SECONDS"], !text.isEmpty else { return nil }
        guard let seconds = Int64(text), (1...86_400).contains(seconds) else {
            throw CommandFailure(message: "INVOICE_EVENT_LEASE_SECONDS takes 1 to 86400 seconds, not '\(text)'")
        }
        return seconds
    }

    static func summaryJSON(_ s: EventDeliveryRun.Summary) -> JSON {
        .object([("delivered", .int(Int64(s.delivered))), ("retrying", .int(Int64(s.retrying))), ("failed", .int(Int64(s.failed))),
                 ("disabled", .array(s.disabled.map { .string($0) })), ("errors", .array(s.errors.map { .string($0) }))])
    }

    static func summaryText(_ s: EventDeliveryRun.Summary) -> String {
        "\(s.delivered) delivered, \(s.retrying) to retry, \(s.failed) failed"
    }

    static func emit(_ summary: EventDeliveryRun.Summary, context: Context) {
        if context.json { return context.emit(summaryJSON(summary)) }
        context.emit("events run: " + summaryText(summary))
        for line in summary.disabled { context.emit("disabled \(line)") }
        for error in summary.errors { context.emit("error: \(error)") }
    }

    static func id(_ text: String, _ what: String, _ args: Arguments) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw args.usageError("\(what) must be an id, not '\(text)'") }
        return id
    }

    static func list(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let state = try args.option("--state").map { text -> EventDelivery.State in
            guard let state = EventDelivery.State(rawValue: text) else {
                throw args.usageError("--state must be one of \(EventDelivery.State.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return state
        }
        let type = try args.option("--type")
        if let type, !EventType.isValidFilter(type) { throw args.usageError("--type: '\(type)' is not an event type or prefix.*") }
        let endpoint = try args.option("--endpoint").map { try id($0, "--endpoint", args) }
        if let endpoint { _ = try store.endpoint(id: endpoint) }
        let filtered = state != nil || endpoint != nil
        var byEvent: [Int64: [EventDelivery]] = [:]
        for delivery in try store.deliveries(state: state, endpointID: endpoint, limit: 1_000_000) {
            byEvent[delivery.eventID, default: []].append(delivery)
        }
        var rows: [JSON] = []
        var after: Int64 = 0
        if !context.json { context.emit("ID      TYPE                 CUSTOMER  SEQ   CREATED               DELIVERIES") }
        while true {
            let page = try store.events(type: type, after: after, limit: 1_000)
            guard let last = page.last else { break }
            after = last.id
            for event in page {
                let deliveries = filtered ? byEvent[event.id] ?? [] : try store.deliveries(eventID: event.id)
                if filtered && deliveries.isEmpty { continue }
                if context.json {
                    rows.append(.object(eventPairs(event) + [("deliveries", .array(deliveries.map(deliveryJSON)))]))
                } else {
                    let states = deliveries.map { "\($0.endpointID):\($0.state.rawValue)" }.joined(separator: " ")
                    context.emit("\(String(event.id).padding(8))\(event.type.padding(21))\(String(event.customerID).padding(10))\(String(event.sequence).padding(6))\(event.createdAt.padding(22))\(states.isEmpty ? "-" : states)")
                }
            }
        }
        if context.json { context.emit(.array(rows)) }
    }

    static func eventPairs(_ e: StoredEvent) -> [(String, JSON)] {
        [("id", .int(e.id)), ("webhook_id", .string(e.webhookID)), ("type", .string(e.type)), ("customer", .int(e.customerID)),
         ("sequence", .int(e.sequence)), ("created_at", .string(e.createdAt))]
    }

    static func deliveryJSON(_ d: EventDelivery) -> JSON {
        .object([("endpoint", .int(d.endpointID)), ("state", .string(d.state.rawValue)), ("attempts", .int(Int64(d.attempts))),
                 ("last_status", d.lastStatus.map { .int(Int64($0)) } ?? .null),
                 ("next_attempt_at", d.state == .pending && d.nextAttemptAt > 0 ? .string(UTCTimestamp.string(epochSeconds: d.nextAttemptAt)) : .null)])
    }

    static func show(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let event = try store.event(id: try id(try args.positional("ID"), "ID", args))
        let deliveries = try store.deliveries(eventID: event.id)
        let attempts = try deliveries.map { try store.attempts(deliveryID: $0.id) }
        if context.json {
            var pairs = eventPairs(event)
            pairs.append(("payload", .string(event.payload)))
            pairs.append(("deliveries", .array(zip(deliveries, attempts).map { delivery, tries in
                guard case .object(var fields) = deliveryJSON(delivery) else { return .null }
                fields.append(("attempts_made", .array(tries.map { a in
                    .object([("at", .string(a.attemptedAt)), ("status", .int(Int64(a.status))),
                             ("latency_ms", .int(a.latencyMilliseconds)), ("answer", .string(a.answer)), ("error", .string(a.error))])
                })))
                return .object(fields)
            })))
            return context.emit(.object(pairs))
        }
        context.emit("Event \(event.id) (\(event.webhookID)): \(event.type), customer \(event.customerID), sequence \(event.sequence), \(event.createdAt)")
        context.emit("  Payload: \(event.payload)")
        if deliveries.isEmpty { context.emit("  Deliveries: none (no endpoint took it)") }
        for (delivery, tries) in zip(deliveries, attempts) {
            var line = "  Endpoint \(delivery.endpointID): \(delivery.state.rawValue), \(delivery.attempts) attempt\(delivery.attempts == 1 ? "" : "s")"
            if delivery.state == .pending && delivery.nextAttemptAt > 0 { line += ", next \(UTCTimestamp.string(epochSeconds: delivery.nextAttemptAt))" }
            context.emit(line)
            for a in tries {
                let answer = a.answer.isEmpty ? "" : " “\(a.answer)”"
                context.emit("    \(a.attemptedAt)  \(a.status == 0 ? "no answer" : "HTTP \(a.status)")  \(a.latencyMilliseconds) ms\(answer)\(a.error.isEmpty ? "" : "  \(a.error)")")
            }
        }
    }

    static func redeliver(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let endpoint = try args.option("--endpoint").map { try id($0, "--endpoint", args) }
        let queued: Int
        if args.flag("--failed") {
            guard args.optionalPositional("ID") == nil else { throw args.usageError("give an event ID or --failed, not both") }
            if let endpoint { _ = try store.endpoint(id: endpoint) }
            queued = try store.redeliver(eventID: nil, endpointID: endpoint)
        } else {
            guard let text = args.optionalPositional("ID") else { throw args.usageError("redeliver needs an event ID or --failed") }
            queued = try store.redeliver(eventID: try id(text, "ID", args), endpointID: endpoint)
        }
        context.json ? context.emit(.object([("queued", .int(Int64(queued)))]))
            : context.emit("\(queued) deliver\(queued == 1 ? "y" : "ies") queued; invoice events run sends \(queued == 1 ? "it" : "them")")
    }
}
