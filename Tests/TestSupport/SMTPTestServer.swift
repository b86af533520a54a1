import Foundation

/// A message as the loopback peer saved it.
public struct CapturedMessage: Sendable {
    /// The bytes after SMTP dot-unstuffing, exactly as received.
    public let data: Data
    public let mailFrom: String
    public let recipients: [String]
    /// The peer's id for the TCP connection the message arrived on.
    public let connection: Int
    /// Where the bytes are on disk (for the Python oracle).
    public let file: URL
}

public enum SMTPTestServerError: Error, CustomStringConvertible {
    case didNotStart(String)
    public var description: String {
        switch self {
        case .didNotStart(let reason): "The SMTP test peer did not start: \(reason)"
        }
    }
}

/// The aiosmtpd peer `Tests/SMTPTests/Peers/smtp_peer.py`, listening on 127.0.0.1 on an
/// ephemeral port. Always stop it: use `SMTPTestServer.with(…)`.
public final class SMTPTestServer {
    public let port: Int
    public let directory: TemporaryDirectory
    private let process: Process
    private let input: Pipe

    public static let script = Paths.packageRoot.appendingPathComponent("Tests/SMTPTests/Peers/smtp_peer.py")

    /// Starts the peer with extra command-line flags (see the script's doc string). With
    /// `recordingWire`, a proxy in front of it records every byte clients send (`wire()`).
    public init(arguments: [String] = [], recordingWire: Bool = false) throws {
        directory = try TemporaryDirectory("smtp-peer")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.script.path, "--dir", directory.path("mail")] + arguments
            + (recordingWire ? ["--wire", directory.path("wire.bin")] : [])
        let output = Pipe()
        input = Pipe()
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        let box = DataBox()
        let ready = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var collected = Data()
            while !collected.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                collected += chunk
            }
            box.set(collected)
            ready.signal()
        }
        guard ready.wait(timeout: .now() + 15) == .success else {
            process.terminate()
            directory.remove()
            throw SMTPTestServerError.didNotStart("no port announced within 15 s")
        }
        let line = String(decoding: box.data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)) else {
            process.terminate()
            directory.remove()
            throw SMTPTestServerError.didNotStart("unexpected output \"\(line)\"")
        }
        self.port = port
    }

    /// Runs `body` with a started peer and always stops it afterwards.
    public static func with<T>(_ arguments: [String] = [], recordingWire: Bool = false,
                               _ body: (SMTPTestServer) throws -> T) throws -> T {
        let server = try SMTPTestServer(arguments: arguments, recordingWire: recordingWire)
        defer { server.stop() }
        return try body(server)
    }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// Every message saved so far, in arrival order.
    public func messages() throws -> [CapturedMessage] {
        let folder = URL(fileURLWithPath: directory.path("mail"))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".eml") }.sorted()
        return try names.map { name in
            let file = folder.appendingPathComponent(name)
            let meta = folder.appendingPathComponent(String(name.dropLast(4)) + ".json")
            let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: meta)) as? [String: Any] ?? [:]
            return CapturedMessage(
                data: try Data(contentsOf: file),
                mailFrom: envelope["mailFrom"] as? String ?? "",
                recipients: envelope["rcptTos"] as? [String] ?? [],
                connection: envelope["connection"] as? Int ?? -1,
                file: file)
        }
    }

    /// How many TCP connections the peer has accepted.
    public func connectionCount() -> Int {
        let log = (try? String(contentsOfFile: directory.path("mail/connections.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").count
    }

    /// Every byte clients sent, as it went over TCP (TLS records once TLS is up); needs `recordingWire`.
    public func wire() -> Data {
        FileManager.default.contents(atPath: directory.path("wire.bin")) ?? Data()
    }

    /// The connections the peer has closed because they sat idle past `--idle-timeout`, by id.
    public func idleClosedConnections() -> [Int] {
        let log = (try? String(contentsOfFile: directory.path("mail/closed.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count == 2 && fields[1] == "idle" ? Int(fields[0]) : nil
        }
    }

    public func stop() {
        try? input.fileHandleForWriting.close()
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        directory.remove()
    }
}

/// Runs `Tests/SMTPTests/Peers/check_message.py`, the Python `email` (policy=strict) oracle.
public enum MessageOracle: Sendable {
    public static let script = Paths.packageRoot.appendingPathComponent("Tests/SMTPTests/Peers/check_message.py")

    public struct Verdict: Sendable {
        public let passed: Bool
        public let problems: String
        /// The decoded summary (subject, names, bodies, attachments with sha256).
        public let summary: [String: any Sendable]
    }

    public static func check(_ data: Data) throws -> Verdict {
        let folder = try TemporaryDirectory("oracle")
        defer { folder.remove() }
        let file = URL(fileURLWithPath: folder.path("message.eml"))
        try data.write(to: file)
        return try check(file: file)
    }

    public static func check(file: URL) throws -> Verdict {
        let result = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", script.path, file.path], timeout: 60)
        var summary: [String: any Sendable] = [:]
        if result.status == 0,
           let object = try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any] {
            for (key, value) in object { summary[key] = sendable(value) }
        }
        return Verdict(passed: result.status == 0, problems: result.stderr, summary: summary)
    }

    private static func sendable(_ value: Any) -> any Sendable {
        switch value {
        case let string as String: return string
        case let number as NSNumber: return number.intValue
        case let array as [Any]: return array.map(sendable)
        case let dictionary as [String: Any]: return dictionary.mapValues(sendable)
        default: return String(describing: value)
        }
    }
}

/// A running server process, owned by the test that started it.
@available(*, unavailable)
extension SMTPTestServer: Sendable {}
