import Foundation

/// One rendered document and what could not be shown exactly.
public struct RenderedDocument: Sendable {
    public var format: DocumentFormat
    public var data: Data
    /// PDF only: characters the embedded font lacks, each once, with what was drawn instead.
    public var substitutions: [CharacterSubstitution]

    public init(format: DocumentFormat, data: Data, substitutions: [CharacterSubstitution] = []) {
        self.format = format
        self.data = data
        self.substitutions = substitutions
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
