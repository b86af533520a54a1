/// Finds a key that appears twice in one JSON object. Foundation's `JSONSerialization` silently keeps
/// the last of `{"amount": "1.00", "amount": "1000.00"}`, so two readers of the same bytes (a provider's
/// dashboard and this program) could see different money; a payload that carries money is refused
/// instead. Keys are compared after unescaping (`"amount"` and `"\u0061mount"` are the same key).
///
/// A scan over the raw bytes of a document that is already known to be valid JSON (run it after the
/// parser accepted the bytes); linear in the input, no recursion, so depth is no risk.
public enum JSONDuplicateKeys: Sendable {
    /// The first key found twice in one object, or nil.
    public static func first(in bytes: [UInt8]) -> String? {
        // One entry per open container: the keys seen so far (objects), nil for arrays.
        var stack: [Set<String>?] = []
        var expectingKey = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                stack.append([])
                expectingKey = true
                index += 1
            case UInt8(ascii: "["):
                stack.append(nil)
                expectingKey = false
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = stack.popLast()
                expectingKey = false
                index += 1
            case UInt8(ascii: ","):
                expectingKey = stack.last.map { $0 != nil } ?? false
                index += 1
            case UInt8(ascii: "\""):
                let (text, end) = string(bytes, from: index)
                index = end
                if expectingKey, let top = stack.indices.last, var keys = stack[top] {
                    guard keys.insert(text).inserted else { return text }
                    stack[top] = keys
                }
                expectingKey = false
            default:
                index += 1  // ':', whitespace, numbers, true/false/null
            }
        }
        return nil
    }

    /// The unescaped string starting at the quote at `start`, and the index after its closing quote.
    private static func string(_ bytes: [UInt8], from start: Int) -> (String, Int) {
        var scalars = String.UnicodeScalarView()
        var raw: [UInt8] = []
        var index = start + 1
        var pendingHigh: UInt32?
        func flushRaw() {
            guard !raw.isEmpty else { return }
            scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
            raw.removeAll()
        }
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            guard bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count else {
                if pendingHigh != nil { scalars.append("\u{FFFD}"); pendingHigh = nil }
                raw.append(bytes[index])
                index += 1
                continue
            }
            flushRaw()
            let escaped = bytes[index + 1]
            index += 2
            var scalar: Unicode.Scalar?
            switch escaped {
            case UInt8(ascii: "b"): scalar = "\u{08}"
            case UInt8(ascii: "f"): scalar = "\u{0C}"
            case UInt8(ascii: "n"): scalar = "\n"
            case UInt8(ascii: "r"): scalar = "\r"
            case UInt8(ascii: "t"): scalar = "\t"
            case UInt8(ascii: "u"):
                var value: UInt32 = 0
                for offset in 0..<4 where index + offset < bytes.count {
                    let digit = bytes[index + offset]
                    let nibble: UInt32
                    switch digit {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = UInt32(digit - UInt8(ascii: "0"))
                    case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = UInt32(digit - UInt8(ascii: "a") + 10)
                    case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = UInt32(digit - UInt8(ascii: "A") + 10)
                    default: nibble = 0
                    }
                    value = value << 4 | nibble
                }
                index += 4
                if (0xD800...0xDBFF).contains(value) {
                    if pendingHigh != nil { scalars.append("\u{FFFD}") }
                    pendingHigh = value
                    continue
                }
                if (0xDC00...0xDFFF).contains(value), let high = pendingHigh {
                    pendingHigh = nil
                    scalar = Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00))
                } else {
                    scalar = Unicode.Scalar(value) ?? "\u{FFFD}"
                }
            default: scalar = Unicode.Scalar(escaped)  // \" \\ \/
            }
            if pendingHigh != nil { scalars.append("\u{FFFD}"); pendingHigh = nil }
            if let scalar { scalars.append(scalar) }
        }
        flushRaw()
        if pendingHigh != nil { scalars.append("\u{FFFD}") }
        return (String(scalars), index + 1)
    }
}
