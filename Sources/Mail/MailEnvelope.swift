/// The SMTP envelope for one transaction: `MAIL FROM` and one `RCPT TO`.
public struct MailEnvelope: Sendable, Hashable {
    public var mailFrom: String
    public var recipient: String

    public init(mailFrom: String, recipient: String) {
        self.mailFrom = mailFrom
        self.recipient = recipient
    }
}
