/// Everything that can go wrong in the `PDF` module, with messages meant for the user.
public enum PDFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes are neither a JPEG nor a PNG file.
    case unrecognizedImageFormat
    /// The JPEG file is damaged or cut short; the string says where.
    case malformedJPEG(String)
    /// The PNG file is damaged or cut short; the string says where.
    case malformedPNG(String)
    /// The PNG file is valid but uses a feature this writer cannot embed.
    case unsupportedPNG(String)
    /// A PDF to be archived (PDF/A-3) is not one this module can update; the string says why.
    case malformedPDF(String)
    /// The font file cannot be embedded; the string says why.
    case malformedFont(String)

    public var description: String {
        switch self {
        case .unrecognizedImageFormat:
            "The image is neither a JPEG nor a PNG file."
        case .malformedJPEG(let detail):
            "The JPEG image is damaged: \(detail)."
        case .malformedPNG(let detail):
            "The PNG image is damaged: \(detail)."
        case .malformedPDF(let detail):
            "The PDF cannot be made PDF/A-3: \(detail)."
        case .unsupportedPNG(let detail):
            "The PNG image cannot be used: \(detail). Save it as an 8-bit RGB PNG or as a JPEG."
        case .malformedFont(let detail):
            "The font cannot be used: \(detail)."
        }
    }
}
