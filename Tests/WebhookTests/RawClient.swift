import Foundation
import Glibc

/// A plain TCP client on 127.0.0.1 for the receiver's tests: writes bytes exactly as given (pipelined,
/// dripped, half-sent) and reads answers back with a deadline, so every exchange is bounded.
final class RawClient {
    let fd: Int32
    private var pending: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// One parsed answer.
    struct Answer: Sendable {
        let status: Int
        let headers: [String: String]
        let body: String
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure(description: "connect to port \(port): errno \(code)")
        }
    }

    deinit { Glibc.close(fd) }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "send: errno \(errno)")
            }
            offset += sent
        }
    }

    /// Waits up to `timeout` seconds for bytes; nil on timeout, [] when the peer closed.
    private func receive(timeout: Double) throws -> [UInt8]? {
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, Int32(max(0, timeout * 1000)))
        if ready == 0 { return nil }
        if ready < 0 {
            if errno == EINTR { return try receive(timeout: timeout) }
            throw Failure(description: "poll: errno \(errno)")
        }
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count < 0 {
            if errno == ECONNRESET { return [] }
            throw Failure(description: "recv: errno \(errno)")
        }
        return Array(chunk.prefix(count))
    }

    /// Reads `count` answers (bodies framed by Content-Length; `bodyless` marks answers to HEAD),
    /// failing when they are not all there within `timeout` seconds.
    func answers(_ count: Int, timeout: Double = 10, bodyless: Set<Int> = []) throws -> [Answer] {
        let deadline = Date().addingTimeInterval(timeout)
        var out: [Answer] = []
        while out.count < count {
            if let answer = try parseOne(bodyless: bodyless.contains(out.count)) {
                out.append(answer)
                continue
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure(description: "only \(out.count) of \(count) answers within \(timeout) s") }
            guard let bytes = try receive(timeout: left) else { continue }
            if bytes.isEmpty { throw Failure(description: "the server closed after \(out.count) of \(count) answers") }
            pending += bytes
        }
        return out
    }

    func answer(timeout: Double = 10, bodyless: Bool = false) throws -> Answer {
        try answers(1, timeout: timeout, bodyless: bodyless ? [0] : [])[0]
    }

    /// True when the server closes the connection within `timeout` seconds (extra bytes are an error).
    func closedByServer(timeout: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { return false }
            guard let bytes = try receive(timeout: left) else { return false }
            if bytes.isEmpty { return true }
            pending += bytes
            throw Failure(description: "unexpected bytes: \(String(decoding: pending, as: UTF8.self))")
        }
    }

    /// Bytes received but not yet parsed into an answer.
    var leftover: String { String(decoding: pending, as: UTF8.self) }

    private func parseOne(bodyless: Bool) throws -> Answer? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard pending.count >= 4,
              let end = (0...(pending.count - 4)).first(where: { Array(pending[$0..<($0 + 4)]) == separator })
        else { return nil }
        let head = String(decoding: pending[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line '\(head[0])'")
        }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = bodyless ? 0 : Int(headers["content-length"] ?? "0") ?? 0
        guard pending.count >= end + 4 + length else { return nil }
        let body = String(decoding: pending[(end + 4)..<(end + 4 + length)], as: UTF8.self)
        pending.removeFirst(end + 4 + length)
        return Answer(status: status, headers: headers, body: body)
    }
}

@available(*, unavailable)
extension RawClient: Sendable {}

/// A signed `POST /webhooks/payments` as raw HTTP/1.1 text.
func signedRequest(_ body: [UInt8], messageID: String, timestamp: Int64, close: Bool = false) throws -> [UInt8] {
    let signature = try TestSecret.secret.signature(id: messageID, timestamp: String(timestamp), body: body)
    let head = "POST /webhooks/payments HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + "webhook-id: \(messageID)\r\nwebhook-timestamp: \(timestamp)\r\nwebhook-signature: \(signature)\r\n"
        + "Content-Length: \(body.count)\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n"
    return Array(head.utf8) + body
}
