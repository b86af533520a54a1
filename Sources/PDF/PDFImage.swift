/// A JPEG or PNG image ready to be placed on pages; the same image drawn on several pages
/// is stored once in the file.
public struct PDFImage: Sendable, Hashable {
    /// Width in pixels.
    public var width: Int { stream.width }
    /// Height in pixels.
    public var height: Int { stream.height }

    let stream: ImageStream
    let softMask: ImageStream?

    init(stream: ImageStream, softMask: ImageStream? = nil) {
        self.stream = stream
        self.softMask = softMask
    }

    /// Reads a JPEG or PNG file, recognised by its signature.
    public init(data: some Collection<UInt8>) throws(PDFError) {
        let bytes = Array(data)
        if bytes.starts(with: [0xFF, 0xD8]) {
            try self.init(jpeg: bytes)
        } else if bytes.starts(with: PNGDecoder.signature) {
            try self.init(png: bytes)
        } else {
            throw .unrecognizedImageFormat
        }
    }

    /// The largest size with this image's aspect ratio that fits in `width` × `height` points.
    public func size(fittingWidth width: Double, height: Double) -> (width: Double, height: Double) {
        let scale = min(width / Double(self.width), height / Double(self.height))
        return (Double(self.width) * scale, Double(self.height) * scale)
    }
}

/// One image XObject stream as it is written to the file.
struct ImageStream: Sendable, Hashable {
    enum ColorSpace: Sendable, Hashable {
        case gray
        case rgb
        case cmyk
        /// A palette of RGB triples.
        case indexed([UInt8])
    }

    enum Filter: Sendable, Hashable {
        /// JPEG bytes as they are.
        case dct
        /// PNG IDAT data: zlib with PNG row predictors.
        case pngFlate(colors: Int)
        /// PackBits-style run-length data.
        case runLength
    }

    var width: Int
    var height: Int
    var colorSpace: ColorSpace
    var bitsPerComponent: Int
    var filter: Filter
    var data: [UInt8]
    /// `/Decode` values, for Adobe's inverted CMYK JPEGs.
    var decode: [Int]? = nil
    /// `/Mask` colour-key ranges, from a PNG `tRNS` chunk.
    var colorKeyMask: [Int]? = nil
}
