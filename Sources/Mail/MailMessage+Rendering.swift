import Foundation

extension MailMessage {
    /// The complete message: CRLF line ends, ASCII only, no line over 78 characters except
    /// where a single header token is longer (never over 998), no `Bcc`.
    public func rendered() throws(MailError) -> Data {
        var generator = SystemRandomNumberGenerator()
        return try rendered(using: &generator)
    }

    /// As `rendered()`, drawing the MIME boundaries from `generator`.
    public func rendered(using generator: inout some RandomNumberGenerator) throws(MailError) -> Data {
        try validate()
        let text = Part(
            headers: [
                ("Content-Type", ["text/plain;", "charset=utf-8"]),
                ("Content-Transfer-Encoding", ["quoted-printable"]),
            ],
            body: ContentEncoding.quotedPrintable(textBody) + ContentEncoding.crlf)
        let html = Part(
            headers: [
                ("Content-Type", ["text/html;", "charset=utf-8"]),
                ("Content-Transfer-Encoding", ["quoted-printable"]),
            ],
            body: ContentEncoding.quotedPrintable(htmlBody) + ContentEncoding.crlf)
        let alternative = Part.multipart("alternative", [text, html], using: &generator)
        let root: Part
        if attachments.isEmpty {
            root = alternative
        } else {
            let files = attachments.map { attachment in
                let nameParameter = "name=\"\(HeaderEncoding.isPlainFilename(attachment.filename) ? attachment.filename : HeaderEncoding.asciiFallback(attachment.filename))\""
                return Part(
                    headers: [
                        ("Content-Type", [attachment.mediaType + ";", nameParameter]),
                        ("Content-Transfer-Encoding", ["base64"]),
                        ("Content-Disposition", Self.parameterTokens(
                            "attachment", HeaderEncoding.filenameParameters("filename", attachment.filename))),
                    ],
                    body: ContentEncoding.base64Lines(attachment.data))
            }
            root = Part.multipart("mixed", [alternative] + files, using: &generator)
        }

        var out = [UInt8]()
        out += HeaderEncoding.fold(name: "Date", tokens: MailDate.string(from: date)
            .split(separator: " ").map(String.init))
        out += HeaderEncoding.fold(name: "From", tokens: HeaderEncoding.mailboxTokens(from, headerName: "From"))
        out += HeaderEncoding.fold(name: "To", tokens: HeaderEncoding.mailboxTokens(to, headerName: "To"))
        if !cc.isEmpty {
            // A mailbox list: each mailbox's tokens, a comma after all but the last.
            var tokens: [String] = []
            for (index, mailbox) in cc.enumerated() {
                var part = HeaderEncoding.mailboxTokens(mailbox, headerName: "Cc")
                if index < cc.count - 1, let last = part.popLast() { part.append(last + ",") }
                tokens += part
            }
            out += HeaderEncoding.fold(name: "Cc", tokens: tokens)
        }
        if let replyTo {
            out += HeaderEncoding.fold(name: "Reply-To", tokens: HeaderEncoding.mailboxTokens(replyTo, headerName: "Reply-To"))
        }
        out += HeaderEncoding.fold(name: "Message-ID", tokens: [messageID.description])
        out += HeaderEncoding.fold(name: "Subject", tokens: HeaderEncoding.unstructuredTokens(subject, headerName: "Subject"))
        for header in extraHeaders {
            out += HeaderEncoding.fold(name: header.name, tokens: HeaderEncoding.unstructuredTokens(header.value, headerName: header.name))
        }
        out += HeaderEncoding.fold(name: "MIME-Version", tokens: ["1.0"])
        out += root.serialized()
        return Data(out)
    }

    /// `value;` followed by each parameter, every one but the last ending in `;`.
    private static func parameterTokens(_ value: String, _ parameters: [String]) -> [String] {
        var tokens = [value + (parameters.isEmpty ? "" : ";")]
        for (index, parameter) in parameters.enumerated() {
            tokens.append(parameter + (index == parameters.count - 1 ? "" : ";"))
        }
        return tokens
    }
}

/// A MIME entity: its headers (already tokenised for folding) and its encoded body.
private struct Part {
    var headers: [(String, [String])]
    var body: [UInt8]

    func serialized() -> [UInt8] {
        var out = [UInt8]()
        for (name, tokens) in headers { out += HeaderEncoding.fold(name: name, tokens: tokens) }
        out += ContentEncoding.crlf
        out += body
        return out
    }

    /// A multipart entity with a random boundary that occurs in none of its parts.
    static func multipart(_ subtype: String, _ parts: [Part], using generator: inout some RandomNumberGenerator) -> Part {
        let serializedParts = parts.map { $0.serialized() }
        var boundary: String
        repeat {
            // "=_" cannot occur in quoted-printable or base64 output; the check below covers the rest.
            boundary = "=_" + RandomHex.string(byteCount: 16, using: &generator)
        } while serializedParts.contains(where: { $0.contains(subsequence: Array(boundary.utf8)) })
        var body = [UInt8]()
        for part in serializedParts {
            body += Array("--\(boundary)\r\n".utf8)
            body += part
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return Part(
            headers: [("Content-Type", ["multipart/\(subtype);", "boundary=\"\(boundary)\""])],
            body: body)
    }
}

extension Array where Element == UInt8 {
    fileprivate func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first && Array(self[index..<(index + needle.count)]) == needle { return true }
            index += 1
        }
        return false
    }
}
