import Foundation

/// The kinds of file an invoice can be printed as.
public enum DocumentFormat: String, Sendable, Hashable, CaseIterable {
    case html
    case pdf
    case txt

    /// Parses a comma-separated list such as `html,pdf,txt`.
    public static func list(parsing text: String) throws -> [DocumentFormat] {
        var formats: [DocumentFormat] = []
        for item in text.split(separator: ",") {
            let name = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard let format = DocumentFormat(rawValue: name == "text" ? "txt" : name) else {
                throw DocumentError("unknown format '\(name)': use html, pdf or txt, comma-separated")
            }
            if !formats.contains(format) { formats.append(format) }
        }
        guard !formats.isEmpty else { throw DocumentError("name at least one format: html, pdf or txt") }
        return formats
    }
}
