import Foundation
import Testing
import TestSupport

/// `invoice serve` as a process on 127.0.0.1 and an ephemeral port, for the API.
final class APIServer {
    let process = Process()
    let port: Int
    private var stopped = false

    init(database: String, today: String = APIDesk.today, environment: [String: String] = [:]) throws {
        process.executableURL = Paths.invoiceExecutable
        process.arguments = ["--db", try TestEngine.location(for: database), "--date", today, "serve", "--port", "0"]
        process.currentDirectoryURL = URL(fileURLWithPath: database).deletingLastPathComponent()
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INVOICE_WEBHOOK_SECRET")
        env.removeValue(forKey: "INVOICE_STRIPE_WEBHOOK_SECRET")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        let box = TextBox()
        let ready = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var collected = Data()
            while !collected.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                collected += chunk
            }
            box.set(String(decoding: collected, as: UTF8.self))
            ready.signal()
        }
        let line = ready.wait(timeout: .now() + 20) == .success ? box.value : ""
        let prefix = "listening on http://127.0.0.1:"
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(prefix), let port = Int(trimmed.dropFirst(prefix.count)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ProcessRunnerError.failed("invoice serve did not announce its port: '\(line)'")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// SIGTERM, then up to 10 s for a clean exit; SIGKILL only as a last resort.
    func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }
}

@available(*, unavailable)
extension APIServer: Sendable {}

final class TextBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ""
    func set(_ text: String) { lock.lock(); stored = text; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return stored }
}

/// One answer as curl saw it.
struct Answer: Sendable {
    let status: Int
    let headers: [String: String]
    let body: String

    /// The body as a JSON object; throws when it is not one.
    func object() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else {
            throw ProcessRunnerError.failed("not a JSON object: \(body)")
        }
        return object
    }

    /// `error.type` of the one error shape; throws when the body is not that shape.
    func errorType() throws -> String {
        guard let error = try object()["error"] as? [String: Any], let type = error["type"] as? String,
              error["message"] is String else {
            throw ProcessRunnerError.failed("not the error shape: \(body)")
        }
        return type
    }
}

/// Real curl against the server: method, path, optional key, JSON body and headers.
enum CurlClient {
    static func arguments(_ method: String, _ url: String, key: String?, body: String?, headers: [String]) -> [String] {
        var args = ["-sS", "--max-time", "30", "-X", method, "-D", "-", "-o", "-", url]
        if let key { args += ["-H", "Authorization: Bearer \(key)"] }
        if let body {
            // Long bodies go through a file (an argument list has a limit).
            if body.utf8.count > 32 * 1024 {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("curl-body-\(UUID().uuidString).json")
                FileManager.default.createFile(atPath: file.path, contents: Data(body.utf8))
                args += ["-H", "Content-Type: application/json", "--data-binary", "@" + file.path]
            } else {
                args += ["-H", "Content-Type: application/json", "--data-binary", body]
            }
        }
        for header in headers { args += ["-H", header] }
        return args
    }

    static func parse(_ output: String) throws -> Answer {
        // -D - then -o -: the head(s) first (a 100 Continue has its own), then the body.
        var rest = Substring(output)
        var status = -1
        var headers: [String: String] = [:]
        while rest.hasPrefix("HTTP/") {
            guard let end = rest.range(of: "\r\n\r\n") else { throw ProcessRunnerError.failed("no header end: \(output)") }
            let head = rest[..<end.lowerBound].components(separatedBy: "\r\n")
            status = Int(head[0].split(separator: " ")[1]) ?? -1
            headers = [:]
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            rest = rest[end.upperBound...]
        }
        return Answer(status: status, headers: headers, body: String(rest))
    }

    static func send(_ method: String, _ url: String, key: String?, body: String? = nil, headers: [String] = []) throws -> Answer {
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/curl"), arguments(method, url, key: key, body: body, headers: headers),
                                           timeout: 40)
        guard result.status == 0 else { throw ProcessRunnerError.failed("curl \(method) \(url): \(result.stderr)") }
        return try parse(result.stdout)
    }
}

/// A desk (operator, catalog) made through the real CLI, with keys for the API.
struct APIDesk: Sendable {
    static let today = "2026-11-25"
    let directory: TemporaryDirectory
    let cli: InvoiceCLI

    init(_ label: String) throws {
        directory = try TemporaryDirectory(label)
        cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"), today: APIDesk.today)
        try cli.ok("settings", "set", "currency", "EUR")
        try cli.ok("settings", "set", "email", "billing@operator.example")
        try cli.ok("catalog", "add-plan", "Pro", "--currency", "EUR", "--monthly", "49.00", "--yearly", "490.00", "--vat", "19")
        try cli.ok("catalog", "add-module", "Zeit", "--currency", "EUR", "--monthly", "9.00", "--yearly", "90.00", "--vat", "19",
                   "--trial-days", "14")
    }

    /// `invoice api-keys create --name NAME [--read-only]`: the key it printed.
    func createKey(_ name: String, readOnly: Bool = false) throws -> String {
        try cli.ok(["api-keys", "create", "--name", name] + (readOnly ? ["--read-only"] : []))
    }

    /// The database as text without the API keys' rows (their last use changes on every read).
    func booksDump() throws -> String {
        try cli.dump().split(separator: "\n").filter { !$0.contains("INSERT INTO api_keys") }.joined(separator: "\n")
    }

    func count(_ table: String) throws -> Int {
        Int(try cli.sql("SELECT count(*) FROM \(table)").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func remove() { directory.remove() }
}
