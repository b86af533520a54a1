import Foundation
import TestSupport
import Mail

/// Shared sample inputs for the Mail tests.
enum Fixtures {
    /// 2025-11-25 13:00:00 UTC, a Tuesday.
    static let date = Date(timeIntervalSince1970: 1_764_075_600)

    /// Pseudo-random bytes standing in for a PDF (every byte value, not valid UTF-8).
    static let pdf: Data = {
        var generator = SplitMix64(seed: 42)
        return Data((0..<40_000).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }()

    static func message(
        subject: String = "Rechnung 2025-0042",
        fromName: String? = "Müller & Söhne GmbH",
        toName: String? = "Zoë Lefèvre",
        attachments: [MailAttachment] = [MailAttachment(filename: "Rechnung März.pdf", mediaType: "application/pdf", data: pdf)]
    ) throws -> MailMessage {
        MailMessage(
            from: try MailAddress("billing@example.com", displayName: fromName),
            to: try MailAddress("zoe@example.org", displayName: toName),
            replyTo: try MailAddress("support@example.com"),
            subject: subject,
            textBody: "Guten Tag,\n\nanbei Ihre Rechnung über 1.234,50 €.\n.\nVielen Dank!\n",
            htmlBody: "<p>Guten Tag,</p><p>anbei Ihre Rechnung über <b>1.234,50&nbsp;€</b>.</p>",
            attachments: attachments,
            date: date,
            extraHeaders: [MailHeader(name: "X-Invoice-Idempotency-Key", value: "invoice-42/issued")])
    }
}

extension Data {
    /// The message split at CRLF (the final empty piece after the last CRLF dropped).
    var crlfLines: [Data] {
        var lines: [Data] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            if self[index] == 13, index + 1 < endIndex, self[index + 1] == 10 {
                lines.append(self[start..<index])
                index += 2
                start = index
            } else {
                index += 1
            }
        }
        if start < endIndex { lines.append(self[start..<endIndex]) }
        return lines
    }

    /// The header block, up to the first empty line.
    var headerBlock: String {
        let lines = crlfLines
        let end = lines.firstIndex(where: \.isEmpty) ?? lines.count
        return lines[..<end].map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\r\n")
    }
}
