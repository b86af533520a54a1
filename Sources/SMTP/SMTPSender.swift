import Curl
import Dispatch

/// Sends messages one at a time over a kept SMTP connection.
///
/// Owns one libcurl easy handle, so it is deliberately not `Sendable`: create one per sending
/// thread. `send` blocks (run it on a dedicated thread, not the Swift concurrency pool).
///
/// The connection is reused while it has been idle for less than `maxIdleAge`. After any
/// failure the handle is thrown away and the next message starts on a fresh one: libcurl 7.88.1
/// can otherwise desynchronise replies on a reused connection (a late `250` read as the answer
/// to the next `MAIL FROM`) and loses the next message.
public final class SMTPSender {
    public let configuration: SMTPConfiguration
    private var handle: CurlEasyHandle?
    private var lastUsed: ContinuousClock.Instant?
    /// Discarded handles are cleaned up here, because cleanup can block on QUIT.
    private static let cleanupQueue = DispatchQueue(label: "invoice.smtp.cleanup")

    /// Number of new connections opened so far (CURLINFO_NUM_CONNECTS summed over transactions).
    public private(set) var connectionsOpened = 0

    public init(configuration: SMTPConfiguration) throws(SMTPError) {
        try SMTP.globalInit()
        self.configuration = configuration
    }

    /// Sends `message` (exact bytes, CRLF line ends) from `from` to `to`: one address, or several
    /// separated by commas (the message's To and Cc), each a `RCPT TO` of the one transaction.
    ///
    /// Throws only for unusable envelope addresses, before any network traffic; every network
    /// result is an `SMTPOutcome`. A failure on a reused connection before any body byte was sent
    /// and without a real answer (a dropped or 421-closed idle connection) is retried once at once
    /// on a fresh connection, because nothing can have been delivered.
    public func send(_ message: [UInt8], from: String, to: String) throws(SMTPError) -> SMTPOutcome {
        let result: Result<SMTPOutcome, SMTPError> = message.withUnsafeBytes { bytes in
            do throws(SMTPError) { return .success(try send(bytes: bytes, from: from, to: to)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Sends the message in `bytes` like `send(_:from:to:)`, without copying it: `bytes` is only
    /// read during the call, so a caller can keep one buffer and read each message file into it.
    public func send(bytes message: UnsafeRawBufferPointer, from: String, to: String) throws(SMTPError) -> SMTPOutcome {
        try Self.validateEnvelope(from, allowEmpty: true)
        for recipient in to.split(separator: ",", omittingEmptySubsequences: false) {
            try Self.validateEnvelope(String(recipient), allowEmpty: false)
        }
        let first = try attempt(message, from: from, to: to)
        if case .retryOnFreshConnection(let failure) = first {
            let second = try attempt(message, from: from, to: to)
            if case .retryOnFreshConnection = second { return .deferred(failure) }
            if case .done(let outcome) = second { return outcome }
        }
        if case .done(let outcome) = first { return outcome }
        return .deferred(SMTPFailure(reply: nil, curlCode: 0, message: "no attempt made", lastCommand: nil,
                                     reusedConnection: false))
    }

    /// Closes the kept connection (sending QUIT), waiting at most the reply timeout.
    public func close() {
        handle = nil
        lastUsed = nil
    }

    private enum Attempt {
        case done(SMTPOutcome)
        case retryOnFreshConnection(SMTPFailure)
    }

    private func attempt(_ message: UnsafeRawBufferPointer, from: String, to: String) throws(SMTPError) -> Attempt {
        if let lastUsed, ContinuousClock.now - lastUsed > configuration.maxIdleAge {
            discardHandle()
        }
        let current: CurlEasyHandle
        if let handle {
            current = handle
        } else {
            current = try CurlEasyHandle(configuration: configuration)
            handle = current
        }
        let transcript = SMTPTranscript(body: message)
        let code = current.perform(from: from, to: to, transcript: transcript)
        let newConnections = current.infoLong(CURLINFO_NUM_CONNECTS)
        connectionsOpened += newConnections
        let result = SMTPResult(
            curlCode: Int(code.rawValue),
            curlMessage: current.errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : current.errorText,
            responseCode: current.infoLong(CURLINFO_RESPONSE_CODE),
            bytesUploaded: current.infoOffset(CURLINFO_SIZE_UPLOAD_T),
            messageLength: Int64(message.count),
            reusedConnection: newConnections == 0,
            transcript: transcript)
        let outcome = result.classified()
        if outcome.isSent {
            lastUsed = ContinuousClock.now
            return .done(outcome)
        }
        discardHandle()
        if result.looksLikeStaleConnection, case .deferred(let failure) = outcome {
            return .retryOnFreshConnection(failure)
        }
        return .done(outcome)
    }

    private func discardHandle() {
        guard let old = handle else { return }
        handle = nil
        lastUsed = nil
        let box = HandleBox(old)
        Self.cleanupQueue.async { box.release() }
    }

    /// Refuses what libcurl would pass through into the SMTP command stream (CR, LF: an injected
    /// `RCPT TO`), plus anything that is not a plain `local@domain`.
    static func validateEnvelope(_ address: String, allowEmpty: Bool) throws(SMTPError) {
        if address.isEmpty {
            if allowEmpty { return }
            throw .invalidEnvelopeAddress(address, reason: "it is empty")
        }
        // On the UTF-8 bytes (twice per message, so no Character or split work): a control
        // character is a byte below 0x20 or 0x7F, anything non-ASCII has a byte ≥ 0x80.
        let bytes = address.utf8
        if bytes.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            throw .invalidEnvelopeAddress(address, reason: "it contains a line break or another control character")
        }
        if bytes.contains(where: { $0 >= 0x80 }) {
            throw .invalidEnvelopeAddress(address, reason: "only ASCII addresses are supported")
        }
        if bytes.contains(where: { $0 == 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x2C }) {
            throw .invalidEnvelopeAddress(address, reason: "spaces, quotes, commas and angle brackets are not allowed")
        }
        let at = bytes.firstIndex(of: 0x40)
        guard let at, at != bytes.startIndex, bytes.index(after: at) != bytes.endIndex,
              !bytes[bytes.index(after: at)...].contains(0x40), bytes.count <= 254 else {
            throw .invalidEnvelopeAddress(address, reason: "expected local@domain")
        }
    }
}

/// Moves a handle to the cleanup queue; the sender never touches it again.
private final class HandleBox: @unchecked Sendable {
    private var handle: CurlEasyHandle?
    init(_ handle: CurlEasyHandle) { self.handle = handle }
    func release() { handle = nil }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension SMTPSender: Sendable {}
