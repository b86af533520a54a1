import Foundation
import Synchronization

/// The outcome of running a program to completion.
public struct ProcessResult: Sendable {
    /// The exit status, or the signal number when `signal` is set.
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var stdoutData: Data
    /// The signal that ended the process, nil when it exited.
    public var signal: Int32? = nil
}

public enum ProcessRunnerError: Error, CustomStringConvertible {
    case timedOut(String, seconds: Double)
    case failed(String)
    public var description: String {
        switch self {
        case .timedOut(let cmd, let seconds): "\(cmd) did not finish within \(seconds) s"
        case .failed(let message): message
        }
    }
}

/// Runs programs as a user would, capturing output; never waits forever.
public enum ProcessRunner: Sendable {
    @discardableResult
    public static func run(
        _ executable: URL,
        _ arguments: [String],
        environment: [String: String] = [:],
        currentDirectory: URL? = nil,
        stdin: Data? = nil,
        timeout: Double = 120
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "INVOICE_DB")
        env.removeValue(forKey: "INVOICE_TODAY")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try? input.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { outBox.set(out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        group.enter()
        DispatchQueue.global().async { errBox.set(err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(2_000) }
        if process.isRunning {
            process.terminate()
            throw ProcessRunnerError.timedOut(([executable.path] + arguments).joined(separator: " "), seconds: timeout)
        }
        process.waitUntilExit()
        group.wait()
        return ProcessResult(
            status: process.terminationStatus,
            stdout: String(decoding: outBox.data, as: UTF8.self),
            stderr: String(decoding: errBox.data, as: UTF8.self),
            stdoutData: outBox.data,
            signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil)
    }

    /// Runs a shell command line (for the real tools: qpdf, pdftotext, python3, chromium).
    @discardableResult
    public static func shell(_ command: String, timeout: Double = 120) throws -> ProcessResult {
        try run(URL(fileURLWithPath: "/bin/sh"), ["-c", command], timeout: timeout)
    }
}

final class DataBox: Sendable {
    private let stored = Mutex(Data())
    func set(_ data: Data) { stored.withLock { $0 = data } }
    var data: Data { stored.withLock { $0 } }
}
