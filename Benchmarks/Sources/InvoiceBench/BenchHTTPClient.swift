import Foundation
import Glibc
import Synchronization

/// A minimal blocking HTTP/1.1 client for the serve bench: one TCP connection, requests written as
/// given, answers framed by Content-Length. Each load thread owns one.
final class BenchHTTPClient {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    private var start = 0
    private var end = 0

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            let code = errno
            Glibc.close(fd)
            throw BenchError("connect to 127.0.0.1:\(port): errno \(code)")
        }
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    var descriptor: Int32 { fd }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                throw BenchError("send: errno \(errno)")
            }
            offset += sent
        }
    }

    /// Sends a request and reads its answer: the status and the body.
    func exchange(_ request: [UInt8]) throws -> (status: Int, body: String) {
        try send(request)
        return try readAnswer()
    }

    func readAnswer() throws -> (status: Int, body: String) {
        while true {
            if let answer = parse() { return answer }
            if start > 0 {
                buffer.withUnsafeMutableBytes { raw in
                    raw.baseAddress!.copyMemory(from: raw.baseAddress! + start, byteCount: end - start)
                }
                end -= start
                start = 0
            }
            if end == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + end, $0.count - end, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw BenchError(count == 0 ? "the server closed the connection" : "recv: errno \(errno)") }
            end += count
        }
    }

    private func parse() -> (status: Int, body: String)? {
        guard end - start >= 12 else { return nil }
        var index = start
        var headerEnd = -1
        while index + 3 < end {
            if buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                headerEnd = index + 4
                break
            }
            index += 1
        }
        guard headerEnd > 0 else { return nil }
        let head = String(decoding: buffer[start..<headerEnd], as: UTF8.self)
        let status = Int(head.dropFirst(9).prefix(3)) ?? 0
        var length = 0
        for line in head.split(separator: "\r\n") where line.lowercased().hasPrefix("content-length:") {
            length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0
        }
        guard end - headerEnd >= length else { return nil }
        let body = String(decoding: buffer[headerEnd..<(headerEnd + length)], as: UTF8.self)
        start = headerEnd + length
        return (status, body)
    }
}

@available(*, unavailable)
extension BenchHTTPClient: Sendable {}

/// Runs `body(index)` on `count` threads at once and waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        Thread {
            body(index)
            group.leave()
        }.start()
    }
    group.wait()
}

/// Latencies and counts gathered from several threads.
final class BenchTally: Sendable {
    private struct State: Sendable {
        var count = 0
        var failures = 0
        var firstFailure = ""
        var latencies: [Double] = []
    }

    private let state = Mutex(State())

    func add(count: Int, latencies: [Double] = []) {
        state.withLock {
            $0.count += count
            $0.latencies += latencies
        }
    }

    func fail(_ message: String) {
        state.withLock {
            if $0.failures == 0 { $0.firstFailure = message }
            $0.failures += 1
        }
    }

    var count: Int { state.withLock { $0.count } }
    var failures: (count: Int, first: String) { state.withLock { ($0.failures, $0.firstFailure) } }

    /// The q-quantile of the latencies (seconds), 0 when none.
    func quantile(_ q: Double) -> Double {
        let sorted = state.withLock { $0.latencies }.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * q).rounded(.down)))]
    }

    var maximum: Double { state.withLock { $0.latencies.max() ?? 0 } }
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
