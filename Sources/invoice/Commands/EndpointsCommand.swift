import Billing
import Foundation
import Store
import Workflows

/// `invoice endpoints add|list|show|disable|enable|remove|rotate`: where events go.
enum EndpointsCommand {
    static let idArgument = Argument("ID", "the endpoint's id (endpoints list)")

    static let command = Command(
        name: "endpoints", summary: "the operator's app's endpoints for events: add, list, show, disable, enable, remove, rotate",
        discussion: """
            An endpoint receives the events written while it is enabled, signed per Standard Webhooks 1.0
            with its secret (whsec_…, printed once by add and rotate). URLs are https://, or http:// to a
            loopback host; a host that resolves to a private or link-local address is refused unless
            --allow-private. --events takes types (invoice.paid) and prefixes (invoice.*), comma-separated;
            without it, every type. An endpoint that answers 410 Gone is disabled (enable turns it on again).
            rotate issues a new secret and signs with both for 24 hours.
            """,
        subcommands: [
            Command(name: "add", summary: "add an endpoint; prints its id and secret",
                    arguments: [Argument("URL", "https://… (or http://127.0.0.1…)")],
                    options: [.value("--events", "TYPE,…", "only these types or prefixes (invoice.*)"),
                              .value("--description", "TEXT", "what it is"),
                              .flag("--allow-private", "allow a host on a private or link-local address")],
                    examples: ["invoice endpoints add https://app.example.com/billing-events --events invoice.*,booking.*"],
                    run: add),
            Command(name: "list", summary: "the endpoints", run: list),
            Command(name: "show", summary: "one endpoint with its delivery counts", arguments: [idArgument], run: show),
            Command(name: "disable", summary: "send it nothing (its events wait)", arguments: [idArgument], run: change),
            Command(name: "enable", summary: "send to it again", arguments: [idArgument], run: change),
            Command(name: "remove", summary: "remove it and its deliveries (the events stay)", arguments: [idArgument], run: change),
            Command(name: "rotate", summary: "a new secret; the old one signs too for 24 hours", arguments: [idArgument], run: rotate),
        ])

    static func endpointID(_ args: Arguments) throws -> Int64 {
        let text = try args.positional("ID")
        guard let id = Int64(text), id > 0 else { throw args.usageError("ID must be an endpoint id (invoice endpoints list), not '\(text)'") }
        return id
    }

    static func add(_ args: Arguments, _ context: Context) throws {
        let url = try args.positional("URL")
        let filter = try args.option("--events").map {
            $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        } ?? []
        let store = try context.openStore()
        let endpoint = try Endpoints(store: store).add(url: url, filter: filter, description: try args.option("--description") ?? "",
                                                       allowPrivate: args.flag("--allow-private"))
        if context.json {
            context.emit(.object(pairs(endpoint) + [("secret", .string(endpoint.secret))]))
        } else {
            context.emit("endpoint \(endpoint.id): \(endpoint.url)")
            context.emit("secret (shown once): \(endpoint.secret)")
        }
    }

    static func pairs(_ e: EventEndpoint) -> [(String, JSON)] {
        [("id", .int(e.id)), ("url", .string(e.url)), ("description", .string(e.description)),
         ("events", .array(e.filter.map { .string($0) })), ("enabled", .bool(e.isEnabled)),
         ("disabled_reason", .optional(e.disabledReason)), ("allow_private", .bool(e.allowPrivate)),
         ("rotating_until", e.previousUntil.map { .string(UTCTimestamp.string(epochSeconds: $0)) } ?? .null),
         ("created_at", .string(e.createdAt))]
    }

    static func list(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let all = try store.endpoints()
        if context.json { return context.emit(.array(all.map { .object(pairs($0)) })) }
        if all.isEmpty { return context.emit("no endpoints; add one with: invoice endpoints add URL") }
        for e in all {
            let events = e.filter.isEmpty ? "all events" : e.filter.joined(separator: ",")
            context.emit("\(String(e.id).padding(5))\(e.url)  \(events)\(e.disabledReason.map { "  (disabled: \($0))" } ?? "")")
        }
    }

    static func show(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let e = try store.endpoint(id: try endpointID(args))
        var counts: [(String, JSON)] = []
        for state in EventDelivery.State.allCases {
            counts.append((state.rawValue, .int(Int64(try store.deliveries(state: state, endpointID: e.id).count))))
        }
        if context.json { return context.emit(.object(pairs(e) + [("deliveries", .object(counts))])) }
        context.emit("Endpoint \(e.id): \(e.url)")
        if !e.description.isEmpty { context.emit("  Description: \(e.description)") }
        context.emit("  Events:      \(e.filter.isEmpty ? "all" : e.filter.joined(separator: ","))")
        context.emit("  State:       \(e.disabledReason.map { "disabled: \($0)" } ?? "enabled")")
        if let until = e.previousUntil, until > context.queueClock.wallNow {
            context.emit("  Rotating:    the previous secret signs too until \(UTCTimestamp.string(epochSeconds: until))")
        }
        context.emit("  Deliveries:  " + counts.map { "\($0.0) \($0.1.serialized)" }.joined(separator: ", "))
    }

    static func change(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let id = try endpointID(args)
        let verb = args.command.name
        switch verb {
        case "disable": try store.setEndpointDisabled(id: id, reason: "disabled by the operator")
        case "enable": try store.setEndpointDisabled(id: id, reason: nil)
        default: try store.removeEndpoint(id: id)
        }
        let done = verb == "remove" ? "removed" : verb + "d"
        context.json ? context.emit(.object([("id", .int(id)), ("action", .string(done))])) : context.emit("\(done) endpoint \(id)")
    }

    static func rotate(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let id = try endpointID(args)
        let secret = try Endpoints(store: store).rotate(id: id, now: context.queueClock.wallNow)
        if context.json {
            context.emit(.object([("id", .int(id)), ("secret", .string(secret))]))
        } else {
            context.emit("endpoint \(id): new secret (shown once): \(secret)")
            context.emit("the previous secret signs too for 24 hours")
        }
    }
}
