import Foundation
import Store
import Workflows

/// `invoice events run` end to end (claim a batch with its lease, sign each event, POST it through
/// libcurl, record each result in SQLite) into nginx answering at once on loopback, with 1 and 4
/// connections, against Python's `requests` (a Session per thread) POSTing the same payloads, each
/// signed by the `standardwebhooks` reference library. Same server, same bodies, same count.
struct EventBench: BenchSection {
    static let name = "events"
    static let summary = "the event delivery run into nginx against a requests session"
    let environment: BenchEnvironment

    func run() throws {
        let count = quick ? 2_000 : 10_000
        guard FileManager.default.isExecutableFile(atPath: ServeBench.nginxPath) else {
            throw BenchError("\(ServeBench.nginxPath) is missing; scripts/bench installs it (Debian package nginx)")
        }
        guard let peers else { throw BenchError("peer material not found (Benchmarks/peers, or --peers DIR)") }
        let script = peers.appendingPathComponent("requests_webhooks.py").path
        let nginx = try Nginx(directory: directory.appendingPathComponent("nginx-events"))
        defer { nginx.stop() }
        let url = "http://127.0.0.1:\(nginx.port)/events"
        report.section("Event delivery into nginx on 127.0.0.1 (\(count) signed events of \(EventBench.payload(sequence: 1).utf8.count) bytes)")
        let rounds = quick ? 3 : 5
        for connections in [1, 4] {
            var best = (ours: 0.0, python: 0.0)
            for round in 0..<rounds {
                let path = directory.appendingPathComponent("events-\(connections)-\(round).sqlite").path
                let (secret, bodies) = try seed(path: path, url: url, count: count)
                let ours = try measureProcess(invoice, ["--db", path, "events", "run", "--connections", String(connections),
                                                        "--per-endpoint", String(connections)]).seconds
                let delivered = try Store(path: path).deliveries(state: .delivered, endpointID: nil, limit: count + 1).count
                guard delivered == count else { throw BenchError("events run delivered \(delivered) of \(count)") }
                let python = try measureProcess("/usr/bin/env", ["python3", script, url, bodies, secret, String(connections)]).seconds
                best = (max(best.ours, Double(count) / ours), max(best.python, Double(count) / python))
            }
            report.figure("events run, \(connections) connection\(connections == 1 ? "" : "s")", best.ours, unit: "events/s",
                          peer: ("requests \(connections == 1 ? "Session" : "\(connections) threads")", best.python))
        }
        report.note("target: ≥ 2× requests at 1 and 4 connections; requests only signs and sends, the run also claims each batch with its lease and records every attempt in SQLite (one commit per batch of 16)")
    }

    /// A database with one endpoint for `url` and `count` events for it (one transaction); the
    /// endpoint's secret and a JSON-lines file of the same bodies for the Python peer.
    private func seed(path: String, url: String, count: Int) throws -> (secret: String, bodies: String) {
        let store = try Store(path: path)
        let endpoint = try Endpoints(store: store).add(url: url, filter: [], description: "bench", allowPrivate: false)
        var lines = ""
        try store.write {
            for _ in 0..<count {
                var body = ""
                let id = try store.recordEvent(type: "invoice.paid", customerID: 1) { sequence, _ in
                    body = EventBench.payload(sequence: sequence)
                    return body
                }
                guard let id else { throw BenchError("no event written") }
                lines += JSON.object([("id", .string("evt_\(id)")), ("body", .string(body))]).compact + "\n"
            }
        }
        let file = path + ".jsonl"
        try Data(lines.utf8).write(to: URL(fileURLWithPath: file))
        return (endpoint.secret, file)
    }

    /// An `invoice.paid` payload of the size a one-line invoice has.
    static func payload(sequence: Int64) -> String {
        let line = JSON.object([("position", .int(1)), ("title", .string("Business plan — 1 month from the day of payment")),
                                ("description", .string("")), ("quantity", .string("1")), ("unit", .string("month")),
                                ("unit_price", .string("50.00")), ("discount", .string("0")), ("vat_rate", .string("8.1")),
                                ("amount", .string("50.00"))])
        let data = JSON.object([
            ("id", .int(sequence)), ("number", .string("INV-2026-\(sequence)")), ("status", .string("paid")), ("customer", .int(1)),
            ("customer_name", .string("Kasse GmbH")), ("title", .string("Business plan")), ("currency", .string("CHF")),
            ("language", .string("de")), ("tax_mode", .string("net")), ("issue_date", .string("2026-11-25")),
            ("due_date", .string("2026-12-25")), ("user", .null), ("lines", .array([line])), ("net", .string("50.00")),
            ("vat", .array([.object([("rate", .string("8.1")), ("base", .string("50.00")), ("amount", .string("4.05"))])])),
            ("vat_total", .string("4.05")), ("gross", .string("54.05")), ("rounding", .string("0.00")), ("total", .string("54.05")),
            ("paid", .string("54.05")), ("open", .string("0.00")), ("type", .string("invoice")), ("prepaid", .string("0.00")),
            ("credited", .string("0.00")),
            ("payments", .array([.object([("amount", .string("54.05")), ("date", .string("2026-11-25")), ("method", .string("")),
                                          ("reference", .string(""))])])),
            ("notes", .string("")), ("sent", .null), ("sequence", .int(sequence)),
        ])
        return JSON.object([("type", .string("invoice.paid")), ("timestamp", .string("2026-12-07T16:40:27Z")), ("data", data)]).compact
    }
}
