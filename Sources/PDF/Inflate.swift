/// A small DEFLATE (RFC 1951) decoder for zlib streams (RFC 1950), used only to split the
/// alpha channel out of PNG images; image data without alpha is embedded still compressed.
enum Inflate {
    static func zlib(_ data: [UInt8], expectedSize: Int) throws(PDFError) -> [UInt8] {
        guard data.count >= 2, data[0] & 0x0F == 8, (Int(data[0]) << 8 | Int(data[1])) % 31 == 0,
              data[1] & 0x20 == 0 else {
            throw .malformedPNG("the image data is not a zlib stream")
        }
        var reader = BitReader(data: data, index: 2)
        var output: [UInt8] = []
        output.reserveCapacity(expectedSize)
        var last = false
        while !last {
            last = try reader.bits(1) == 1
            switch try reader.bits(2) {
            case 0:
                try reader.storedBlock(into: &output)
            case 1:
                try reader.huffmanBlock(literals: fixedLiterals, distances: fixedDistances, into: &output)
            case 2:
                let (literals, distances) = try reader.dynamicTables()
                try reader.huffmanBlock(literals: literals, distances: distances, into: &output)
            default:
                throw .malformedPNG("the image data uses an invalid block type")
            }
            guard output.count <= expectedSize else { throw .malformedPNG("the image data is larger than its size says") }
        }
        return output
    }

    private static let fixedLiterals = Huffman(lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112)
        + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8))
    private static let fixedDistances = Huffman(lengths: Array(repeating: 5, count: 30))

    static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                             35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    static let distanceBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
                               1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
    static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
}

/// A canonical Huffman code, decoded bit by bit (as in zlib's `puff`).
struct Huffman: Sendable {
    var counts = [Int](repeating: 0, count: 16)
    var symbols: [Int]

    init(lengths: [Int]) {
        for length in lengths { counts[length] += 1 }
        counts[0] = 0
        var offsets = [Int](repeating: 0, count: 16)
        for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
        symbols = [Int](repeating: 0, count: lengths.count)
        for (symbol, length) in lengths.enumerated() where length != 0 {
            symbols[offsets[length]] = symbol
            offsets[length] += 1
        }
    }
}

private struct BitReader {
    let data: [UInt8]
    var index: Int
    var buffer = 0
    var count = 0

    init(data: [UInt8], index: Int) {
        self.data = data
        self.index = index
    }

    mutating func bits(_ needed: Int) throws(PDFError) -> Int {
        while count < needed {
            guard index < data.count else { throw .malformedPNG("the image data is cut short") }
            buffer |= Int(data[index]) << count
            index += 1
            count += 8
        }
        let value = buffer & ((1 << needed) - 1)
        buffer >>= needed
        count -= needed
        return value
    }

    mutating func decode(_ code: Huffman) throws(PDFError) -> Int {
        var value = 0, first = 0, index = 0
        for length in 1..<16 {
            value |= try bits(1)
            let count = code.counts[length]
            if value - count < first { return code.symbols[index + value - first] }
            index += count
            first = (first + count) << 1
            value <<= 1
        }
        throw .malformedPNG("the image data contains an invalid code")
    }

    mutating func storedBlock(into output: inout [UInt8]) throws(PDFError) {
        buffer = 0
        count = 0
        guard index + 4 <= data.count else { throw .malformedPNG("the image data is cut short") }
        let length = Int(data[index]) | Int(data[index + 1]) << 8
        let complement = Int(data[index + 2]) | Int(data[index + 3]) << 8
        guard length == ~complement & 0xFFFF else { throw .malformedPNG("a stored block has a bad length") }
        index += 4
        guard index + length <= data.count else { throw .malformedPNG("the image data is cut short") }
        output.append(contentsOf: data[index..<index + length])
        index += length
    }

    mutating func huffmanBlock(literals: Huffman, distances: Huffman, into output: inout [UInt8]) throws(PDFError) {
        while true {
            let symbol = try decode(literals)
            if symbol < 256 {
                output.append(UInt8(symbol))
            } else if symbol == 256 {
                return
            } else {
                let lengthCode = symbol - 257
                guard lengthCode < 29 else { throw .malformedPNG("the image data contains an invalid length") }
                let length = Inflate.lengthBase[lengthCode] + (try bits(Inflate.lengthExtra[lengthCode]))
                let distanceCode = try decode(distances)
                guard distanceCode < 30 else { throw .malformedPNG("the image data contains an invalid distance") }
                let distance = Inflate.distanceBase[distanceCode] + (try bits(Inflate.distanceExtra[distanceCode]))
                guard distance <= output.count else { throw .malformedPNG("the image data refers before its start") }
                let start = output.count - distance
                for offset in 0..<length { output.append(output[start + offset]) }
            }
        }
    }

    mutating func dynamicTables() throws(PDFError) -> (Huffman, Huffman) {
        let literalCount = try bits(5) + 257
        let distanceCount = try bits(5) + 1
        let codeLengthCount = try bits(4) + 4
        guard literalCount <= 286, distanceCount <= 30 else { throw .malformedPNG("the image data has too many codes") }
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var codeLengths = [Int](repeating: 0, count: 19)
        for position in 0..<codeLengthCount { codeLengths[order[position]] = try bits(3) }
        let lengthCode = Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        lengths.reserveCapacity(literalCount + distanceCount)
        while lengths.count < literalCount + distanceCount {
            let symbol = try decode(lengthCode)
            switch symbol {
            case 0..<16:
                lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw .malformedPNG("the image data repeats a missing length") }
                lengths.append(contentsOf: repeatElement(previous, count: 3 + (try bits(2))))
            case 17:
                lengths.append(contentsOf: repeatElement(0, count: 3 + (try bits(3))))
            default:
                lengths.append(contentsOf: repeatElement(0, count: 11 + (try bits(7))))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw .malformedPNG("the image data has bad code lengths") }
        return (Huffman(lengths: Array(lengths[..<literalCount])), Huffman(lengths: Array(lengths[literalCount...])))
    }
}
