import Billing
import Foundation
import Glibc
import Database
import SQLite
import Store
import Synchronization
import Webhook
import Workflows

/// `invoice serve` on loopback: `/healthz` with keep-alive and with `Connection: close` against nginx
/// (the Debian package, its default `worker_processes auto`) in the same run; distinct signed payment
/// events applied per second against a bare loop doing the same SQLite transactions one by one
/// (fsync each); p99 latency of events at a steady 200/s; `/healthz` latency while 200 idle and
/// dripping connections are held open, against nginx under the same load.
struct ServeBench: BenchSection {
    static let name = "serve"
    static let summary = "the webhook receiver against nginx and a bare SQLite loop"
    let environment: BenchEnvironment

    static let nginxPath = "/usr/sbin/nginx"
    static let keyBytes = Array("invoice-bench-webhook-key-32byte".utf8)
    static var secretText: String { "whsec_" + Data(keyBytes).base64EncodedString() }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.nginxPath) else {
            throw BenchError("\(Self.nginxPath) is missing; scripts/bench installs it (Debian package nginx)")
        }
        let seconds = quick ? 1.0 : 3.0
        let database = directory.appendingPathComponent("serve.sqlite").path
        let number = try seed(database)
        let server = try ServerProcess(invoice: invoice, database: database, secret: Self.secretText)
        defer { server.stop() }
        let nginx = try Nginx(directory: directory.appendingPathComponent("nginx"))
        defer { nginx.stop() }
        let health = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        let healthClose = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)

        report.section("invoice serve: GET /healthz on 127.0.0.1, 16 client threads, \(seconds) s each (best of 3)")
        var keep = (ours: 0.0, nginx: 0.0), close = (ours: 0.0, nginx: 0.0)
        for _ in 0..<3 {
            keep.ours = max(keep.ours, try keptAlive(port: server.port, request: health, seconds: seconds))
            keep.nginx = max(keep.nginx, try keptAlive(port: nginx.port, request: health, seconds: seconds))
            close.ours = max(close.ours, try closing(port: server.port, request: healthClose, seconds: seconds))
            close.nginx = max(close.nginx, try closing(port: nginx.port, request: healthClose, seconds: seconds))
        }
        report.figure("/healthz, keep-alive", keep.ours, unit: "req/s", peer: ("nginx", keep.nginx))
        report.figure("/healthz, Connection: close", close.ours, unit: "req/s", peer: ("nginx", close.nginx))

        let count = quick ? 1_000 : 4_000
        report.section("Distinct signed payment events applied (\(count), 16 keep-alive clients, one invoice collecting every payment)")
        let secret = try WebhookSecret(Self.secretText)
        let requests = try (0..<count).map { try signedEvent(secret, id: "evt_load_\($0)", invoice: number) }
        let applied = try events(port: server.port, requests: requests, clients: 16)
        let bareDatabase = directory.appendingPathComponent("bare.sqlite").path
        let bareNumber = try seed(bareDatabase)
        let bare = try bareLoop(bareDatabase, number: bareNumber, count: count)
        report.figure("events applied/s (group commit)", applied, unit: "ev/s",
                      peer: ("bare SQLite loop, 1 txn + fsync each", bare.rate))

        // Best of 3 rounds for the latencies, as the other sections do on this shared machine.
        let paced = quick ? 400 : 1_000
        var latency = (p50: Double.infinity, p99: Double.infinity)
        for round in 0..<3 {
            let measured = try steady(port: server.port, secret: secret, invoice: number, count: paced, perSecond: 200,
                                      round: round)
            if measured.p99 < latency.p99 { latency = measured }
        }
        report.figure("event p99 at 200/s (\(paced) events, best of 3)", latency.p99 * 1000, unit: "ms",
                      peer: ("bare SQLite txn p99", bare.p99 * 1000), higherIsBetter: false)
        report.figure("event p50 at 200/s", latency.p50 * 1000, unit: "ms",
                      peer: ("bare SQLite txn p50", bare.p50 * 1000), higherIsBetter: false)

        report.section("GET /healthz (fresh connection each) while 100 idle and 100 dripping connections are open")
        let probes = quick ? 100 : 300
        let oursSlow = try underSlowClients(port: server.port, probes: probes)
        let nginxSlow = try underSlowClients(port: nginx.port, probes: probes)
        report.figure("/healthz max latency, 200 slow clients", oursSlow.max * 1000, unit: "ms",
                      peer: ("nginx", nginxSlow.max * 1000), higherIsBetter: false)
        report.figure("/healthz p99 latency, 200 slow clients", oursSlow.p99 * 1000, unit: "ms",
                      peer: ("nginx", nginxSlow.p99 * 1000), higherIsBetter: false)
        report.note("targets: keep-alive ≥ 0.5× nginx, close ≥ 1× nginx, events ≥ 0.5× the bare loop, p99 ≤ 20 ms at 200/s, slow clients never delay /healthz beyond 50 ms")
    }

    // MARK: Load shapes

    /// Requests per second over kept-alive connections.
    private func keptAlive(port: Int, request: [UInt8], seconds: Double) throws -> Double {
        let tally = BenchTally()
        let stop = monotonicSeconds() + seconds
        let start = monotonicSeconds()
        onThreads(16) { _ in
            do {
                let client = try BenchHTTPClient(port: port)
                var done = 0
                while monotonicSeconds() < stop {
                    guard try client.exchange(request).status == 200 else { throw BenchError("not 200") }
                    done += 1
                }
                tally.add(count: done)
            } catch { tally.fail("\(error)") }
        }
        try check(tally)
        return Double(tally.count) / (monotonicSeconds() - start)
    }

    /// Requests per second with a new connection for each.
    private func closing(port: Int, request: [UInt8], seconds: Double) throws -> Double {
        let tally = BenchTally()
        let stop = monotonicSeconds() + seconds
        let start = monotonicSeconds()
        onThreads(16) { _ in
            var done = 0
            do {
                while monotonicSeconds() < stop {
                    let client = try BenchHTTPClient(port: port)
                    guard try client.exchange(request).status == 200 else { throw BenchError("not 200") }
                    done += 1
                }
            } catch { tally.fail("\(error)") }
            tally.add(count: done)
        }
        try check(tally)
        return Double(tally.count) / (monotonicSeconds() - start)
    }

    /// Events per second, every request answered 200 `applied`.
    private func events(port: Int, requests: [[UInt8]], clients: Int) throws -> Double {
        let tally = BenchTally()
        let start = monotonicSeconds()
        onThreads(clients) { index in
            do {
                let client = try BenchHTTPClient(port: port)
                var done = 0
                for request in stride(from: index, to: requests.count, by: clients).map({ requests[$0] }) {
                    let answer = try client.exchange(request)
                    guard answer.status == 200, answer.body.contains("\"applied\"") else {
                        throw BenchError("event answered \(answer.status) \(answer.body)")
                    }
                    done += 1
                }
                tally.add(count: done)
            } catch { tally.fail("\(error)") }
        }
        try check(tally)
        return Double(tally.count) / (monotonicSeconds() - start)
    }

    /// Events sent on a fixed schedule (open loop, 4 connections taking turns); latency counts from
    /// the scheduled moment, so a late answer delays the next send and is charged for it.
    private func steady(port: Int, secret: WebhookSecret, invoice: String, count: Int,
                        perSecond: Double, round: Int) throws -> (p50: Double, p99: Double) {
        let tally = BenchTally()
        let lanes = 4
        let start = monotonicSeconds() + 0.1
        let requests = try (0..<count).map { try signedEvent(secret, id: "evt_steady_\(round)_\($0)", invoice: invoice) }
        onThreads(lanes) { lane in
            do {
                let client = try BenchHTTPClient(port: port)
                var latencies: [Double] = []
                for index in stride(from: lane, to: count, by: lanes) {
                    let due = start + Double(index) / perSecond
                    let wait = due - monotonicSeconds()
                    if wait > 0 { usleep(UInt32(wait * 1_000_000)) }
                    let answer = try client.exchange(requests[index])
                    guard answer.status == 200 else { throw BenchError("event answered \(answer.status) \(answer.body)") }
                    latencies.append(monotonicSeconds() - due)
                }
                tally.add(count: latencies.count, latencies: latencies)
            } catch { tally.fail("\(error)") }
        }
        try check(tally)
        return (tally.quantile(0.5), tally.quantile(0.99))
    }

    /// `/healthz` on fresh connections, one after another, while 100 connections sit idle and 100
    /// send a header byte every 100 ms.
    private func underSlowClients(port: Int, probes: Int) throws -> (max: Double, p99: Double) {
        var idle: [BenchHTTPClient] = []
        var slow: [BenchHTTPClient] = []
        for _ in 0..<100 { idle.append(try BenchHTTPClient(port: port)) }
        for _ in 0..<100 {
            let client = try BenchHTTPClient(port: port)
            try client.send(Array("POST /webhooks/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8))
            slow.append(client)
        }
        let dripping = Dripping(slow.map(\.descriptor))
        defer { dripping.stop() }
        usleep(200_000)
        let tally = BenchTally()
        let request = Array("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        var latencies: [Double] = []
        for _ in 0..<probes {
            let begin = monotonicSeconds()
            let client = try BenchHTTPClient(port: port)
            guard try client.exchange(request).status == 200 else { throw BenchError("/healthz not 200 under slow clients") }
            latencies.append(monotonicSeconds() - begin)
            usleep(5_000)
        }
        tally.add(count: latencies.count, latencies: latencies)
        _ = idle.count
        return (tally.maximum, tally.quantile(0.99))
    }

    private func check(_ tally: BenchTally) throws {
        let failures = tally.failures
        if failures.count > 0 { throw BenchError("\(failures.count) load threads failed: \(failures.first)") }
    }

    // MARK: Data

    /// A database with one EUR customer and one large open invoice; its number.
    private func seed(_ path: String) throws -> String {
        let store = try Store(path: path)
        let customer = try store.addCustomer(Customer(
            id: 0, company: "Bench GmbH", address: Address(country: try Country(code: "DE")), email: "bench@example.de",
            currency: try Currency(code: "EUR"), language: .en))
        let draft = InvoiceDraft(title: "Bench", lines: [
            try InvoiceLine(parsing: "Large order;1;1000000.00;19", currency: customer.currency),
        ])
        let invoice = try Invoicing(store: store).create(customerReference: String(customer.id), draft, issue: true,
                                                         today: try Day(parsing: "2026-11-25"))
        guard let number = invoice.number else { throw BenchError("the bench invoice was not numbered") }
        return number
    }

    private func signedEvent(_ secret: WebhookSecret, id: String, invoice: String) throws -> [UInt8] {
        let body = Array("""
            {"type":"payment.succeeded","data":{"id":"\(id)","invoice":"\(invoice)","amount":"0.01",\
            "currency":"EUR","paid_at":"2026-11-25T10:00:00Z"}}
            """.utf8)
        let stamp = String(Int(Date().timeIntervalSince1970))
        let signature = secret.signature(id: "msg_\(id)", timestamp: stamp, body: body)
        let head = "POST /webhooks/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "webhook-id: msg_\(id)\r\nwebhook-timestamp: \(stamp)\r\nwebhook-signature: \(signature)\r\n"
            + "Content-Length: \(body.count)\r\n\r\n"
        return Array(head.utf8) + body
    }

    /// The peer: what applying an event writes, as plain SQL, one `BEGIN IMMEDIATE … COMMIT` per event
    /// on a connection with WAL and `synchronous = FULL` (each commit is an fsync), no HTTP, no JSON.
    private func bareLoop(_ path: String, number: String, count: Int) throws -> (rate: Double, p50: Double, p99: Double) {
        let connection = try Connection(path: path)
        var latencies: [Double] = []
        let start = monotonicSeconds()
        for index in 0..<count {
            let begin = monotonicSeconds()
            let id = "evt_bare_\(index)"
            try connection.transaction(.immediate) {
                _ = try connection.run("""
                    INSERT INTO webhook_events (id, received_at, payload, status) VALUES (?, '2026-11-25T10:00:00Z', ?, 'received')
                    ON CONFLICT (id) DO NOTHING
                    """, [.text(id), .text("{\"id\":\"\(id)\"}")])
                guard let row = try connection.first("SELECT id, total, paid FROM invoices WHERE number = ?", [.text(number)],
                                                     { ($0.int(0), $0.int(1), $0.int(2)) })
                else { throw BenchError("no bench invoice") }
                _ = try connection.run("""
                    INSERT INTO payments (invoice_id, amount, date, method, reference, event_id, created_at)
                    VALUES (?, 1, '2026-11-25', 'webhook', ?, ?, '2026-11-25T10:00:00Z')
                    """, [.integer(row.0), .text(id), .text(id)])
                _ = try connection.run("UPDATE invoices SET paid = ?, status = ? WHERE id = ?",
                                       [.integer(row.2 + 1), .text(row.2 + 1 >= row.1 ? "paid" : "partially_paid"), .integer(row.0)])
                _ = try connection.run("UPDATE webhook_events SET status = 'applied', result = ? WHERE id = ?",
                                       [.text("{\"status\": \"applied\"}"), .text(id)])
            }
            latencies.append(monotonicSeconds() - begin)
        }
        let rate = Double(count) / (monotonicSeconds() - start)
        latencies.sort()
        return (rate, latencies[count / 2], latencies[min(count - 1, count * 99 / 100)])
    }
}

/// Sends one byte to each descriptor every 100 ms until stopped (requests that never finish).
final class Dripping: Sendable {
    private let stopped = Mutex(false)
    private let done = DispatchSemaphore(value: 0)

    init(_ descriptors: [Int32]) {
        Thread { [self] in
            while !stopped.withLock({ $0 }) {
                for fd in descriptors { _ = Glibc.send(fd, "X", 1, Int32(MSG_NOSIGNAL)) }
                usleep(100_000)
            }
            done.signal()
        }.start()
    }

    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { done.wait() }
    }
}

/// `invoice serve --port 0` as a child process; its port from the line it prints when ready.
final class ServerProcess {
    let process = Process()
    let port: Int

    init(invoice: String, database: String, secret: String) throws {
        process.executableURL = URL(fileURLWithPath: invoice)
        process.arguments = ["--db", database, "serve", "--port", "0"]
        var env = ProcessInfo.processInfo.environment
        env["INVOICE_WEBHOOK_SECRET"] = secret
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line += chunk
        }
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]) else {
            process.terminate()
            throw BenchError("invoice serve did not start: '\(text)'")
        }
        self.port = port
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// nginx serving the same `/healthz` answer from its own prefix folder, in the foreground.
final class Nginx {
    let process = Process()
    let port: Int

    init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Nginx.freePort()
        let root = directory.path
        let config = """
            worker_processes auto;
            daemon off;
            pid \(root)/nginx.pid;
            error_log \(root)/error.log;
            events { worker_connections 2048; }
            http {
                access_log off;
                keepalive_requests 100000000;
                client_body_temp_path \(root)/body; proxy_temp_path \(root)/proxy;
                fastcgi_temp_path \(root)/fastcgi; uwsgi_temp_path \(root)/uwsgi; scgi_temp_path \(root)/scgi;
                server {
                    listen 127.0.0.1:\(port);
                    location = /healthz { default_type application/json; return 200 '{"status": "ok"}\\n'; }
                    location = /events { default_type application/json; return 200 '{"ok": true}'; }
                }
            }
            """
        let file = directory.appendingPathComponent("nginx.conf")
        try Data(config.utf8).write(to: file)
        process.executableURL = URL(fileURLWithPath: ServeBench.nginxPath)
        process.arguments = ["-p", root, "-c", file.path, "-e", "\(root)/error.log"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let client = try? BenchHTTPClient(port: port), (try? client.exchange(Array("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n".utf8)))?.status == 200 {
                return
            }
            usleep(20_000)
        }
        stop()
        throw BenchError("nginx did not start (see \(root)/error.log)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()  // SIGTERM: fast shutdown of master and workers
        process.waitUntilExit()
    }

    /// A port the kernel reports free right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw BenchError("no free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

@available(*, unavailable)
extension ServerProcess: Sendable {}

@available(*, unavailable)
extension Nginx: Sendable {}
