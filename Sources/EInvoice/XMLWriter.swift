/// A small streaming XML writer: UTF-8 bytes into one buffer, elements opened and closed in order,
/// text and attribute values escaped (`& < > " '`), control characters XML 1.0 forbids refused.
///
/// It writes no whitespace between elements, so the output is byte-for-byte predictable.
public struct XMLWriter: Sendable {
    public private(set) var bytes: [UInt8] = []
    private var open: [String] = []
    /// True while the last start tag is still unterminated (`<a x="1"` without `>`).
    private var tagPending = false

    public init(capacity: Int = 16_384) {
        bytes.reserveCapacity(capacity)
        append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// Opens `<name attributes…>`; close it with `end()`.
    public mutating func start(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        closePendingTag()
        bytes.append(UInt8(ascii: "<"))
        append(name)
        for (key, value) in attributes {
            bytes.append(UInt8(ascii: " "))
            append(key)
            append("=\"")
            escape(value, inAttribute: true)
            bytes.append(UInt8(ascii: "\""))
        }
        tagPending = true
        open.append(name)
    }

    /// Closes the innermost open element (`<a/>` when it got no content).
    public mutating func end() {
        guard let name = open.popLast() else { preconditionFailure("XMLWriter.end() without an open element") }
        if tagPending {
            append("/>")
            tagPending = false
        } else {
            append("</")
            append(name)
            bytes.append(UInt8(ascii: ">"))
        }
    }

    /// Escaped character data inside the current element.
    public mutating func text(_ value: String) {
        closePendingTag()
        escape(value, inAttribute: false)
    }

    /// `<name attributes…>value</name>`.
    public mutating func element(_ name: String, _ value: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        start(name, attributes)
        text(value)
        end()
    }

    /// Like `element`, but writes nothing when `value` is empty.
    public mutating func optional(_ name: String, _ value: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        if !value.isEmpty { element(name, value, attributes) }
    }

    /// Wraps `body` in `<name>…</name>`.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String> = [:],
                                 _ body: (inout XMLWriter) -> Void) {
        start(name, attributes)
        body(&self)
        end()
    }

    /// The finished document (every element closed), ending with a newline.
    public func finished() -> [UInt8] {
        precondition(open.isEmpty, "XMLWriter: \(open.count) element(s) left open")
        return bytes + [UInt8(ascii: "\n")]
    }

    private mutating func closePendingTag() {
        if tagPending {
            bytes.append(UInt8(ascii: ">"))
            tagPending = false
        }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Escapes markup characters; drops characters XML 1.0 cannot carry at all (C0 controls other than
    /// tab, LF and CR, U+FFFE/U+FFFF). The billing core already refuses those in every text field.
    private mutating func escape(_ value: String, inAttribute: Bool) {
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": append("&amp;")
            case "<": append("&lt;")
            case ">": append("&gt;")
            case "\"" where inAttribute: append("&quot;")
            case "'" where inAttribute: append("&apos;")
            case "\r": append("&#13;")
            case "\n" where inAttribute: append("&#10;")
            case "\t" where inAttribute: append("&#9;")
            default:
                let v = scalar.value
                if (v < 0x20 && v != 0x09 && v != 0x0A) || v == 0xFFFE || v == 0xFFFF { continue }
                switch v {
                case ..<0x80:
                    bytes.append(UInt8(v))
                case ..<0x800:
                    bytes.append(0xC0 | UInt8(v >> 6))
                    bytes.append(0x80 | UInt8(v & 0x3F))
                case ..<0x10000:
                    bytes.append(0xE0 | UInt8(v >> 12))
                    bytes.append(0x80 | UInt8((v >> 6) & 0x3F))
                    bytes.append(0x80 | UInt8(v & 0x3F))
                default:
                    bytes.append(0xF0 | UInt8(v >> 18))
                    bytes.append(0x80 | UInt8((v >> 12) & 0x3F))
                    bytes.append(0x80 | UInt8((v >> 6) & 0x3F))
                    bytes.append(0x80 | UInt8(v & 0x3F))
                }
            }
        }
    }
}
