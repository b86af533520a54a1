import Foundation

/// One email, as the billing pipeline sends it: text and HTML alternatives plus attachments.
///
/// The value is inert until `rendered()` turns it into exact RFC 5322 bytes. Render once at
/// enqueue time and store the bytes, so every retry sends the same boundary and Message-ID.
public struct MailMessage: Sendable, Hashable {
    public var from: MailAddress
    public var to: MailAddress
    /// Copies (`Cc`): in the header and in the SMTP envelope, one transaction for all.
    public var cc: [MailAddress]
    public var replyTo: MailAddress?
    public var subject: String
    public var textBody: String
    public var htmlBody: String
    public var attachments: [MailAttachment]
    public var date: Date
    public var messageID: MessageID
    /// Additional headers (e.g. `X-Invoice-Idempotency-Key`), written in this order after `Subject`.
    public var extraHeaders: [MailHeader]

    /// `messageID` defaults to a random id on the sender's domain.
    public init(
        from: MailAddress,
        to: MailAddress,
        cc: [MailAddress] = [],
        replyTo: MailAddress? = nil,
        subject: String,
        textBody: String,
        htmlBody: String,
        attachments: [MailAttachment] = [],
        date: Date,
        messageID: MessageID? = nil,
        extraHeaders: [MailHeader] = []
    ) {
        self.from = from
        self.to = to
        self.cc = cc
        self.replyTo = replyTo
        self.subject = subject
        self.textBody = textBody
        self.htmlBody = htmlBody
        self.attachments = attachments
        self.date = date
        self.messageID = messageID ?? MessageID.random(domain: from.domain)
        self.extraHeaders = extraHeaders
    }

    /// The SMTP envelope: the sender's address and the recipient. There is no Bcc; copies (`cc`)
    /// are further `RCPT TO`s of the same transaction (see `recipients`).
    public var envelope: MailEnvelope {
        MailEnvelope(mailFrom: from.address, recipient: to.address)
    }

    /// Every envelope recipient, `to` first, each once.
    public var recipients: [String] {
        var seen: [String] = []
        for address in [to.address] + cc.map(\.address) where !seen.contains(where: { $0.lowercased() == address.lowercased() }) {
            seen.append(address)
        }
        return seen
    }

    /// Checks every header input without rendering.
    public func validate() throws(MailError) {
        for mailbox in [from, to] + cc + (replyTo.map { [$0] } ?? []) {
            try MailAddress.validate(address: mailbox.address)
            if let name = mailbox.displayName {
                try HeaderValidation.requireSingleLine(name, field: "display name")
            }
        }
        try HeaderValidation.requireSingleLine(subject, field: "subject")
        for header in extraHeaders { try header.validate() }
        for attachment in attachments { try attachment.validate() }
    }
}
