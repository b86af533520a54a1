/// A page size in PDF points (1/72 inch).
public struct PDFPageSize: Sendable, Hashable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// ISO A4 portrait, 210 × 297 mm.
    public static let a4 = PDFPageSize(width: 595.28, height: 841.89)
    /// US Letter portrait, 8.5 × 11 in.
    public static let letter = PDFPageSize(width: 612, height: 792)
}

/// A rectangle in page coordinates: `x` from the left edge, `y` from the top edge down to
/// the rectangle's top side.
public struct PDFRect: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    public var maxX: Double { x + width }
    public var maxY: Double { y + height }
}

/// Where a line of text sits relative to the `x` it is drawn at.
public enum PDFTextAlignment: Sendable, Hashable {
    /// The text starts at `x`.
    case left
    /// The text is centred on `x`.
    case center
    /// The text ends at `x` (amounts in a column).
    case right
}
