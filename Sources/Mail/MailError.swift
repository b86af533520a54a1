/// Everything that can go wrong while building a message. Each case names the offending input
/// so the message can be shown to an operator as is.
public enum MailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A header input (subject, display name, filename, extra header value…) holds a control character.
    case controlCharacter(field: String)
    /// An address is not a plain `local@domain` addr-spec.
    case invalidAddress(String, reason: String)
    /// An extra header has an unusable name or would duplicate a header the builder writes itself.
    case invalidHeaderName(String, reason: String)
    /// A Message-ID is not of the form `left@right` with printable ASCII and no brackets or spaces.
    case invalidMessageID(String)
    /// A media type is not `type/subtype` made of token characters.
    case invalidMediaType(String)
    /// An attachment filename is empty.
    case emptyFilename

    public var description: String {
        switch self {
        case .controlCharacter(let field):
            "the \(field) contains a line break or another control character; header values must be a single line"
        case .invalidAddress(let address, let reason):
            "\"\(Self.printable(address))\" is not a usable email address: \(reason)"
        case .invalidHeaderName(let name, let reason):
            "the header name \"\(Self.printable(name))\" cannot be used: \(reason)"
        case .invalidMessageID(let id):
            "\"\(Self.printable(id))\" is not a valid Message-ID (expected left@right without spaces or brackets)"
        case .invalidMediaType(let type):
            "\"\(Self.printable(type))\" is not a valid media type (expected type/subtype)"
        case .emptyFilename:
            "an attachment needs a filename"
        }
    }

    /// Shows control characters visibly so an error message never carries a raw line break.
    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
