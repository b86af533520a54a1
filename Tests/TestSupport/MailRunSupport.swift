import Foundation
import Synchronization

/// An `invoice` process left running in the background, so a test can SIGKILL it at any moment.
/// Started with posix_spawn (stdout and stderr to files); killed only by its own pid.
public final class BackgroundInvoice: Sendable {
    public let pid: pid_t
    /// The raw wait status once reaped.
    private let exitStatus = Mutex<Int32?>(nil)

    /// Starts `invoice ARGUMENTS…` with `environment` added to this process's environment, in
    /// `workingDirectory` when given (a host of its own in MultiHostTests), else in this one's.
    public init(_ arguments: [String], environment: [String: String] = [:], output: URL? = nil,
                workingDirectory: URL? = nil) throws {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INVOICE_DB")
        env.removeValue(forKey: "INVOICE_TODAY")
        for (key, value) in environment { env[key] = value }
        var executable = Paths.invoiceExecutable.path
        var command = [executable] + arguments
        if let workingDirectory {
            // The shell changes folder and execs invoice in its place (the same pid).
            command = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", workingDirectory.path] + command
            executable = "/bin/sh"
        }
        let argv = command.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        let sink = output?.path ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, sink, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw ProcessRunnerError.failed("cannot start \(executable): errno \(rc)") }
        pid = child
    }

    /// Whether it has exited (reaps it if so).
    public var hasExited: Bool {
        exitStatus.withLock { exitStatus in
            if exitStatus != nil { return true }
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = status
                return true
            }
            return false
        }
    }

    /// Whether it has ended, killed by SIGKILL (reaps it if it has ended).
    public var diedOfSIGKILL: Bool {
        guard hasExited, let status = exitStatus.withLock({ $0 }) else { return false }
        return status & 0x7f == SIGKILL
    }

    /// SIGKILL by pid, then reaps it.
    public func kill() {
        guard !hasExited else { return }
        Foundation.kill(pid, SIGKILL)
        _ = wait(timeout: 10)
    }

    /// Waits for the exit; returns the raw wait status, or nil (and kills it) after `timeout` seconds.
    @discardableResult
    public func wait(timeout: Double) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if hasExited { return exitStatus.withLock { $0 } }
            usleep(5_000)
        }
        Foundation.kill(pid, SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
        exitStatus.withLock { $0 = status }
        return nil
    }
}

extension CapturedMessage {
    /// The `Message-ID` header value, with its angle brackets.
    public var messageID: String? { MailBytes.header("Message-ID", in: data) }
}

/// Small readers for raw RFC 5322 bytes, and the Python extractor for attachments.
public enum MailBytes: Sendable {
    /// The first header field `name` (unfolded), or nil.
    public static func header(_ name: String, in data: Data) -> String? {
        let text = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { return nil }
        let block = text[..<end.lowerBound].replacingOccurrences(of: "\r\n ", with: " ")
            .replacingOccurrences(of: "\r\n\t", with: " ")
        let prefix = name.lowercased() + ":"
        for line in block.components(separatedBy: "\r\n") where line.lowercased().hasPrefix(prefix) {
            return line.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    /// The decoded attachments of a message (Python `email`, policy=strict): filename and bytes.
    public static func attachments(file: URL) throws -> [(filename: String, data: Data)] {
        let folder = try TemporaryDirectory("attachments")
        defer { folder.remove() }
        let script = """
            import email, email.policy, os, sys
            m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.strict)
            for i, p in enumerate(m.iter_attachments()):
                open(os.path.join(sys.argv[2], '%d.bin' % i), 'wb').write(p.get_content())
                print(p.get_filename())
            """
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", "-c", script, file.path, folder.url.path], timeout: 60)
        guard result.status == 0 else { throw ProcessRunnerError.failed("attachment extraction failed: \(result.stderr)") }
        let names = result.stdout.split(separator: "\n").map(String.init)
        return try names.enumerated().map { index, name in
            (name, try Data(contentsOf: folder.url.appendingPathComponent("\(index).bin")))
        }
    }
}

/// Postfix's `smtp-sink` on 127.0.0.1 with any extra flags (`-q .`, `-Q RCPT`, `-t 1`…), and
/// optionally dumping each message into a folder (LF endings plus smtp-sink's own headers: not
/// byte-exact, but good for counting Message-IDs). Stopped with SIGKILL by pid: processes started through
/// Foundation's `Process` inherit a blocked SIGTERM here, and smtp-sink has no other way to stop.
public final class LoopbackSink {
    public let port: Int
    public let dump: TemporaryDirectory?
    private let process: Process

    public init(flags: [String] = [], dumping: Bool = false, backlog: Int = 100) throws {
        if dumping {
            let folder = try TemporaryDirectory("smtp-sink-dump")
            chmod(folder.url.path, 0o777)
            dump = folder
        } else {
            dump = nil
        }
        // smtp-sink cannot report the port it got, so a free port is picked first; another process
        // may take it in between (then smtp-sink exits), so a few ports are tried. A port only counts
        // while *our* smtp-sink is running: a connect alone could reach another test's server.
        for _ in 0..<8 {
            let free = try ProcessRunner.shell(
                "python3 -c 'import socket; s=socket.socket(); s.bind((\"127.0.0.1\", 0)); print(s.getsockname()[1])'")
            guard let port = Int(free.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { continue }
            var arguments = ["-u", "nobody", "-4"] + flags
            if let dump { arguments += ["-d", dump.path("m.")] }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/smtp-sink")
            process.arguments = arguments + ["127.0.0.1:\(port)", String(backlog)]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline && process.isRunning {
                if Self.accepts(port: port) {
                    usleep(50_000)
                    if process.isRunning {
                        self.port = port
                        self.process = process
                        return
                    }
                    break
                }
                usleep(20_000)
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        dump?.remove()
        throw SMTPTestServerError.didNotStart("smtp-sink did not start on a free port")
    }

    /// A plain TCP connect to 127.0.0.1:port.
    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    public var url: String { "smtp://127.0.0.1:\(port)" }

    /// The Message-IDs of the dumped messages, one entry per message received.
    public func dumpedMessageIDs() throws -> [String] {
        guard let dump else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: dump.url.path).compactMap { name in
            let text = String(decoding: try Data(contentsOf: dump.url.appendingPathComponent(name)), as: UTF8.self)
            guard let range = text.range(of: "\nMessage-ID: ", options: .caseInsensitive) else { return nil }
            return String(text[range.upperBound...].prefix { $0 != "\n" && $0 != "\r" })
        }
    }

    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        dump?.remove()
    }
}

/// A running server process, owned by the test that started it.
@available(*, unavailable)
extension LoopbackSink: Sendable {}
