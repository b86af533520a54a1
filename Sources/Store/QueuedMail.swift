/// One message of the mail queue; its exact bytes are in `file` inside the Outbox directory.
public struct QueuedMail: Sendable, Hashable, Identifiable {
    public enum State: String, Sendable, Hashable, CaseIterable {
        case queued, sending, sent, deferred, failed, cancelled
    }

    public var id: Int64
    /// What makes the message unique (e.g. `invoice:12:reminder:2`): the same one is never queued twice.
    public var idempotencyKey: String
    public var kind: String
    public var invoiceID: Int64?
    public var sender: String
    public var recipient: String
    public var subject: String
    public var file: String
    public var messageID: String
    public var size: Int64
    public var state: State
    public var attempts: Int
    /// Seconds since 1970 on the queue's clock.
    public var nextAttemptAt: Int64
    public var lastReply: String
    /// A timeout after the data was sent: the server may have the message; a retry may duplicate it.
    public var unknownOutcome: Bool
    public var createdAt: String
    public var sentAt: String?
    /// Why it was cancelled: the state of its document when it was claimed, or the operator.
    public var cancelReason: String

    public init(id: Int64 = 0, idempotencyKey: String, kind: String, invoiceID: Int64?, sender: String, recipient: String,
                subject: String, file: String, messageID: String, size: Int64, state: State = .queued, attempts: Int = 0,
                nextAttemptAt: Int64, lastReply: String = "", unknownOutcome: Bool = false, createdAt: String = "",
                sentAt: String? = nil, cancelReason: String = "") {
        self.id = id
        self.idempotencyKey = idempotencyKey
        self.kind = kind
        self.invoiceID = invoiceID
        self.sender = sender
        self.recipient = recipient
        self.subject = subject
        self.file = file
        self.messageID = messageID
        self.size = size
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastReply = lastReply
        self.unknownOutcome = unknownOutcome
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.cancelReason = cancelReason
    }
}
