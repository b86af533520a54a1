import Foundation
import Mail
import SMTP
import TestSupport

/// Shared helpers for the SMTP tests.
enum SMTPFixtures {
    static let date = Date(timeIntervalSince1970: 1_764_075_600)

    static func message(to recipient: String = "zoe@example.org", subject: String = "Rechnung März – 🧾 Nr. 42",
                        attachmentSize: Int = 20_000) throws -> MailMessage {
        var generator = SystemRandomNumberGenerator()
        let pdf = Data((0..<attachmentSize).map { _ in UInt8.random(in: 0...255, using: &generator) })
        return MailMessage(
            from: try MailAddress("billing@example.com", displayName: "Müller & Söhne GmbH"),
            to: try MailAddress(recipient, displayName: "Zoë Lefèvre"),
            subject: subject,
            textBody: "Guten Tag,\n\nanbei Ihre Rechnung.\n.\n..\nGrüße\n",
            htmlBody: "<p>Guten Tag,</p><p>anbei Ihre Rechnung.</p>",
            attachments: [MailAttachment(filename: "Rechnung März.pdf", mediaType: "application/pdf", data: pdf)],
            date: date,
            extraHeaders: [MailHeader(name: "X-Invoice-Idempotency-Key", value: "inv-42")])
    }

    /// A configuration for the peer with short, test-sized timeouts.
    static func configuration(_ url: String, messageTimeout: Duration = .seconds(20),
                              maxIdleAge: Duration = .seconds(30), username: String? = nil,
                              password: String? = nil) throws -> SMTPConfiguration {
        try SMTPConfiguration(
            url: url, username: username, password: password, clientName: "client.test",
            connectTimeout: .seconds(5), replyTimeout: .seconds(5), messageTimeout: messageTimeout,
            maxIdleAge: maxIdleAge)
    }

    /// Sends a rendered `MailMessage` using its own envelope.
    static func send(_ message: MailMessage, with sender: SMTPSender) throws -> (SMTPOutcome, Data) {
        let bytes = try message.rendered()
        let envelope = message.envelope
        return (try sender.send(Array(bytes), from: envelope.mailFrom, to: envelope.recipient), bytes)
    }
}

extension SMTPOutcome {
    var kind: String {
        switch self {
        case .sent: "sent"
        case .deferred: "deferred"
        case .failed: "failed"
        case .unknownOutcome: "unknownOutcome"
        case .pauseRun: "pauseRun"
        }
    }
}
