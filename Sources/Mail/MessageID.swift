/// A Message-ID (RFC 5322 §3.6.4), held without its angle brackets.
///
/// Create it once when the mail is queued and keep it across retries: receivers and support
/// staff use it to recognise duplicates after an unknown SMTP outcome.
public struct MessageID: Sendable, Hashable, CustomStringConvertible {
    /// `left@right`, no brackets.
    public let value: String

    /// Validates an existing id; surrounding angle brackets are accepted and stripped.
    public init(_ value: String) throws(MailError) {
        var text = Substring(value)
        if text.hasPrefix("<") && text.hasSuffix(">") && text.count >= 2 {
            text = text.dropFirst().dropLast()
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        let valid = parts.count == 2 && text.utf8.count <= 250 && parts.allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { byte in
                byte > 0x20 && byte < 0x7F && !"<>\"\\()[],;:@".utf8.contains(byte)
            }
        }
        guard valid else { throw .invalidMessageID(value) }
        self.value = String(text)
    }

    /// A new random id `<32 hex digits@sender-domain>`.
    public static func random(domain: String) -> MessageID {
        var generator = SystemRandomNumberGenerator()
        return random(domain: domain, using: &generator)
    }

    /// A new random id drawn from `generator` (for reproducible tests).
    public static func random(domain: String, using generator: inout some RandomNumberGenerator) -> MessageID {
        let left = RandomHex.string(byteCount: 16, using: &generator)
        let right = (try? MailAddress("x@" + domain)) != nil ? domain : "localhost"
        return MessageID(unchecked: "\(left)@\(right)")
    }

    private init(unchecked value: String) { self.value = value }

    /// The header form, `<left@right>`.
    public var description: String { "<\(value)>" }
}

enum RandomHex {
    static func string(byteCount: Int, using generator: inout some RandomNumberGenerator) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(byteCount * 2)
        for _ in 0..<byteCount {
            let byte = UInt8.random(in: 0...255, using: &generator)
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
