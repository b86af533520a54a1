/// Big-endian reads from a font file, bounds-checked: a damaged font throws instead of trapping.
struct FontData: Sendable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var count: Int { bytes.count }

    func uint8(_ offset: Int) throws -> UInt8 {
        guard offset >= 0, offset < bytes.count else { throw PDFError.malformedFont("read past the end of the file") }
        return bytes[offset]
    }

    func uint16(_ offset: Int) throws -> UInt16 {
        guard offset >= 0, offset + 2 <= bytes.count else { throw PDFError.malformedFont("read past the end of the file") }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    func int16(_ offset: Int) throws -> Int16 {
        Int16(bitPattern: try uint16(offset))
    }

    func uint32(_ offset: Int) throws -> UInt32 {
        guard offset >= 0, offset + 4 <= bytes.count else { throw PDFError.malformedFont("read past the end of the file") }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    func tag(_ offset: Int) throws -> String {
        guard offset >= 0, offset + 4 <= bytes.count else { throw PDFError.malformedFont("read past the end of the file") }
        return String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
    }
}

/// Big-endian writes for the subset font file.
extension Array where Element == UInt8 {
    mutating func appendUInt16(_ value: UInt16) {
        append(UInt8(value >> 8))
        append(UInt8(value & 0xFF))
    }

    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(value >> 24))
        append(UInt8((value >> 16) & 0xFF))
        append(UInt8((value >> 8) & 0xFF))
        append(UInt8(value & 0xFF))
    }

    mutating func setUInt16(_ value: UInt16, at offset: Int) {
        self[offset] = UInt8(value >> 8)
        self[offset + 1] = UInt8(value & 0xFF)
    }

    mutating func setUInt32(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(value >> 24)
        self[offset + 1] = UInt8((value >> 16) & 0xFF)
        self[offset + 2] = UInt8((value >> 8) & 0xFF)
        self[offset + 3] = UInt8(value & 0xFF)
    }

    /// Pads with zeros to a multiple of four bytes, as tables in a font file are aligned.
    mutating func padToFourBytes() {
        while count % 4 != 0 { append(0) }
    }
}

/// The OpenType table checksum: the sum of the big-endian 32-bit words, the last one zero-padded.
func fontChecksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    var sum: UInt32 = 0
    var index = bytes.startIndex
    let end = bytes.endIndex
    while index + 4 <= end {
        sum &+= UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16
            | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
        index += 4
    }
    if index < end {
        var last: UInt32 = 0
        for shift in 0..<4 {
            let byte = index + shift < end ? UInt32(bytes[index + shift]) : 0
            last |= byte << (24 - 8 * UInt32(shift))
        }
        sum &+= last
    }
    return sum
}
