extension PDFImage {
    /// Reads a PNG file.
    ///
    /// Opaque, non-interlaced PNGs (grey, RGB, palette) are embedded with their compressed data
    /// unchanged (FlateDecode with PNG predictors); a `tRNS` colour key becomes a `/Mask`.
    /// PNGs with an alpha channel (or partly transparent palettes) are decompressed here and
    /// their alpha is embedded as a soft mask, both run-length encoded. Interlaced PNGs are
    /// refused with `PDFError.unsupportedPNG`.
    public init(png bytes: [UInt8]) throws(PDFError) {
        let png = try PNGDecoder(bytes)
        guard !png.interlaced else {
            throw .unsupportedPNG("interlaced (Adam7) PNGs are not supported")
        }
        if let stream = Self.passThroughStream(png) {
            self.init(stream: stream)
            return
        }
        let pixels = try Self.unfilteredRows(png)
        let (color, alpha, isGray) = Self.splitAlpha(png, rows: pixels)
        let colorStream = ImageStream(width: png.width, height: png.height, colorSpace: isGray ? .gray : .rgb,
                                      bitsPerComponent: 8, filter: .runLength, data: RunLength.encode(color))
        let maskStream = alpha.map {
            ImageStream(width: png.width, height: png.height, colorSpace: .gray, bitsPerComponent: 8,
                        filter: .runLength, data: RunLength.encode($0))
        }
        self.init(stream: colorStream, softMask: maskStream)
    }

    /// The stream for PNGs whose compressed data PDF can read directly, or `nil`.
    private static func passThroughStream(_ png: PNGDecoder) -> ImageStream? {
        var stream = ImageStream(width: png.width, height: png.height, colorSpace: .gray,
                                 bitsPerComponent: png.bitDepth, filter: .pngFlate(colors: png.channels),
                                 data: png.imageData)
        switch png.colorType {
        case 0, 2:
            stream.colorSpace = png.colorType == 0 ? .gray : .rgb
            if let key = png.transparency, key.count == 2 * png.channels {
                stream.colorKeyMask = stride(from: 0, to: key.count, by: 2).flatMap { offset in
                    let value = Int(key[offset]) << 8 | Int(key[offset + 1])
                    return [value, value]
                }
            }
            return stream
        case 3:
            stream.colorSpace = .indexed(png.palette)
            guard let alphas = png.transparency else { return stream }
            guard alphas.allSatisfy({ $0 == 0 || $0 == 255 }) else { return nil }
            let transparent = alphas.indices.filter { alphas[$0] == 0 }
            guard let first = transparent.first, let last = transparent.last else { return stream }
            guard last - first + 1 == transparent.count else { return nil }
            stream.colorKeyMask = [first, last]
            return stream
        default:
            return nil
        }
    }

    /// The decompressed rows with PNG filters undone, without the filter bytes.
    private static func unfilteredRows(_ png: PNGDecoder) throws(PDFError) -> [UInt8] {
        let rowBytes = (png.width * png.channels * png.bitDepth + 7) / 8
        let pixelBytes = max(1, png.channels * png.bitDepth / 8)
        let expected = png.height * (rowBytes + 1)
        let raw = try Inflate.zlib(png.imageData, expectedSize: expected)
        guard raw.count == expected else { throw .malformedPNG("the image data does not match the image size") }
        var rows = [UInt8](repeating: 0, count: png.height * rowBytes)
        for row in 0..<png.height {
            let source = row * (rowBytes + 1) + 1
            let target = row * rowBytes
            let filter = raw[source - 1]
            for column in 0..<rowBytes {
                let x = Int(raw[source + column])
                let left = column >= pixelBytes ? Int(rows[target + column - pixelBytes]) : 0
                let up = row > 0 ? Int(rows[target - rowBytes + column]) : 0
                let upLeft = row > 0 && column >= pixelBytes ? Int(rows[target - rowBytes + column - pixelBytes]) : 0
                let value: Int
                switch filter {
                case 0: value = x
                case 1: value = x + left
                case 2: value = x + up
                case 3: value = x + (left + up) / 2
                case 4:
                    let estimate = left + up - upLeft
                    let distanceLeft = abs(estimate - left), distanceUp = abs(estimate - up)
                    let distanceUpLeft = abs(estimate - upLeft)
                    let predictor = distanceLeft <= distanceUp && distanceLeft <= distanceUpLeft
                        ? left : (distanceUp <= distanceUpLeft ? up : upLeft)
                    value = x + predictor
                default:
                    throw .malformedPNG("row \(row) uses unknown filter \(filter)")
                }
                rows[target + column] = UInt8(truncatingIfNeeded: value)
            }
        }
        return rows
    }

    /// Splits 8-bit colour from alpha; alpha is `nil` when every pixel is opaque.
    private static func splitAlpha(_ png: PNGDecoder, rows: [UInt8]) -> (color: [UInt8], alpha: [UInt8]?, isGray: Bool) {
        let pixelCount = png.width * png.height
        let isGray = png.colorType == 4
        var color: [UInt8] = []
        color.reserveCapacity(pixelCount * (isGray ? 1 : 3))
        var alpha: [UInt8] = []
        alpha.reserveCapacity(pixelCount)
        if png.colorType == 3 {
            let rowBytes = (png.width * png.bitDepth + 7) / 8
            let alphas = png.transparency ?? []
            let mask = (1 << png.bitDepth) - 1
            for row in 0..<png.height {
                for column in 0..<png.width {
                    let bitOffset = column * png.bitDepth
                    let byte = Int(rows[row * rowBytes + bitOffset / 8])
                    let index = (byte >> (8 - png.bitDepth - bitOffset % 8)) & mask
                    let entry = index * 3
                    if entry + 2 < png.palette.count {
                        color.append(contentsOf: png.palette[entry...entry + 2])
                    } else {
                        color.append(contentsOf: [0, 0, 0])
                    }
                    alpha.append(index < alphas.count ? alphas[index] : 255)
                }
            }
        } else {
            let sampleBytes = png.bitDepth / 8
            let channels = png.channels
            for pixel in 0..<pixelCount {
                let base = pixel * channels * sampleBytes
                for channel in 0..<(channels - 1) { color.append(rows[base + channel * sampleBytes]) }
                alpha.append(rows[base + (channels - 1) * sampleBytes])
            }
        }
        return (color, alpha.allSatisfy { $0 == 255 } ? nil : alpha, isGray)
    }
}
