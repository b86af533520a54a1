import Foundation

/// A font to draw text with: an embedded TrueType font (`PDFFont(contentsOf:)`, what documents
/// use: every character the font has prints as written) or one of the standard fonts
/// (`.helvetica`, `.helveticaBold`, `.helveticaOblique`: not embedded, WinAnsi only).
///
/// Embedded fonts are parsed once and shared; each document embeds the subset of glyphs it
/// draws. Two `PDFFont`s are equal when they are the same standard font or share the same
/// parsed `TrueTypeFont`.
public struct PDFFont: Sendable, Hashable {
    enum Storage: Sendable {
        case standard(StandardFont)
        case trueType(TrueTypeFont)
    }

    let storage: Storage

    public static let helvetica = PDFFont(storage: .standard(.helvetica))
    public static let helveticaBold = PDFFont(storage: .standard(.helveticaBold))
    public static let helveticaOblique = PDFFont(storage: .standard(.helveticaOblique))

    init(storage: Storage) {
        self.storage = storage
    }

    /// An embedded font drawn from a parsed TrueType file.
    public init(_ font: TrueTypeFont) {
        storage = .trueType(font)
    }

    /// Reads and parses a TrueType font file (`.ttf`) to embed.
    public init(contentsOf url: URL) throws {
        self.init(try TrueTypeFont(contentsOf: url))
    }

    public static func == (left: PDFFont, right: PDFFont) -> Bool {
        switch (left.storage, right.storage) {
        case let (.standard(a), .standard(b)): a == b
        case let (.trueType(a), .trueType(b)): a === b
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .standard(let font): hasher.combine(font)
        case .trueType(let font): hasher.combine(ObjectIdentifier(font))
        }
    }

    /// Whether the font's glyphs are embedded in the PDF (true for TrueType fonts).
    public var isEmbedded: Bool {
        if case .trueType = storage { return true }
        return false
    }

    /// The PostScript name: `Helvetica`, `LiberationSans-Bold`, …
    public var name: String {
        switch storage {
        case .standard(let font): font.postScriptName
        case .trueType(let font): font.postScriptName
        }
    }

    /// Distance from the baseline to the top of the tallest letters, per point of font size
    /// (AFM Ascender; OS/2 typographic ascender).
    public var ascender: Double {
        switch storage {
        case .standard: 0.718
        case .trueType(let font): Double(font.ascender) / Double(font.unitsPerEm)
        }
    }

    /// Distance from the baseline to the bottom of descenders, per point of font size, as a
    /// positive number.
    public var descender: Double {
        switch storage {
        case .standard: 0.207
        case .trueType(let font): Double(-font.descender) / Double(font.unitsPerEm)
        }
    }

    /// Height of capital letters per point of font size.
    public var capHeight: Double {
        switch storage {
        case .standard(let font): font.capHeight
        case .trueType(let font): Double(font.capHeight) / Double(font.unitsPerEm)
        }
    }

    /// Font units per em: 1000 for the standard fonts, the `head` table's for TrueType.
    var unitsPerEm: Int {
        switch storage {
        case .standard: 1000
        case .trueType(let font): font.unitsPerEm
        }
    }

    /// Whether the font has a glyph for every character of `text` (nothing would be substituted).
    public func canShow(_ text: String) -> Bool {
        shape(text).substitutions.isEmpty
    }

    /// The width of `text` in points when drawn at `size`, after substitution of
    /// characters the font cannot show.
    public func width(of text: String, size: Double) -> Double {
        Double(shape(text).units) * size / Double(unitsPerEm)
    }

    /// `text` as codes to draw: WinAnsi bytes or glyph ids, with their width and substitutions.
    func shape(_ text: String) -> ShapedText {
        switch storage {
        case .standard(let font):
            let encoded = WinAnsi.encode(text)
            return ShapedText(codes: encoded.bytes.map(UInt16.init), units: font.units(of: encoded.bytes),
                              substitutions: encoded.substitutions)
        case .trueType(let font):
            return font.shape(text)
        }
    }

    /// The width of `word` in font units, as drawn.
    func units<S: StringProtocol>(of word: S) -> Int {
        switch storage {
        case .standard(let font): font.units(of: WinAnsi.encode(String(word)).bytes)
        case .trueType(let font): font.units(of: word)
        }
    }
}

/// Text ready to draw: one code per glyph (a WinAnsi byte or a glyph id), its width in font
/// units and the characters that had to be substituted.
struct ShapedText: Sendable {
    var codes: [UInt16]
    var units: Int
    var substitutions: [PDFSubstitution]
}
