/// The standard Type 1 fonts: built into every PDF reader, not embedded, with WinAnsiEncoding
/// (see `PDFSubstitution` for characters outside it). Documents use an embedded TrueType font;
/// these remain for quick drawings and as a fallback.
enum StandardFont: Int, Sendable, Hashable, CaseIterable {
    case helvetica
    case helveticaBold
    case helveticaOblique

    /// The PostScript name written as `/BaseFont`.
    var postScriptName: String {
        switch self {
        case .helvetica: "Helvetica"
        case .helveticaBold: "Helvetica-Bold"
        case .helveticaOblique: "Helvetica-Oblique"
        }
    }

    /// Glyph widths in 1/1000 em, indexed by WinAnsi code.
    var widths: [UInt16] {
        self == .helveticaBold ? Self.helveticaBoldWidths : Self.helveticaWidths
    }

    var capHeight: Double {
        self == .helveticaBold ? 0.720 : 0.718
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
