/// A QR code symbol (ISO/IEC 18004) holding bytes in byte mode, as a square grid of modules.
///
/// ```swift
/// let code = try QRCode(bytes: Array("SPC\n0200\n1".utf8), errorCorrection: .medium)
/// for y in 0..<code.size { for x in 0..<code.size where code.isDark(x: x, y: y) { /* draw */ } }
/// ```
///
/// The smallest version (1…40) that holds the bytes is chosen, at least `minimumVersion`; the
/// mask is the one with the lowest penalty unless one is asked for. The grid has no quiet zone:
/// leave four light modules around it when drawing.
public struct QRCode: Sendable, Hashable {
    /// 1…40; the symbol has `version × 4 + 17` modules per side.
    public let version: Int
    public let errorCorrection: QRErrorCorrection
    /// The data mask pattern 0…7 applied.
    public let mask: Int
    /// Modules per side.
    public let size: Int
    private let modules: [Bool]
    /// The dark modules merged into horizontal runs: (x, y, length), row by row.
    public let darkRuns: [(x: Int, y: Int, length: Int)]

    public init(bytes: [UInt8], errorCorrection: QRErrorCorrection = .medium, minimumVersion: Int = 1,
                mask requestedMask: Int? = nil) throws(QRCodeError) {
        guard QRVersion.range.contains(minimumVersion) else {
            throw QRCodeError("minimum version \(minimumVersion) is not within 1…40")
        }
        if let requestedMask, !(0...7).contains(requestedMask) {
            throw QRCodeError("mask \(requestedMask) is not within 0…7")
        }
        guard let number = QRCode.version(forByteCount: bytes.count, errorCorrection: errorCorrection,
                                          minimumVersion: minimumVersion) else {
            throw QRCodeError("\(bytes.count) bytes do not fit in a QR code at error-correction level \(errorCorrection)")
        }
        let version = QRVersion(number: number)

        let data = QRCode.dataCodewords(bytes, version: version, errorCorrection: errorCorrection)
        var matrix = QRMatrix(version: version)
        matrix.drawCodewords(QRCode.interleaved(data, version: version, errorCorrection: errorCorrection))

        var chosen = requestedMask ?? 0
        if requestedMask == nil {
            let penalties = QRCode.maskPenalties(&matrix, errorCorrection: errorCorrection)
            chosen = penalties.indices.min { penalties[$0] < penalties[$1] } ?? 0
        }
        matrix.apply(mask: chosen)
        matrix.drawFormatBits(errorCorrection: errorCorrection, mask: chosen)

        self.version = version.number
        self.errorCorrection = errorCorrection
        self.mask = chosen
        self.size = matrix.size
        self.modules = matrix.modules
        self.darkRuns = matrix.darkRuns
    }

    /// The penalty of each of the eight masks on `matrix` (left unmasked afterwards).
    static func maskPenalties(_ matrix: inout QRMatrix, errorCorrection: QRErrorCorrection) -> [Int] {
        (0..<8).map { candidate in
            matrix.apply(mask: candidate)
            matrix.drawFormatBits(errorCorrection: errorCorrection, mask: candidate)
            let penalty = matrix.penalty
            matrix.apply(mask: candidate)
            return penalty
        }
    }

    /// The penalty of each mask for `bytes` as `init(bytes:errorCorrection:)` weighs them.
    static func maskPenalties(bytes: [UInt8], errorCorrection: QRErrorCorrection, version: Int) -> [Int] {
        let version = QRVersion(number: version)
        var matrix = QRMatrix(version: version)
        let data = QRCode.dataCodewords(bytes, version: version, errorCorrection: errorCorrection)
        matrix.drawCodewords(QRCode.interleaved(data, version: version, errorCorrection: errorCorrection))
        return maskPenalties(&matrix, errorCorrection: errorCorrection)
    }

    /// The version `init(bytes:errorCorrection:minimumVersion:)` chooses for `byteCount` bytes: the
    /// smallest from `minimumVersion` (1…40) that holds them, nil when none does. Costs nothing
    /// next to encoding, so a caller can pick a minimum version without making a code twice.
    public static func version(forByteCount byteCount: Int, errorCorrection: QRErrorCorrection = .medium,
                               minimumVersion: Int = 1) -> Int? {
        guard QRVersion.range.contains(minimumVersion) else { return nil }
        return (minimumVersion...40).first { number in
            let version = QRVersion(number: number)
            return QRCode.bitsNeeded(byteCount: byteCount, version: version) <= version.dataCodewords(errorCorrection) * 8
        }
    }

    /// Encodes `text` as UTF-8 bytes.
    public init(text: String, errorCorrection: QRErrorCorrection = .medium, minimumVersion: Int = 1,
                mask: Int? = nil) throws(QRCodeError) {
        try self.init(bytes: Array(text.utf8), errorCorrection: errorCorrection, minimumVersion: minimumVersion,
                      mask: mask)
    }

    /// Whether the module in column `x`, row `y` (from the top-left corner) is dark; `false` outside the symbol.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    public static func == (left: QRCode, right: QRCode) -> Bool {
        left.version == right.version && left.errorCorrection == right.errorCorrection && left.mask == right.mask
            && left.modules == right.modules
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(version)
        hasher.combine(mask)
        hasher.combine(modules)
    }

    // MARK: Encoding

    private static func bitsNeeded(byteCount: Int, version: QRVersion) -> Int {
        guard byteCount < 1 << version.byteCountBits else { return Int.max }
        return 4 + version.byteCountBits + byteCount * 8
    }

    /// Mode indicator, count, bytes, terminator and padding, as codewords: bits are packed
    /// straight into bytes (a QR-bill holds up to 997 bytes; one `Bool` per bit cost more than
    /// the error correction).
    private static func dataCodewords(_ bytes: [UInt8], version: QRVersion,
                                      errorCorrection: QRErrorCorrection) -> [UInt8] {
        let capacity = version.dataCodewords(errorCorrection)
        var codewords = [UInt8](repeating: 0, count: capacity)
        var bitCount = 0
        codewords.withUnsafeMutableBufferPointer { out in
            func append(_ value: Int, _ count: Int) {
                for i in stride(from: count - 1, through: 0, by: -1) where (value >> i) & 1 != 0 {
                    let bit = bitCount + (count - 1 - i)
                    out[bit >> 3] |= 0x80 >> UInt8(bit & 7)
                }
                bitCount += count
            }
            append(0b0100, 4)
            append(bytes.count, version.byteCountBits)
            for byte in bytes {
                // Byte-aligned or not, a byte spans at most two codewords.
                let shift = bitCount & 7, index = bitCount >> 3
                out[index] |= byte >> UInt8(shift)
                if shift != 0 { out[index + 1] |= byte << UInt8(8 - shift) }
                bitCount += 8
            }
        }
        // The terminator (up to four zero bits) and the zero bits to the byte boundary are already 0.
        bitCount += min(4, capacity * 8 - bitCount)
        var index = (bitCount + 7) / 8
        var pad: UInt8 = 0xEC
        while index < capacity {
            codewords[index] = pad
            pad = pad == 0xEC ? 0x11 : 0xEC
            index += 1
        }
        return codewords
    }

    /// Splits the data into blocks, adds each block's error correction and interleaves them.
    private static func interleaved(_ data: [UInt8], version: QRVersion,
                                    errorCorrection: QRErrorCorrection) -> [UInt8] {
        let blockCount = version.blocks(errorCorrection)
        let eccLength = version.eccCodewordsPerBlock(errorCorrection)
        let raw = version.rawCodewords
        let shortBlocks = blockCount - raw % blockCount
        let shortLength = raw / blockCount
        let generator = ReedSolomon.generator(degree: eccLength)
        var blocks: [[UInt8]] = []
        var offset = 0
        for index in 0..<blockCount {
            let dataLength = shortLength - eccLength + (index < shortBlocks ? 0 : 1)
            let slice = data[offset..<offset + dataLength]
            offset += dataLength
            var block = Array(slice)
            if index < shortBlocks { block.append(0) }
            block += generator.remainder(slice)
            blocks.append(block)
        }
        var result: [UInt8] = []
        result.reserveCapacity(raw)
        for i in 0..<blocks[0].count {
            for (index, block) in blocks.enumerated() where i != shortLength - eccLength || index >= shortBlocks {
                result.append(block[i])
            }
        }
        return result
    }
}
