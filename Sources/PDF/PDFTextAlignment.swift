/// Where a line of text sits relative to the `x` it is drawn at.
public enum PDFTextAlignment: Sendable, Hashable {
    /// The text starts at `x`.
    case left
    /// The text is centred on `x`.
    case center
    /// The text ends at `x` (amounts in a column).
    case right
}
