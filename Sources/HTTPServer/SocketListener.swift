import Dispatch
import Foundation
import Glibc
import Synchronization

/// A small HTTP/1.1 server on blocking Glibc sockets: one request per connection, `Connection: close`.
///
/// `accept` blocks on a dedicated thread (never on the cooperative pool); each connection is served
/// on `DispatchQueue.global()`. Every connection has a receive timeout (→ 408) and a total time
/// budget; writes loop over partial sends with `MSG_NOSIGNAL`; every call retries `EINTR`.
/// This is the only file that makes socket calls.
public final class SocketListener {
    public struct Configuration: Sendable, Hashable {
        public var host: String
        public var port: UInt16
        public var limits: HTTPRequestParser.Limits
        /// How long one `recv` may wait for the next bytes.
        public var receiveTimeoutSeconds: Int
        /// How long reading one whole request may take, however the bytes trickle in.
        public var requestTimeoutSeconds: Int
        /// How long `stop()` waits for requests in flight.
        public var drainSeconds: Int

        public init(host: String = "127.0.0.1", port: UInt16 = 8080, limits: HTTPRequestParser.Limits = .init(),
                    receiveTimeoutSeconds: Int = 5, requestTimeoutSeconds: Int = 15, drainSeconds: Int = 10) {
            self.host = host
            self.port = port
            self.limits = limits
            self.receiveTimeoutSeconds = receiveTimeoutSeconds
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.drainSeconds = drainSeconds
        }
    }

    public let configuration: Configuration
    /// The port actually bound (the kernel's choice when configured with port 0).
    public let port: UInt16
    private let listenFD: Int32
    private let state = ListenerState()
    private let acceptDone = DispatchSemaphore(value: 0)
    private var started = false
    private var stopped = false

    /// Binds and listens (IPv4); call `start` to accept.
    public init(_ configuration: Configuration) throws(HTTPError) {
        self.configuration = configuration
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = configuration.port.bigEndian
        guard inet_pton(AF_INET, configuration.host, &address.sin_addr) == 1 else {
            throw HTTPError(0, "--host must be an IPv4 address such as 127.0.0.1, not '\(configuration.host)'")
        }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw SocketListener.failure("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            let error = SocketListener.failure("bind to \(configuration.host):\(configuration.port)")
            close(fd)
            throw error
        }
        guard listen(fd, 128) == 0 else {
            let error = SocketListener.failure("listen")
            close(fd)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else {
            let error = SocketListener.failure("getsockname")
            close(fd)
            throw error
        }
        listenFD = fd
        port = UInt16(bigEndian: actual.sin_port)
    }

    deinit { stop() }

    /// Starts accepting on a dedicated thread; every request goes to `handler`.
    public func start(_ handler: @escaping HTTPHandler) {
        guard !started else { return }
        started = true
        let fd = listenFD, state = state, configuration = configuration, done = acceptDone
        let thread = Thread {
            SocketListener.acceptLoop(fd: fd, state: state, configuration: configuration, handler: handler)
            done.signal()
        }
        thread.name = "invoice-accept"
        thread.start()
    }

    /// Stops accepting, lets requests in flight finish (up to `drainSeconds`), then closes everything.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        state.beginStopping()
        shutdown(listenFD, Int32(SHUT_RDWR))
        if started { acceptDone.wait() }
        close(listenFD)
        let deadline = Date().addingTimeInterval(Double(configuration.drainSeconds))
        while state.openConnections > 0 && Date() < deadline { usleep(10_000) }
        state.shutdownAll()
        while state.openConnections > 0 && Date() < deadline.addingTimeInterval(2) { usleep(10_000) }
    }

    private static func acceptLoop(fd: Int32, state: ListenerState, configuration: Configuration,
                                   handler: @escaping HTTPHandler) {
        while !state.isStopping {
            let connection = accept(fd, nil, nil)
            if connection < 0 {
                let code = errno
                if code == EINTR || code == ECONNABORTED { continue }
                if state.isStopping { break }
                if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                    usleep(50_000)  // out of descriptors: back off instead of spinning
                    continue
                }
                break
            }
            guard state.register(connection) else {
                close(connection)
                break
            }
            DispatchQueue.global().async {
                serve(connection, configuration: configuration, handler: handler)
                state.unregisterAndClose(connection)
            }
        }
    }

    // MARK: One connection

    private static func serve(_ fd: Int32, configuration: Configuration, handler: HTTPHandler) {
        var timeout = timeval(tv_sec: configuration.receiveTimeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let response: HTTPResponse
        switch readRequest(fd, configuration: configuration) {
        case .request(let request): response = handler(request)
        case .failed(let error): response = HTTPResponse.error(error.status, error.message)
        case .gone: return
        }
        _ = sendAll(fd, response.serialized())
        lingeringClose(fd)
    }

    private enum ReadOutcome {
        case request(HTTPRequest)
        case failed(HTTPError)
        case gone
    }

    private static func readRequest(_ fd: Int32, configuration: Configuration) -> ReadOutcome {
        var parser = HTTPRequestParser(limits: configuration.limits)
        let deadline = Date().addingTimeInterval(Double(configuration.requestTimeoutSeconds))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            guard Date() < deadline else { return .failed(HTTPError(408, "the request took too long")) }
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    return parser.hasStarted ? .failed(HTTPError(408, "the request took too long")) : .gone
                }
                return .gone
            }
            if count == 0 {
                return parser.hasStarted ? .failed(HTTPError.badRequest("the connection closed mid-request")) : .gone
            }
            do {
                if let request = try parser.consume(chunk[0..<count]) { return .request(request) }
                if parser.takeContinueRequest() {
                    guard sendAll(fd, Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)) else { return .gone }
                }
            } catch {
                return .failed(error)
            }
        }
    }

    /// Sends every byte, looping over partial writes; false when the peer is gone.
    @discardableResult
    private static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += sent
        }
        return true
    }

    /// Half-closes, then reads away what the client is still sending (bounded), so the answer is not
    /// lost to a reset when the request was refused before its body was read (413).
    private static func lingeringClose(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var drained = 0
        let deadline = Date().addingTimeInterval(2)
        while drained < 8 * 1024 * 1024 && Date() < deadline {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            drained += count
        }
    }

    private static func failure(_ operation: String) -> HTTPError {
        let code = errno
        return HTTPError.socket(operation, errno: code, reason: String(cString: strerror(code)))
    }
}

/// Owns a listening socket and the accept thread: stop it from the thread that started it.
@available(*, unavailable)
extension SocketListener: Sendable {}

/// The open connections, shared by the accept thread, the connection workers and `stop()`.
final class ListenerState: Sendable {
    private struct Guarded {
        var stopping = false
        var connections: Set<Int32> = []
    }

    private let guarded = Mutex(Guarded())

    var isStopping: Bool { guarded.withLock { $0.stopping } }
    var openConnections: Int { guarded.withLock { $0.connections.count } }

    func beginStopping() { guarded.withLock { $0.stopping = true } }

    /// False once stopping: the connection must be closed at once.
    func register(_ fd: Int32) -> Bool {
        guarded.withLock {
            guard !$0.stopping else { return false }
            $0.connections.insert(fd)
            return true
        }
    }

    func unregisterAndClose(_ fd: Int32) {
        guarded.withLock {
            $0.connections.remove(fd)
            close(fd)
        }
    }

    /// Wakes every connection still blocked in `recv` so its worker finishes.
    func shutdownAll() {
        guarded.withLock { state in
            for fd in state.connections { shutdown(fd, Int32(SHUT_RDWR)) }
        }
    }
}
