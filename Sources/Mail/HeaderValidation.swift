/// Checks shared by every header input.
enum HeaderValidation {
    /// True for C0 controls (including TAB, CR, LF, NUL), DEL and the C1 controls and
    /// Unicode line/paragraph separators, none of which belong in a one-line header value.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F, 0x2028, 0x2029: true
        default: false
        }
    }

    /// Throws `MailError.controlCharacter` when `value` holds any control character.
    static func requireSingleLine(_ value: String, field: String) throws(MailError) {
        if value.unicodeScalars.contains(where: isControl) {
            throw .controlCharacter(field: field)
        }
    }

    /// RFC 5322 `atext`.
    static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-/=?^_`{|}~".utf8.contains(byte)
        }
    }

    /// RFC 2045 `token` characters (for media types and parameter names).
    static func isToken(_ byte: UInt8) -> Bool {
        byte > 0x20 && byte < 0x7F && !"()<>@,;:\\\"/[]?=".utf8.contains(byte)
    }
}
