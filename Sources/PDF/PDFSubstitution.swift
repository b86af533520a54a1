/// A character the standard fonts cannot show, and what was drawn in its place.
///
/// The standard 14 fonts only have the glyphs of Windows code page 1252 (WinAnsiEncoding):
/// Western European letters, `€`, typographic quotes and dashes. Anything else is never
/// dropped silently: it is first transliterated when a clear Latin fallback exists
/// (`ř` → `r`, `ő` → `o`, `Ł` → `L`, `ﬁ` → `fi`), and otherwise replaced by `?`
/// (Cyrillic, CJK, emoji). Each such character is reported once per draw call, so callers
/// can warn that the PDF differs from the input.
public struct PDFSubstitution: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        /// A Latin fallback was drawn (`ř` → `r`).
        case transliterated
        /// No fallback exists; `?` was drawn.
        case replaced
    }

    /// The character as it appeared in the text.
    public let original: Character
    /// What was drawn instead.
    public let replacement: String
    public let kind: Kind

    public init(original: Character, replacement: String, kind: Kind) {
        self.original = original
        self.replacement = replacement
        self.kind = kind
    }
}
