import CCurl

/// The per-transaction state shared with libcurl's C callbacks through an `Unmanaged` pointer:
/// the bytes to upload and what the server said.
///
/// Only the command verb of each outgoing line is kept, so AUTH credentials (including the
/// base64 lines of AUTH LOGIN) are never stored or logged.
final class SMTPTranscript {
    let body: [UInt8]
    private(set) var offset = 0
    /// Set once the read callback has handed curl the last byte (curl sends end-of-data next).
    private(set) var bodyHandedOver = false
    /// The verb of the last command sent (`MAIL`, `RCPT`, `DATA`, `AUTH`, …); QUIT is ignored.
    private(set) var lastCommand: String?
    /// The last reply line received, ignoring the 221 to QUIT.
    private(set) var lastReply: SMTPReply?
    /// True when `lastReply` answers `lastCommand` (a reply arrived after the command was sent).
    private(set) var lastCommandAnswered = true
    /// The first reply that arrived after the body was handed over: the answer to end-of-data.
    private(set) var replyAfterBody: SMTPReply?

    init(body: [UInt8]) {
        self.body = body
    }

    private static let verbs: Set<String> = [
        "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT",
    ]

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, body.count - offset)
        if count <= 0 {
            bodyHandedOver = true
            return 0
        }
        body.withUnsafeBufferPointer { source in
            if let base = source.baseAddress {
                UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: count)
            }
        }
        offset += count
        // curl stops calling once INFILESIZE bytes were read, so EOF may never be asked for.
        if offset == body.count { bodyHandedOver = true }
        return count
    }

    func record(type: curl_infotype, data: UnsafePointer<CChar>, size: Int) {
        if type == CURLINFO_HEADER_OUT {
            let bytes = UnsafeRawBufferPointer(start: data, count: min(size, 16))
            let word = String(decoding: bytes.prefix { $0 != 0x20 && $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
                .uppercased()
            if word == "QUIT" { return }
            // Anything that is not a verb is a continuation of AUTH (e.g. the LOGIN credentials).
            lastCommand = Self.verbs.contains(word) ? word : "AUTH"
            lastCommandAnswered = false
        } else if type == CURLINFO_HEADER_IN {
            let text = String(decoding: UnsafeRawBufferPointer(start: data, count: size), as: UTF8.self)
            for line in text.split(whereSeparator: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) where !line.isEmpty {
                guard line.utf8.count >= 3, let code = Int(line.prefix(3)) else { continue }
                if code == 221 && lastCommand == nil { continue }
                if code == 221 && lastCommandAnswered { continue }
                let reply = SMTPReply(code: code, line: String(line.prefix(512)))
                lastReply = reply
                lastCommandAnswered = true
                if bodyHandedOver && replyAfterBody == nil && code != 354 { replyAfterBody = reply }
            }
        }
    }
}
