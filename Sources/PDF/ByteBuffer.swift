/// The one growing byte buffer a page's content stream and the whole file are written into.
///
/// Numbers are formatted by hand (fixed two decimals, trailing zeros dropped) because
/// Foundation's formatters and `String(describing:)` dominate the cost of writing a page.
struct ByteBuffer: Sendable {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    var count: Int { bytes.count }

    mutating func append(byte: UInt8) {
        bytes.append(byte)
    }

    mutating func appendSpace() {
        bytes.append(0x20)
    }

    mutating func append(_ other: [UInt8]) {
        bytes.append(contentsOf: other)
    }

    mutating func append(_ other: ArraySlice<UInt8>) {
        bytes.append(contentsOf: other)
    }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends non-literal ASCII text (object keys built at run time); not for hot paths.
    mutating func append(ascii text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends a non-negative or negative integer in decimal.
    mutating func append(_ value: Int) {
        if value < 0 {
            bytes.append(UInt8(ascii: "-"))
            appendDigits(UInt(value.magnitude))
        } else {
            appendDigits(UInt(value))
        }
    }

    /// Appends `value` with at most two decimals and no trailing zeros: `12`, `12.5`, `-0.25`.
    mutating func append(_ value: Double) {
        guard value.isFinite else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        let clamped = min(max(value, -1e12), 1e12)
        var hundredths = Int((clamped * 100).rounded())
        if hundredths < 0 {
            bytes.append(UInt8(ascii: "-"))
            hundredths = -hundredths
        }
        appendDigits(UInt(hundredths / 100))
        let fraction = hundredths % 100
        if fraction != 0 {
            bytes.append(UInt8(ascii: "."))
            bytes.append(UInt8(ascii: "0") + UInt8(fraction / 10))
            if fraction % 10 != 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(fraction % 10))
            }
        }
    }

    /// Appends `value` zero-padded to `width` digits, as the cross-reference table needs.
    mutating func append(_ value: Int, paddedTo width: Int) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = value
        var index = width - 1
        while rest > 0 && index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        bytes.append(contentsOf: digits)
    }

    private mutating func appendDigits(_ value: UInt) {
        // Most numbers in a page are small: module positions, coordinates, object numbers.
        if value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        if value < 100 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value % 10))
            return
        }
        if value < 1000 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 100))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value / 10 % 10))
            bytes.append(UInt8(ascii: "0") &+ UInt8(value % 10))
            return
        }
        let start = bytes.count
        var rest = value
        repeat {
            bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        bytes[start...].reverse()
    }

    /// Appends a PDF literal string `( … )`, escaping `(`, `)` and `\`.
    mutating func appendLiteralString(_ encoded: [UInt8]) {
        bytes.append(UInt8(ascii: "("))
        for byte in encoded {
            switch byte {
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(byte)
            case UInt8(ascii: "\r"):
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\n"):
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: ")"))
    }

    /// Appends each value as four uppercase hex digits (no brackets): glyph ids in a string.
    mutating func appendHex(_ values: [UInt16]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: values.count * 4))
        let digits: StaticString = "0123456789ABCDEF"
        digits.withUTF8Buffer { hex in
            bytes.withUnsafeMutableBufferPointer { out in
                var index = start
                for value in values {
                    out[index] = hex[Int(value >> 12)]
                    out[index + 1] = hex[Int((value >> 8) & 0xF)]
                    out[index + 2] = hex[Int((value >> 4) & 0xF)]
                    out[index + 3] = hex[Int(value & 0xF)]
                    index += 4
                }
            }
        }
    }

    /// Appends `x y length 1 re` and a line feed for each run (the modules of a QR code): up to
    /// 17 bytes a run, written in place. Values are clamped to 0…999 (a code has at most 177 modules a side).
    mutating func appendGridRuns(_ runs: [(x: Int, y: Int, length: Int)]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: runs.count * 17))
        let written: Int = bytes.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return 0 }
            var writer = ASCIIWriter(base + start)
            for run in runs {
                writer.number(run.x)
                writer.put(0x20)
                writer.number(run.y)
                writer.put(0x20)
                writer.number(run.length)
                writer.put(0x20)
                writer.put(UInt8(ascii: "1"))
                writer.put(0x20)
                writer.put(UInt8(ascii: "r"))
                writer.put(UInt8(ascii: "e"))
                writer.put(0x0A)
            }
            return writer.pointer - (base + start)
        }
        bytes.removeLast(bytes.count - start - written)
    }

    /// Rewrites the four-hex-digit values in `range` through `map` (old value → new value).
    mutating func remapHex(in range: Range<Int>, _ map: [UInt16]) {
        let digits: StaticString = "0123456789ABCDEF"
        let range = range.clamped(to: 0..<bytes.count)
        digits.withUTF8Buffer { hex in
            map.withUnsafeBufferPointer { map in
                bytes.withUnsafeMutableBufferPointer { bytes in
                    var index = range.lowerBound
                    while index + 4 <= range.upperBound {
                        var value = 0
                        for offset in 0..<4 {
                            let byte = bytes[index + offset]
                            value = value << 4 | Int(byte <= 0x39 ? byte &- 0x30 : byte &- 0x37)
                        }
                        let mapped = value < map.count ? map[value] : 0
                        bytes[index] = hex[Int(mapped >> 12)]
                        bytes[index + 1] = hex[Int((mapped >> 8) & 0xF)]
                        bytes[index + 2] = hex[Int((mapped >> 4) & 0xF)]
                        bytes[index + 3] = hex[Int(mapped & 0xF)]
                        index += 4
                    }
                }
            }
        }
    }

    /// Appends a PDF hexadecimal string `< … >`.
    mutating func appendHexString(_ data: [UInt8]) {
        let digits: StaticString = "0123456789ABCDEF"
        bytes.append(UInt8(ascii: "<"))
        digits.withUTF8Buffer { hex in
            for byte in data {
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
        bytes.append(UInt8(ascii: ">"))
    }
}

/// Writes ASCII bytes through a pointer into space reserved beforehand: for loops that write
/// thousands of small numbers. A value type used as a local, so each byte costs a store.
struct ASCIIWriter {
    private(set) var pointer: UnsafeMutablePointer<UInt8>

    init(_ pointer: UnsafeMutablePointer<UInt8>) {
        self.pointer = pointer
    }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        pointer.pointee = byte
        pointer += 1
    }

    /// `value` clamped to 0…999, in one to three digits.
    @inline(__always)
    mutating func number(_ value: Int) {
        let value = min(max(value, 0), 999)
        if value >= 100 { put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 100)) }
        if value >= 10 { put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value / 10 % 10)) }
        put(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: value % 10))
    }
}
