import Dispatch
import Foundation
import Glibc

/// A small HTTP/1.1 server: one event-loop thread reads every connection with non-blocking sockets
/// and `poll` (see `EventLoop`), and a bounded pool of workers runs the handler on complete requests.
///
/// Persistent connections and pipelining are supported (answers in request order); `Connection:
/// close` and HTTP/1.0 are honoured; HEAD answers have no body. Limits: `maxConnections` open at once
/// (503 with `Retry-After` beyond), a stall of `receiveTimeoutSeconds` or a request taking longer
/// than `requestTimeoutSeconds` is 408, a kept-alive connection idle for `idleTimeoutSeconds` is closed.
public final class SocketListener {
    public struct Configuration: Sendable, Hashable {
        public var host: String
        public var port: UInt16
        public var limits: HTTPRequestParser.Limits
        /// How long the client may stay silent in the middle of a request (→ 408).
        public var receiveTimeoutSeconds: Double
        /// How long reading one whole request may take, however the bytes trickle in (→ 408).
        public var requestTimeoutSeconds: Double
        /// How long a kept-alive connection may wait for its next request.
        public var idleTimeoutSeconds: Double
        /// How long `stop()` waits for requests in flight.
        public var drainSeconds: Double
        /// Connections open at once; more are answered 503 and closed.
        public var maxConnections: Int
        /// Threads that run the handler.
        public var workers: Int

        public init(host: String = "127.0.0.1", port: UInt16 = 8080, limits: HTTPRequestParser.Limits = .init(),
                    receiveTimeoutSeconds: Double = 5, requestTimeoutSeconds: Double = 15,
                    idleTimeoutSeconds: Double = 60, drainSeconds: Double = 10, maxConnections: Int = 512,
                    workers: Int = 4) {
            self.host = host
            self.port = port
            self.limits = limits
            self.receiveTimeoutSeconds = receiveTimeoutSeconds
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.idleTimeoutSeconds = idleTimeoutSeconds
            self.drainSeconds = drainSeconds
            self.maxConnections = maxConnections
            self.workers = workers
        }
    }

    public let configuration: Configuration
    /// The port actually bound (the kernel's choice when configured with port 0).
    public let port: UInt16
    private let listenFD: Int32
    private let mailbox: Mailbox
    private let loopDone = DispatchSemaphore(value: 0)
    private var pool: WorkerPool?
    private var stopped = false

    /// Binds and listens (IPv4, or IPv6 when the host has a colon); call `start` to serve.
    public init(_ configuration: Configuration) throws(HTTPError) {
        self.configuration = configuration
        guard configuration.maxConnections > 0, configuration.workers > 0 else {
            throw HTTPError(0, "the connection limit and the worker count must be at least 1")
        }
        let (fd, port) = try SocketListener.bind(host: configuration.host, port: configuration.port)
        listenFD = fd
        self.port = port
        do { mailbox = try Mailbox() } catch {
            close(fd)
            throw error
        }
    }

    deinit { stop() }

    private static func bind(host: String, port: UInt16) throws(HTTPError) -> (Int32, UInt16) {
        let six = host.contains(":")
        var address4 = sockaddr_in()
        var address6 = sockaddr_in6()
        if six {
            address6.sin6_family = sa_family_t(AF_INET6)
            address6.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, host, &address6.sin6_addr) == 1 else { throw badHost(host) }
        } else {
            address4.sin_family = sa_family_t(AF_INET)
            address4.sin_port = port.bigEndian
            guard inet_pton(AF_INET, host, &address4.sin_addr) == 1 else { throw badHost(host) }
        }
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
        guard case .processed(let fd) = try syscall("socket", { socket(six ? AF_INET6 : AF_INET, kind, 0) }) else {
            throw HTTPError(0, "socket failed")
        }
        do {
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            if six { setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &yes, socklen_t(MemoryLayout<Int32>.size)) }
            _ = try syscall("bind to \(host):\(port)") {
                six ? withUnsafePointer(to: &address6) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
                } : withUnsafePointer(to: &address4) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
                }
            }
            _ = try syscall("listen") { listen(fd, 511) }
            var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            var bound = sockaddr_in6()
            _ = try syscall("getsockname") {
                withUnsafeMutablePointer(to: &bound) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
                }
            }
            // sin_port and sin6_port sit at the same offset.
            return (fd, UInt16(bigEndian: bound.sin6_port))
        } catch {
            close(fd)
            throw error
        }
    }

    private static func badHost(_ host: String) -> HTTPError {
        HTTPError(0, "--host must be an IP address such as 127.0.0.1 or ::1, not '\(host)'")
    }

    /// Starts serving; every request goes to `handler` on a worker.
    public func start(_ handler: @escaping HTTPHandler) {
        start(deferred: { request, responder in responder.respond(handler(request)) })
    }

    /// Starts serving: `immediate` answers what it can on the loop thread without blocking; every
    /// other request goes to `handler` on a worker, which answers through the responder.
    public func start(immediate: @escaping HTTPImmediateHandler = { _ in nil },
                      deferred handler: @escaping HTTPDeferredHandler) {
        guard pool == nil, !stopped else { return }
        let pool = WorkerPool(count: configuration.workers, name: "invoice-http")
        self.pool = pool
        let milliseconds = { (seconds: Double) in Int64((seconds * 1000).rounded()) }
        let settings = EventLoop.Settings(
            limits: configuration.limits,
            timeouts: .init(receive: milliseconds(configuration.receiveTimeoutSeconds),
                            request: milliseconds(configuration.requestTimeoutSeconds),
                            idle: milliseconds(configuration.idleTimeoutSeconds),
                            drain: milliseconds(configuration.drainSeconds)),
            maxConnections: configuration.maxConnections)
        let fd = listenFD, mailbox = mailbox, done = loopDone
        let thread = Thread {
            EventLoop(listenFD: fd, mailbox: mailbox, pool: pool, immediate: immediate, handler: handler,
                      settings: settings).run()
            done.signal()
        }
        thread.name = "invoice-http-loop"
        thread.start()
    }

    /// Stops accepting, lets requests in flight finish (up to `drainSeconds`), then closes everything.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        mailbox.requestStop()
        if let pool {
            loopDone.wait()
            pool.stop()
        }
        close(listenFD)
    }
}

/// Owns a listening socket and the loop thread: stop it from the thread that started it.
@available(*, unavailable)
extension SocketListener: Sendable {}
