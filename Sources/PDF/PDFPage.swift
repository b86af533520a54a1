/// One page being drawn on.
///
/// Coordinates are in points with the origin at the **top-left** corner of the page and `y`
/// growing downwards, as a layout flows; the writer converts to PDF's bottom-up space.
/// Text is positioned by its baseline.
public struct PDFPage: Sendable {
    public let size: PDFPageSize

    /// Every substitution made on this page, each once, in drawing order.
    public private(set) var substitutions: [PDFSubstitution] = []

    /// Room for a page with a QR code (its modules alone are ~20 KB), so it rarely grows.
    var content = ByteBuffer(capacity: 32_768)
    /// The fonts drawn with, in order of first use: font `i` is the page resource `/F(i+1)`.
    private(set) var fonts: [PDFFont] = []
    /// For each of `fonts`, the glyphs drawn with it (empty for the standard fonts).
    private(set) var glyphSets: [GlyphSet] = []
    /// Where glyph ids of embedded fonts sit in `content` (four hex digits each), so the writer
    /// can renumber them to the document's subset.
    private(set) var glyphRuns: [GlyphRun] = []
    private(set) var images: [PDFImage] = []

    private var fillColor = PDFColor.black
    private var strokeColor = PDFColor.black
    private var lineWidth = 1.0

    public init(size: PDFPageSize = .a4) {
        self.size = size
    }

    // MARK: Lines and rectangles

    /// Strokes a straight line.
    public mutating func drawLine(fromX x1: Double, y y1: Double, toX x2: Double, y y2: Double,
                                  width: Double = 0.5, color: PDFColor = .black) {
        setStroke(color, width: width)
        content.append(x1)
        content.appendSpace()
        content.append(size.height - y1)
        content.append(" m ")
        content.append(x2)
        content.appendSpace()
        content.append(size.height - y2)
        content.append(" l S\n")
    }

    /// Fills a rectangle.
    public mutating func fill(_ rect: PDFRect, color: PDFColor) {
        setFill(color)
        appendRectangle(rect)
        content.append(" re f\n")
    }

    /// Fills several rectangles as one path, so that touching ones leave no seam between them
    /// (the modules of a QR code, for instance).
    public mutating func fill(_ rects: [PDFRect], color: PDFColor) {
        guard !rects.isEmpty else { return }
        setFill(color)
        for rect in rects {
            appendRectangle(rect)
            content.append(" re\n")
        }
        content.append("f\n")
    }

    /// Fills runs of cells of a grid whose top-left corner is at `x`, `y` and whose cells are
    /// `cell` points square (the modules of a QR code). The grid is drawn in its own coordinate
    /// system, so each run costs a few integers instead of four decimals, and all runs form one
    /// path, so touching cells leave no seam.
    public mutating func fillGrid(_ runs: [(x: Int, y: Int, length: Int)], x: Double, y: Double, cell: Double,
                                  color: PDFColor) {
        guard !runs.isEmpty else { return }
        setFill(color)
        content.append("q ")
        content.append(cell)
        content.append(" 0 0 ")
        content.append(-cell)
        content.appendSpace()
        content.append(x)
        content.appendSpace()
        content.append(size.height - y)
        content.append(" cm\n")
        content.appendGridRuns(runs)
        content.append("f Q\n")
    }

    /// Strokes a rectangle's outline.
    public mutating func stroke(_ rect: PDFRect, width: Double = 0.5, color: PDFColor = .black) {
        setStroke(color, width: width)
        appendRectangle(rect)
        content.append(" re S\n")
    }

    // MARK: Images

    /// Draws `image` scaled to fill `rect` (keep the aspect ratio with `PDFImage.size(fittingWidth:height:)`).
    public mutating func draw(_ image: PDFImage, in rect: PDFRect) {
        let index: Int
        if let existing = images.firstIndex(of: image) {
            index = existing
        } else {
            index = images.count
            images.append(image)
        }
        content.append("q ")
        content.append(rect.width)
        content.append(" 0 0 ")
        content.append(rect.height)
        content.appendSpace()
        content.append(rect.x)
        content.appendSpace()
        content.append(size.height - rect.maxY)
        content.append(" cm /Im")
        content.append(index)
        content.append(" Do Q\n")
    }

    // MARK: State

    mutating func setFill(_ color: PDFColor) {
        guard color != fillColor else { return }
        fillColor = color
        appendColor(color)
        content.append(" rg\n")
    }

    private mutating func setStroke(_ color: PDFColor, width: Double) {
        if color != strokeColor {
            strokeColor = color
            appendColor(color)
            content.append(" RG\n")
        }
        if width != lineWidth {
            lineWidth = width
            content.append(width)
            content.append(" w\n")
        }
    }

    private mutating func appendColor(_ color: PDFColor) {
        content.append(color.red)
        content.appendSpace()
        content.append(color.green)
        content.appendSpace()
        content.append(color.blue)
    }

    private mutating func appendRectangle(_ rect: PDFRect) {
        content.append(rect.x)
        content.appendSpace()
        content.append(size.height - rect.maxY)
        content.appendSpace()
        content.append(rect.width)
        content.appendSpace()
        content.append(rect.height)
    }

    /// The index of `font` among the page's fonts, adding it on first use.
    mutating func slot(for font: PDFFont) -> Int {
        if let index = fonts.firstIndex(of: font) { return index }
        fonts.append(font)
        if case .trueType(let trueType) = font.storage {
            glyphSets.append(GlyphSet(capacity: trueType.glyphCount))
        } else {
            glyphSets.append(GlyphSet(capacity: 0))
        }
        return fonts.count - 1
    }

    /// Appends glyph ids of the embedded font in `slot` as a hex string and remembers them.
    mutating func appendGlyphs(_ glyphs: [UInt16], slot: Int) {
        content.append(byte: UInt8(ascii: "<"))
        let start = content.count
        content.appendHex(glyphs)
        glyphRuns.append(GlyphRun(slot: slot, range: start..<content.count))
        for glyph in glyphs { glyphSets[slot].insert(glyph) }
        content.append(byte: UInt8(ascii: ">"))
    }

    mutating func record(_ newSubstitutions: [PDFSubstitution]) {
        for substitution in newSubstitutions where !substitutions.contains(substitution) {
            substitutions.append(substitution)
        }
    }
}

/// Glyph ids of one embedded font in a page's content stream.
struct GlyphRun: Sendable {
    var slot: Int
    var range: Range<Int>
}
