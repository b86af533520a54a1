import Glibc

/// One client connection as the event loop sees it: the bytes read and not yet framed, the answer
/// bytes not yet written, what it is waiting for, and its deadline. Touched only by the loop's thread.
final class HTTPConnection {
    enum Phase {
        /// Reading the next request (or idle between requests).
        case reading
        /// A complete request is with a worker; pipelined bytes keep arriving into the parser.
        case handling
        /// Writing the last answer; the connection closes once it is out.
        case closing
        /// The last answer is out and our side is shut: reading away what the client still sends, so
        /// the answer is not lost to a reset (413 before the body was read).
        case lingering
    }

    let id: ConnectionID
    var fd: Int32 { id.fd }
    /// Over the connection cap: it only gets a 503 and is not counted as open.
    let isRefusal: Bool
    var parser: HTTPRequestParser
    var phase = Phase.reading
    var output: [UInt8] = []
    var written = 0
    var peerClosed = false
    var isClosed = false
    /// The answer being prepared is the connection's last.
    var closeAfterAnswer = false
    /// The last answer was sent before the request was read whole (a refusal): read away what the
    /// client still sends before closing, else its unread bytes turn our close into a reset.
    var lingerBeforeClose = false
    var answerWithoutBody = false
    var announceKeepAlive = false
    var lastActivity: Int64
    var requestStartedAt: Int64?
    var lingerUntil: Int64 = 0
    var lingerBudget = 8 * 1024 * 1024

    init(id: ConnectionID, limits: HTTPRequestParser.Limits, now: Int64, isRefusal: Bool) {
        self.id = id
        self.isRefusal = isRefusal
        parser = HTTPRequestParser(limits: limits)
        lastActivity = now
    }

    var hasOutput: Bool { written < output.count }

    /// At most this much is buffered ahead while a request is with a worker.
    static func readAheadCap(_ limits: HTTPRequestParser.Limits) -> Int { limits.maxHeaderBytes + limits.maxBodyBytes }

    /// The poll events this connection waits for.
    func interest(_ limits: HTTPRequestParser.Limits) -> Int16 {
        var events: Int16 = 0
        switch phase {
        case .reading: if !peerClosed { events |= Int16(POLLIN) }
        case .handling:
            if !peerClosed && parser.bufferedCount < HTTPConnection.readAheadCap(limits) { events |= Int16(POLLIN) }
        case .closing: break
        case .lingering: events |= Int16(POLLIN)
        }
        if hasOutput { events |= Int16(POLLOUT) }
        return events
    }

    /// When the loop must act if nothing happens: idle and stalled clients, stuck writes, lingering.
    func deadline(_ timeouts: EventLoop.Timeouts) -> Int64 {
        switch phase {
        case .lingering:
            return lingerUntil
        case .closing:
            return lastActivity + timeouts.receive
        case .handling:
            return hasOutput ? lastActivity + timeouts.receive : .max
        case .reading:
            if hasOutput { return lastActivity + timeouts.receive }
            guard parser.hasStarted else { return lastActivity + timeouts.idle }
            return min(lastActivity + timeouts.receive, (requestStartedAt ?? lastActivity) + timeouts.request)
        }
    }
}
