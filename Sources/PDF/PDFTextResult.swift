/// What a text drawing call did: how wide the text came out and what was substituted.
public struct PDFTextResult: Sendable, Hashable {
    /// The drawn width in points (of the widest line, for paragraphs).
    public var width: Double
    /// The height taken: 0 for a single line, lines × leading for paragraphs.
    public var height: Double
    /// Characters the font could not show, each once (see `PDFSubstitution`).
    public var substitutions: [PDFSubstitution]
}
