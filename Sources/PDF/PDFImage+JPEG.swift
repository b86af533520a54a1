extension PDFImage {
    /// Reads a JPEG file; its bytes are embedded unchanged (DCTDecode).
    public init(jpeg bytes: [UInt8]) throws(PDFError) {
        guard bytes.starts(with: [0xFF, 0xD8]) else { throw .malformedJPEG("it does not start with a JPEG marker") }
        var index = 2
        var adobe = false
        while index + 4 <= bytes.count {
            guard bytes[index] == 0xFF else { throw .malformedJPEG("unexpected data at byte \(index)") }
            let marker = bytes[index + 1]
            if marker == 0xFF {
                index += 1
                continue
            }
            if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                index += 2
                continue
            }
            let length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
            guard length >= 2, index + 2 + length <= bytes.count else {
                throw .malformedJPEG("a segment runs past the end of the file")
            }
            let segment = index + 4
            if marker == 0xEE, length >= 7, bytes[segment..<segment + 5].elementsEqual(Array("Adobe".utf8)) {
                adobe = true
            }
            let isStartOfFrame = (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC
            if isStartOfFrame {
                guard length >= 8 else { throw .malformedJPEG("the frame header is too short") }
                let precision = Int(bytes[segment])
                let height = Int(bytes[segment + 1]) << 8 | Int(bytes[segment + 2])
                let width = Int(bytes[segment + 3]) << 8 | Int(bytes[segment + 4])
                let components = Int(bytes[segment + 5])
                guard width > 0, height > 0 else { throw .malformedJPEG("the image has no width or height") }
                guard precision == 8 else { throw .malformedJPEG("\(precision)-bit samples are not supported") }
                let colorSpace: ImageStream.ColorSpace
                switch components {
                case 1: colorSpace = .gray
                case 3: colorSpace = .rgb
                case 4: colorSpace = .cmyk
                default: throw .malformedJPEG("\(components) colour components are not supported")
                }
                let decode = components == 4 && adobe ? [1, 0, 1, 0, 1, 0, 1, 0] : nil
                self.init(stream: ImageStream(width: width, height: height, colorSpace: colorSpace,
                                              bitsPerComponent: 8, filter: .dct, data: bytes, decode: decode))
                return
            }
            if marker == 0xDA || marker == 0xD9 { break }
            index += 2 + length
        }
        throw .malformedJPEG("no frame header (SOF) was found")
    }
}
