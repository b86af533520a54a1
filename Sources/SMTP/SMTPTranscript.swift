import Curl

/// The per-transaction state shared with libcurl's C callbacks through an `Unmanaged` pointer:
/// the bytes to upload and what the server said.
///
/// `body` is borrowed, not copied: it must stay valid while the transaction runs (`SMTPSender.send`
/// creates the transcript inside the caller's buffer access and drops it before returning).
///
/// Only the command verb of each outgoing line is kept, so AUTH credentials (including the
/// base64 lines of AUTH LOGIN) are never stored or logged.
final class SMTPTranscript {
    let body: UnsafeRawBufferPointer
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

    init(body: UnsafeRawBufferPointer) {
        self.body = body
    }

    private static let verbs: [String] = [
        "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA", "RSET", "NOOP", "QUIT",
    ]

    func read(into buffer: UnsafeMutablePointer<CChar>, capacity: Int) -> Int {
        let count = min(capacity, body.count - offset)
        if count <= 0 {
            bodyHandedOver = true
            return 0
        }
        // One copy per call straight into curl's upload buffer, as large as curl asks for.
        if let base = body.baseAddress {
            UnsafeMutableRawPointer(buffer).copyMemory(from: base + offset, byteCount: count)
        }
        offset += count
        // curl stops calling once INFILESIZE bytes were read, so EOF may never be asked for.
        if offset == body.count { bodyHandedOver = true }
        return count
    }

    /// Called by libcurl's debug callback for every command line sent and reply received. Works on
    /// the bytes: the only String made is the reply line that is kept.
    func record(type: curl_infotype, data: UnsafePointer<CChar>, size: Int) {
        let bytes = UnsafeRawBufferPointer(start: data, count: size)
        if type == CURLINFO_HEADER_OUT {
            let word = bytes.prefix(16).prefix { $0 != 0x20 && $0 != 0x0D && $0 != 0x0A }
                .lazy.map { (0x61...0x7A).contains($0) ? $0 - 0x20 : $0 }
            if "QUIT".utf8.elementsEqual(word) { return }
            // Anything that is not a verb is a continuation of AUTH (e.g. the LOGIN credentials).
            lastCommand = Self.verbs.first { $0.utf8.elementsEqual(word) } ?? "AUTH"
            lastCommandAnswered = false
        } else if type == CURLINFO_HEADER_IN {
            for line in bytes.split(whereSeparator: { $0 == 0x0D || $0 == 0x0A }) {
                guard line.count >= 3, line.prefix(3).allSatisfy({ (0x30...0x39).contains($0) }) else { continue }
                let code = line.prefix(3).reduce(0) { $0 * 10 + Int($1 - 0x30) }
                if code == 221 && lastCommand == nil { continue }
                if code == 221 && lastCommandAnswered { continue }
                let reply = SMTPReply(code: code, line: String(decoding: line.prefix(512), as: UTF8.self))
                lastReply = reply
                lastCommandAnswered = true
                if bodyHandedOver && replyAfterBody == nil && code != 354 { replyAfterBody = reply }
            }
        }
    }
}
