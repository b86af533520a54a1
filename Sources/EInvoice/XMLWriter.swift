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
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }  // contiguous bytes (small strings too): one copy
    }

    /// Escapes markup characters; drops characters XML 1.0 cannot carry at all (C0 controls other than
    /// tab, LF and CR, U+FFFE/U+FFFF). The billing core already refuses those in every text field.
    ///
    /// Works on the UTF-8 bytes: every character that needs care is ASCII except U+FFFE/U+FFFF
    /// (EF BF BE/BF), so runs of other bytes are copied as they are, in one step.
    private mutating func escape(_ value: String, inAttribute: Bool) {
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                var replacement: StaticString? = nil
                var skip = 0
                switch byte {
                case UInt8(ascii: "&"): replacement = "&amp;"
                case UInt8(ascii: "<"): replacement = "&lt;"
                case UInt8(ascii: ">"): replacement = "&gt;"
                case UInt8(ascii: "\"") where inAttribute: replacement = "&quot;"
                case UInt8(ascii: "'") where inAttribute: replacement = "&apos;"
                case UInt8(ascii: "\r"): replacement = "&#13;"
                case UInt8(ascii: "\n") where inAttribute: replacement = "&#10;"
                case UInt8(ascii: "\t") where inAttribute: replacement = "&#9;"
                case 0x00..<0x20 where byte != 0x09 && byte != 0x0A: skip = 1
                case 0xEF where index + 2 < count && utf8[index + 1] == 0xBF && (utf8[index + 2] == 0xBE || utf8[index + 2] == 0xBF):
                    skip = 3
                default: break
                }
                if replacement == nil && skip == 0 {
                    index += 1
                    continue
                }
                if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
                if let replacement { replacement.withUTF8Buffer { bytes.append(contentsOf: $0) } }
                index += max(skip, 1)
                runStart = index
            }
            if runStart < count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count])) }
        }
    }
}
