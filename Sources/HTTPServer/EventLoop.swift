import Foundation
import Glibc

/// The server's one I/O thread: a `poll` loop over the listening socket, every connection and the
/// mailbox. It accepts (refusing with 503 beyond the cap), reads and frames requests per connection
/// without ever blocking, hands complete requests to the worker pool one at a time per connection
/// (so pipelined answers go out in order), writes answers, and enforces every deadline. A slow or
/// idle client costs a buffer and a poll slot, never a thread.
final class EventLoop {
    struct Timeouts: Sendable {
        /// Longest silence in the middle of a request, or while an answer cannot be written (ms).
        var receive: Int64
        /// Longest time one request may take to arrive, however its bytes trickle in (ms).
        var request: Int64
        /// Longest silence between requests on a kept-alive connection (ms).
        var idle: Int64
        /// How long stopping waits for requests in flight (ms).
        var drain: Int64
        /// How long a closing connection reads away what the client still sends (ms).
        var linger: Int64 = 2000
    }

    struct Settings: Sendable {
        var limits: HTTPRequestParser.Limits
        var timeouts: Timeouts
        var maxConnections: Int
        /// Connections over the cap being answered 503 at once; beyond this they are closed unanswered.
        var maxRefusals = 64
    }

    private let listenFD: Int32
    private let mailbox: Mailbox
    private let pool: WorkerPool
    private let handler: HTTPDeferredHandler
    private let immediate: HTTPImmediateHandler
    private let settings: Settings
    private var connections: [Int32: HTTPConnection] = [:]
    private var openCount = 0
    private var refusalCount = 0
    private var serial: UInt64 = 0
    private var acceptPausedUntil: Int64 = 0
    private var stopDeadline: Int64?
    private let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)

    init(listenFD: Int32, mailbox: Mailbox, pool: WorkerPool, immediate: @escaping HTTPImmediateHandler,
         handler: @escaping HTTPDeferredHandler, settings: Settings) {
        self.listenFD = listenFD
        self.mailbox = mailbox
        self.pool = pool
        self.immediate = immediate
        self.handler = handler
        self.settings = settings
    }

    deinit { scratch.deallocate() }

    /// Runs until the mailbox asks to stop and the connections have drained (or the drain time is up).
    func run() {
        var descriptors: [pollfd] = []
        var watched: [HTTPConnection] = []
        var expired: [HTTPConnection] = []
        while true {
            var now = Posix.now()
            if mailbox.isStopping && stopDeadline == nil { beginStopping(now) }
            if let stopDeadline, connections.isEmpty || now >= stopDeadline { break }

            expired.removeAll(keepingCapacity: true)
            var nearest = Int64.max
            for connection in connections.values {
                let deadline = connection.deadline(settings.timeouts)
                if deadline <= now { expired.append(connection) } else { nearest = min(nearest, deadline) }
            }
            for connection in expired where !connection.isClosed { expire(connection, now: now) }
            if !expired.isEmpty { continue }

            descriptors.removeAll(keepingCapacity: true)
            watched.removeAll(keepingCapacity: true)
            descriptors.append(pollfd(fd: mailbox.readFD, events: Int16(POLLIN), revents: 0))
            let accepting = stopDeadline == nil
            let listening = accepting && now >= acceptPausedUntil
            if listening { descriptors.append(pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)) }
            if accepting && !listening { nearest = min(nearest, acceptPausedUntil) }
            if let stopDeadline { nearest = min(nearest, stopDeadline) }
            let base = descriptors.count
            for connection in connections.values {
                descriptors.append(pollfd(fd: connection.fd, events: connection.interest(settings.limits), revents: 0))
                watched.append(connection)
            }
            let wait = nearest == .max ? 1000 : Int32(max(0, min(1000, nearest - now)))
            do {
                guard try Posix.poll(&descriptors, timeoutMilliseconds: wait) > 0 else { continue }
            } catch {
                log("\(error)")
                usleep(10_000)
                continue
            }
            now = Posix.now()
            if descriptors[0].revents != 0 { deliver(mailbox.take(), now: now) }
            if listening && descriptors[1].revents != 0 { acceptWaiting(now: now) }
            for (offset, connection) in watched.enumerated() {
                let events = Int32(descriptors[base + offset].revents)
                guard events != 0, !connection.isClosed else { continue }
                if events & Int32(POLLIN | POLLHUP | POLLERR) != 0 { readable(connection, now: now) }
                if !connection.isClosed && events & Int32(POLLERR) != 0 && connection.phase != .lingering {
                    close(connection)
                    continue
                }
                if !connection.isClosed && events & Int32(POLLOUT) != 0 { flush(connection, now: now) }
            }
        }
        for connection in Array(connections.values) { close(connection) }
    }

    // MARK: Accepting

    private func acceptWaiting(now: Int64) {
        for _ in 0..<128 {
            let fd: Int32
            do {
                guard let accepted = try Posix.accept(listenFD) else { return }
                fd = accepted
            } catch {
                switch error.errno {
                case ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: stop listening for a moment instead of spinning on the backlog.
                    acceptPausedUntil = now + 100
                    log("\(error); pausing accepts for 100 ms")
                default:
                    log("\(error)")
                }
                return
            }
            do { try Posix.makeNonBlocking(fd) } catch {
                Glibc.close(fd)
                continue
            }
            Posix.setNoDelay(fd)
            serial &+= 1
            let refusal = openCount >= settings.maxConnections
            if refusal && refusalCount >= settings.maxRefusals {
                Glibc.close(fd)
                continue
            }
            let connection = HTTPConnection(id: ConnectionID(fd: fd, serial: serial), limits: settings.limits,
                                            now: now, isRefusal: refusal)
            connections[fd] = connection
            if refusal {
                refusalCount += 1
                let busy = HTTPResponse.error(503, "too many connections; retry shortly",
                                              headers: [HTTPHeader("Retry-After", "1")])
                answerAndClose(connection, busy, now: now)
            } else {
                openCount += 1
                readable(connection, now: now)  // a client usually sends its request with the connection
            }
        }
    }

    // MARK: Reading

    private func readable(_ connection: HTTPConnection, now: Int64) {
        for _ in 0..<16 {
            let count: Int
            do {
                guard let read = try Posix.read(connection.fd, into: scratch) else { break }
                count = read
            } catch {
                close(connection)
                return
            }
            if connection.phase == .lingering {
                connection.lingerBudget -= count
                if count == 0 || connection.lingerBudget <= 0 { close(connection) }
                if count < scratch.count { return }
                continue
            }
            if count == 0 {
                connection.peerClosed = true
                break
            }
            connection.parser.append(UnsafeRawBufferPointer(rebasing: scratch[0..<count]))
            connection.lastActivity = now
            if connection.requestStartedAt == nil { connection.requestStartedAt = now }
            if count < scratch.count { break }
            if connection.phase == .handling
                && connection.parser.bufferedCount >= HTTPConnection.readAheadCap(settings.limits) { break }
        }
        advance(connection, now: now)
    }

    /// Frames the requests buffered while the connection is ready for one: answers those the
    /// immediate handler takes on this thread, hands the first other one to a worker and waits.
    private func advance(_ connection: HTTPConnection, now: Int64) {
        while connection.phase == .reading && !connection.isClosed {
            do {
                guard let request = try connection.parser.next() else {
                    if connection.parser.takeContinueRequest() {
                        connection.output += Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)
                        flush(connection, now: now)
                    }
                    if connection.peerClosed && !connection.isClosed {
                        if connection.parser.hasStarted {
                            answerAndClose(connection, .error(400, "the connection closed mid-request"), now: now)
                        } else {
                            connection.phase = .closing
                            flush(connection, now: now)
                        }
                    }
                    return
                }
                connection.phase = .handling
                connection.requestStartedAt = connection.parser.hasStarted ? now : nil
                connection.answerWithoutBody = request.method == "HEAD"
                connection.closeAfterAnswer = connection.closeAfterAnswer || !request.wantsKeepAlive || stopDeadline != nil
                connection.announceKeepAlive = request.version == "HTTP/1.0" && !connection.closeAfterAnswer
                if let response = immediate(request) {
                    respond(connection, response, now: now)
                    continue
                }
                let responder = HTTPResponder(mailbox: mailbox, connection: connection.id)
                let handler = handler
                pool.submit { handler(request, responder) }
                return
            } catch {
                answerAndClose(connection, .error(error.status, error.message), now: now)
                return
            }
        }
    }

    // MARK: Answering

    private func deliver(_ answers: [Mailbox.Answer], now: Int64) {
        for answer in answers {
            guard let connection = connections[answer.connection.fd], connection.id == answer.connection,
                  connection.phase == .handling
            else { continue }
            respond(connection, answer.response, now: now)
            advance(connection, now: now)
        }
    }

    /// Queues the answer to the request being handled and writes what the socket takes.
    private func respond(_ connection: HTTPConnection, _ answer: HTTPResponse, now: Int64) {
        var response = answer
        if connection.announceKeepAlive { response.headers.append(HTTPHeader("Connection", "keep-alive")) }
        connection.output += response.serialized(keepAlive: !connection.closeAfterAnswer,
                                                 headOnly: connection.answerWithoutBody)
        connection.phase = connection.closeAfterAnswer ? .closing : .reading
        connection.lastActivity = now
        flush(connection, now: now)
    }

    /// Answers at once (a framing error, a timeout, the cap) and closes after the answer is out.
    private func answerAndClose(_ connection: HTTPConnection, _ response: HTTPResponse, now: Int64) {
        connection.output += response.serialized(keepAlive: false)
        connection.phase = .closing
        connection.lingerBeforeClose = true
        connection.lastActivity = now
        flush(connection, now: now)
    }

    private func flush(_ connection: HTTPConnection, now: Int64) {
        while connection.hasOutput {
            let count: Int
            do {
                count = try connection.output.withUnsafeBytes { (bytes) throws(HTTPError) -> Int in
                    try Posix.write(connection.fd, UnsafeRawBufferPointer(rebasing: bytes[connection.written...]))
                }
            } catch {
                close(connection)
                return
            }
            if count == 0 { return }
            connection.written += count
            connection.lastActivity = now
        }
        connection.output.removeAll(keepingCapacity: true)
        connection.written = 0
        if connection.phase == .closing { linger(connection, now: now) }
    }

    /// After the last answer: closes, or for a refusal shuts our side and reads away what the client
    /// still sends before closing.
    private func linger(_ connection: HTTPConnection, now: Int64) {
        if connection.peerClosed || !connection.lingerBeforeClose {
            close(connection)
            return
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.phase = .lingering
        connection.lingerUntil = now + settings.timeouts.linger
    }

    // MARK: Deadlines and closing

    private func expire(_ connection: HTTPConnection, now: Int64) {
        if connection.phase == .reading && !connection.hasOutput && connection.parser.hasStarted {
            answerAndClose(connection, .error(408, "the request took too long"), now: now)
        } else {
            close(connection)
        }
    }

    private func beginStopping(_ now: Int64) {
        stopDeadline = now + settings.timeouts.drain
        for connection in Array(connections.values) {
            // Only requests already with a worker (or answers being written) are waited for; a client
            // still sending, however slowly, is cut off.
            connection.closeAfterAnswer = true
            if connection.phase == .reading && !connection.hasOutput { close(connection) }
        }
    }

    private func close(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        connections.removeValue(forKey: connection.fd)
        Glibc.close(connection.fd)
        if connection.isRefusal { refusalCount -= 1 } else { openCount -= 1 }
    }

    private func log(_ message: String) {
        FileHandle.standardError.write(Data("invoice serve: \(message)\n".utf8))
    }
}

@available(*, unavailable)
extension EventLoop: Sendable {}
