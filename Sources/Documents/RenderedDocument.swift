import Foundation

/// One rendered document and what could not be shown exactly.
public struct RenderedDocument: Sendable {
    public var format: DocumentFormat
    public var data: Data
    /// PDF only: characters the embedded font lacks, each once, with what was drawn instead.
    public var substitutions: [CharacterSubstitution]
    /// What the document shows differently from its data (a logo left out, QR-bill characters
    /// transliterated), one line each; the same for every format of one document.
    public var warnings: [String]

    public init(format: DocumentFormat, data: Data, substitutions: [CharacterSubstitution] = [],
                warnings: [String] = []) {
        self.format = format
        self.data = data
        self.substitutions = substitutions
        self.warnings = warnings
    }

    /// `'東' as '□', '京' as '□'` for a warning; empty when nothing was substituted.
    public var substitutionSummary: String {
        substitutions.map { "'\($0.original)' as '\($0.replacement)'" }.joined(separator: ", ")
    }
}

/// A character the PDF could not show, and its stand-in.
public struct CharacterSubstitution: Sendable, Hashable {
    public var original: Character
    public var replacement: String
}
