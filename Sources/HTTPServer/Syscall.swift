import Glibc

/// What a non-blocking call did: its result, or "not now" (`EAGAIN`), which is a value, not an error.
enum IOResult<Value>: Sendable where Value: Sendable {
    case processed(Value)
    case wouldBlock
}

/// Runs one system call the way swift-nio does at its edge: retries `EINTR`, turns `EAGAIN` /
/// `EWOULDBLOCK` into `.wouldBlock`, and throws every other failure as an `HTTPError` carrying the
/// call's name, its errno and the system's reason. `body` returns -1 on failure, as POSIX calls do.
@inline(__always)
func syscall<T: BinaryInteger & Sendable>(_ name: @autoclosure () -> String, _ body: () -> T) throws(HTTPError) -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .processed(result) }
        let code = errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        default: throw HTTPError.socket(name(), errno: code, reason: String(cString: strerror(code)))
        }
    }
}

/// The socket calls of the server, each through `syscall`. This file and `SocketListener.swift`
/// are the only places that call the C socket API.
enum Posix {
    /// Puts an accepted socket in non-blocking, close-on-exec mode (F_SETFL only changes the status
    /// flags such as O_NONBLOCK, so there is nothing to read back first).
    static func makeNonBlocking(_ fd: Int32) throws(HTTPError) {
        _ = try syscall("fcntl(F_SETFL)") { fcntl(fd, F_SETFL, O_NONBLOCK) }
        _ = try syscall("fcntl(F_SETFD)") { fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    static func setNoDelay(_ fd: Int32) {
        var yes: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    /// A new connection, or nil when none is waiting.
    static func accept(_ listener: Int32) throws(HTTPError) -> Int32? {
        switch try syscall("accept", { Glibc.accept(listener, nil, nil) }) {
        case .processed(let fd): fd
        case .wouldBlock: nil
        }
    }

    /// Reads into `buffer`; nil when nothing is there yet, 0 at end of stream.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(HTTPError) -> Int? {
        switch try syscall("recv", { recv(fd, buffer.baseAddress, buffer.count, 0) }) {
        case .processed(let count): count
        case .wouldBlock: nil
        }
    }

    /// Writes what it can of `bytes` without blocking; the count written (0 when the socket is full).
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(HTTPError) -> Int {
        switch try syscall("send", { send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }) {
        case .processed(let count): count
        case .wouldBlock: 0
        }
    }

    /// Waits for readiness; the number of descriptors with events (0 on timeout).
    static func poll(_ descriptors: inout [pollfd], timeoutMilliseconds: Int32) throws(HTTPError) -> Int {
        let count = descriptors.count
        let result = try descriptors.withUnsafeMutableBufferPointer { (buffer) throws(HTTPError) -> IOResult<Int32> in
            try syscall("poll") { Glibc.poll(buffer.baseAddress, nfds_t(count), timeoutMilliseconds) }
        }
        switch result {
        case .processed(let ready): return Int(ready)
        case .wouldBlock: return 0
        }
    }

    /// Milliseconds on the monotonic clock.
    static func now() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
