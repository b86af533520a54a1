/// A reply line from the server, e.g. `250 2.0.0 Ok: queued as 4F2A1`.
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit reply code.
    public var code: Int
    /// The full last line of the reply, without CRLF.
    public var line: String

    public init(code: Int, line: String) {
        self.code = code
        self.line = line
    }

    public var description: String { line }
}

/// Why a message was not (or not certainly) delivered.
public struct SMTPFailure: Sendable, Hashable, CustomStringConvertible {
    /// The server's last reply that belongs to this transaction, if any.
    public var reply: SMTPReply?
    /// The libcurl result code (0 when curl succeeded but the reply was unexpected).
    public var curlCode: Int
    /// libcurl's error text, or a description of what happened.
    public var message: String
    /// The last SMTP command sent before the failure (`MAIL`, `RCPT`, `DATA`, `AUTH`, …), if known.
    public var lastCommand: String?
    /// True when the transaction ran on a connection kept from an earlier message.
    public var reusedConnection: Bool

    public init(reply: SMTPReply?, curlCode: Int, message: String, lastCommand: String?, reusedConnection: Bool) {
        self.reply = reply
        self.curlCode = curlCode
        self.message = message
        self.lastCommand = lastCommand
        self.reusedConnection = reusedConnection
    }

    public var description: String {
        var parts: [String] = []
        if let reply { parts.append("server said \"\(reply.line)\"") }
        if let lastCommand { parts.append("after \(lastCommand)") }
        parts.append("curl \(curlCode): \(message)")
        return parts.joined(separator: ", ")
    }
}

/// The result of one send. Only `.sent` means the server took responsibility for the message.
public enum SMTPOutcome: Sendable, Hashable, CustomStringConvertible {
    /// The server answered 250 to the end of data.
    case sent(SMTPReply)
    /// Nothing was delivered and a later attempt may succeed: 4xx, connection errors, timeouts
    /// before the data was complete.
    case deferred(SMTPFailure)
    /// The server refused permanently (5xx).
    case failed(SMTPFailure)
    /// The whole message was transmitted but no final reply arrived: it may have been delivered.
    /// Retry with the same bytes and Message-ID and flag a possible duplicate.
    case unknownOutcome(SMTPFailure)
    /// Authentication or TLS failed: a configuration problem. Pause the run instead of spending
    /// the message's attempts.
    case pauseRun(SMTPFailure)

    public var description: String {
        switch self {
        case .sent(let reply): "sent (\(reply.line))"
        case .deferred(let failure): "deferred: \(failure)"
        case .failed(let failure): "failed: \(failure)"
        case .unknownOutcome(let failure): "unknown outcome: \(failure)"
        case .pauseRun(let failure): "run paused: \(failure)"
        }
    }

    public var isSent: Bool {
        if case .sent = self { return true }
        return false
    }
}
