import Billing
import Foundation
import Store
import Workflows

/// `invoice bench`: figures for this machine, each next to a peer measured in the same run.
enum BenchCommand {
    static let command = Command(
        name: "bench", summary: "measure speed against peers on this machine",
        discussion: """
            Measures this machine, each figure next to a peer measured in the same run: invoices issued
            per second into SQLite (against the sqlite3 shell), the memory of streaming 100,000 invoices
            as JSON, the scheduled run over 100,000 customers, HTML and PDF rendering (against Jinja2,
            ReportLab, WeasyPrint, wkhtmltopdf), batch printing, and the mailing run (against Postfix's
            smtp-source and Python's smtplib). scripts/bench installs the peers first.
            """,
        options: [.flag("--quick", "smaller counts")],
        database: .none,
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        let quick = args.flag("--quick")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("invoice-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let report = BenchReport(context: context)
        report.title("invoice bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(quick ? "quick" : "full") counts")
        try StoreBench(directory: dir, quick: quick, report: report).run()
        try RunBench(directory: dir, quick: quick, report: report).run()
        try DocumentBench(directory: dir, quick: quick, report: report).run()
        try MailBench(directory: dir, quick: quick, report: report).run()
        report.finish()
    }
}

/// Prints figures as they are measured, and collects them for `--json`.
final class BenchReport {
    let context: Context
    private var figures: [(String, JSON)] = []

    init(context: Context) { self.context = context }

    func title(_ text: String) { if !context.json { context.emit(text) } }

    func section(_ text: String) { if !context.json { context.emit("\n\(text)") } }

    /// One figure; with a peer, also the ratio (ours ÷ peer for rates, peer ÷ ours for costs).
    func figure(_ name: String, _ value: Double, unit: String, peer: (name: String, value: Double)? = nil, higherIsBetter: Bool = true) {
        var pairs: [(String, JSON)] = [("value", .string(Self.format(value))), ("unit", .string(unit))]
        var line = "  \(name.padding(46))\(Self.format(value).leftPadded(12)) \(unit)"
        if let peer {
            let ratio = higherIsBetter ? value / max(peer.value, 1e-9) : peer.value / max(value, 1e-9)
            pairs += [("peer", .string(peer.name)), ("peer_value", .string(Self.format(peer.value))), ("ratio", .string(Self.format(ratio)))]
            line += "   vs \(peer.name) \(Self.format(peer.value)) \(unit): \(Self.format(ratio))×"
        }
        figures.append((name, .object(pairs)))
        if !context.json { context.emit(line) }
    }

    func note(_ text: String) { if !context.json { context.emit("  \(text)") } }

    func finish() { if context.json { context.emit(.object(figures)) } }

    static func format(_ value: Double) -> String {
        if value < 0 { return "-" + format(-value) }
        if value >= 100 { return String(Int(value.rounded())) }
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }
}

/// Times a block with the monotonic clock.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs a command line to completion and returns its wall time and peak resident memory (KiB).
func measureProcess(_ executable: String, _ arguments: [String], stdout: FileHandle? = nil) throws -> (seconds: Double, peakKiB: Int) {
    var pid: pid_t = 0
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let start = DispatchTime.now().uptimeNanoseconds
    let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard rc == 0 else { throw CommandFailure(message: "bench: cannot start \(executable): errno \(rc)") }
    // The child's own peak is sampled from /proc/PID/status (VmHWM) while it runs: wait4's
    // ru_maxrss is no good here, because posix_spawn's child shares this process's memory until
    // it execs, and Linux keeps that high-water mark (this bench's own peak) in the child's figure.
    var status: Int32 = 0
    var usage = rusage()
    var peakKiB = 0
    while true {
        let reaped = wait4(pid, &status, WNOHANG, &usage)
        if reaped == pid { break }
        if reaped < 0 && errno != EINTR { break }
        peakKiB = max(peakKiB, highWaterKiB(pid))
        usleep(2_000)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    guard status == 0 else { throw CommandFailure(message: "bench: \(executable) \(arguments.joined(separator: " ")) failed (status \(status))") }
    return (seconds, peakKiB > 0 ? peakKiB : Int(usage.ru_maxrss))
}

/// The peak resident memory (KiB) of a running process's current program, 0 when unknown.
private func highWaterKiB(_ pid: pid_t) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.dropFirst(6).filter(\.isNumber)) ?? 0
}

/// The path of this very executable, for child runs.
var currentExecutable: String {
    (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
}
