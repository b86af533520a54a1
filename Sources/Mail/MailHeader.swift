/// An additional header such as `X-Invoice-Idempotency-Key`.
///
/// Values are unstructured text; non-ASCII is sent as RFC 2047 encoded words. Names the builder
/// writes itself (From, To, Date, Content-Type, …) and `Bcc` are refused.
public struct MailHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }

    /// Header names this builder owns, lowercased.
    static let reserved: Set<String> = [
        "from", "to", "cc", "bcc", "reply-to", "sender", "date", "subject", "message-id",
        "mime-version", "content-type", "content-transfer-encoding", "content-disposition",
    ]

    func validate() throws(MailError) {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 76,
              bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") })
        else { throw .invalidHeaderName(name, reason: "use printable ASCII without spaces or colons") }
        if Self.reserved.contains(name.lowercased()) {
            throw .invalidHeaderName(name, reason: "the message builder writes this header itself")
        }
        try HeaderValidation.requireSingleLine(value, field: "\(name) header")
    }
}
