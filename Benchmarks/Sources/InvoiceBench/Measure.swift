import Foundation

/// Times a block with the monotonic clock.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs a command line to completion and returns its wall time, peak resident memory (KiB) and
/// the CPU time (user + system, all threads) it used.
func measureProcess(_ executable: String, _ arguments: [String]) throws -> (seconds: Double, peakKiB: Int, cpuSeconds: Double) {
    var pid: pid_t = 0
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let start = DispatchTime.now().uptimeNanoseconds
    let rc = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard rc == 0 else { throw BenchError("cannot start \(executable): errno \(rc)") }
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
    guard status == 0 else { throw BenchError("\(executable) \(arguments.joined(separator: " ")) failed (status \(status))") }
    func cpu(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return (seconds, peakKiB > 0 ? peakKiB : Int(usage.ru_maxrss), cpu(usage.ru_utime) + cpu(usage.ru_stime))
}

/// The peak resident memory (KiB) of a running process's current program, 0 when unknown.
private func highWaterKiB(_ pid: pid_t) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    return Int(line.dropFirst(6).filter(\.isNumber)) ?? 0
}

/// Why the bench stopped: one line for stderr.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
