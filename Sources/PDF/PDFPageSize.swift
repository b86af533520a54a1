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
