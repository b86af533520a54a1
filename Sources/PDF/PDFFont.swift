/// The standard Type 1 fonts this writer uses: built into every PDF reader, not embedded,
/// with WinAnsiEncoding (see `PDFSubstitution` for characters outside it).
public enum PDFFont: Int, Sendable, Hashable, CaseIterable {
    case helvetica
    case helveticaBold
    case helveticaOblique

    /// The PostScript name written as `/BaseFont`.
    public var postScriptName: String {
        switch self {
        case .helvetica: "Helvetica"
        case .helveticaBold: "Helvetica-Bold"
        case .helveticaOblique: "Helvetica-Oblique"
        }
    }

    /// Distance from the baseline to the top of the tallest letters, per point of font size (AFM Ascender).
    public var ascender: Double { 0.718 }

    /// Distance from the baseline to the bottom of descenders, per point of font size, as a
    /// positive number (AFM Descender).
    public var descender: Double { 0.207 }

    /// Height of capital letters per point of font size (AFM CapHeight).
    public var capHeight: Double {
        self == .helveticaBold ? 0.720 : 0.718
    }

    /// Glyph widths in 1/1000 em, indexed by WinAnsi code.
    var widths: [UInt16] {
        self == .helveticaBold ? Self.helveticaBoldWidths : Self.helveticaWidths
    }

    /// The resource name pages use for this font.
    var resourceName: StaticString {
        switch self {
        case .helvetica: "/F1"
        case .helveticaBold: "/F2"
        case .helveticaOblique: "/F3"
        }
    }

    /// The width of `text` in points when drawn at `size`, after substitution of
    /// characters the font cannot show.
    public func width(of text: String, size: Double) -> Double {
        width(ofEncoded: WinAnsi.encode(text).bytes, size: size)
    }

    func width(ofEncoded bytes: [UInt8], size: Double) -> Double {
        Double(units(of: bytes)) * size / 1000
    }

    /// The width of encoded text in 1/1000 em.
    func units(of bytes: [UInt8]) -> Int {
        widths.withUnsafeBufferPointer { table in
            var total = 0
            for byte in bytes { total &+= Int(table[Int(byte)]) }
            return total
        }
    }
}
