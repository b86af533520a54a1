/// The parts of a PNG file the writer needs: header fields, palette, transparency and the
/// concatenated (still compressed) image data.
struct PNGDecoder: Sendable {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    var width = 0
    var height = 0
    var bitDepth = 0
    var colorType = 0
    var interlaced = false
    var palette: [UInt8] = []
    var transparency: [UInt8]?
    var imageData: [UInt8] = []

    /// Samples per pixel.
    var channels: Int {
        switch colorType {
        case 0, 3: 1
        case 2: 3
        case 4: 2
        default: 4
        }
    }

    init(_ bytes: [UInt8]) throws(PDFError) {
        guard bytes.starts(with: Self.signature) else { throw .malformedPNG("it does not start with the PNG signature") }
        var index = Self.signature.count
        var sawHeader = false
        var sawEnd = false
        while index + 12 <= bytes.count {
            let length = Int(readUInt32(bytes, at: index))
            let typeStart = index + 4
            let dataStart = index + 8
            guard length <= bytes.count - dataStart - 4 else { throw .malformedPNG("a chunk runs past the end of the file") }
            let dataEnd = dataStart + length
            let type = String(decoding: bytes[typeStart..<dataStart], as: UTF8.self)
            let storedCRC = readUInt32(bytes, at: dataEnd)
            guard CRC32.checksum(bytes[typeStart..<dataEnd]) == storedCRC else {
                throw .malformedPNG("the \(type) chunk fails its checksum")
            }
            let data = bytes[dataStart..<dataEnd]
            switch type {
            case "IHDR":
                guard length == 13 else { throw .malformedPNG("the header chunk has the wrong size") }
                width = Int(readUInt32(bytes, at: dataStart))
                height = Int(readUInt32(bytes, at: dataStart + 4))
                bitDepth = Int(bytes[dataStart + 8])
                colorType = Int(bytes[dataStart + 9])
                interlaced = bytes[dataStart + 12] == 1
                sawHeader = true
            case "PLTE":
                palette = Array(data)
            case "tRNS":
                transparency = Array(data)
            case "IDAT":
                imageData.append(contentsOf: data)
            case "IEND":
                sawEnd = true
            default:
                break
            }
            index = dataEnd + 4
            if sawEnd { break }
        }
        guard sawHeader else { throw .malformedPNG("the header chunk (IHDR) is missing") }
        guard width > 0, height > 0, width < 1 << 24, height < 1 << 24 else {
            throw .malformedPNG("the image size \(width) × \(height) is not valid")
        }
        let validDepths: [Int: [Int]] = [0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16]]
        guard let depths = validDepths[colorType], depths.contains(bitDepth) else {
            throw .malformedPNG("colour type \(colorType) with bit depth \(bitDepth) is not valid")
        }
        guard !imageData.isEmpty else { throw .malformedPNG("there is no image data (IDAT)") }
        guard sawEnd else { throw .malformedPNG("the file is cut short (no IEND chunk)") }
        if colorType == 3 {
            guard !palette.isEmpty, palette.count % 3 == 0, palette.count <= 768 else {
                throw .malformedPNG("the palette is missing or damaged")
            }
        }
    }
}

private func readUInt32(_ bytes: [UInt8], at index: Int) -> UInt32 {
    UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3])
}
