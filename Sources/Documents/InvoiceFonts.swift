import Foundation
import PDF

/// The fonts every PDF document is drawn with: Liberation Sans Regular, Bold and Italic from
/// `Templates/fonts/` (an operator's template folder may hold its own files of the same names),
/// embedded as subsets so every name prints as written.
struct InvoiceFonts: Sendable {
    let regular: PDFFont
    let bold: PDFFont
    let italic: PDFFont

    static let fileNames = (regular: "LiberationSans-Regular.ttf", bold: "LiberationSans-Bold.ttf",
                            italic: "LiberationSans-Italic.ttf")

    /// Reads and parses the three files, each from the first of `directories` whose `fonts/` has it.
    init(directories: [URL]) throws {
        func load(_ name: String) throws -> PDFFont {
            let candidates = directories.map { $0.appendingPathComponent("fonts").appendingPathComponent(name) }
            guard let url = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
                throw DocumentError("cannot find the PDF font fonts/\(name) in "
                    + directories.map(\.path).joined(separator: " or "))
            }
            do {
                return try PDFFont(contentsOf: url)
            } catch {
                throw DocumentError("the PDF font \(url.path) cannot be used: \(error)")
            }
        }
        regular = try load(Self.fileNames.regular)
        bold = try load(Self.fileNames.bold)
        italic = try load(Self.fileNames.italic)
    }
}

/// The fonts, parsed on the first PDF and shared by every thread after that.
///
/// `@unchecked Sendable`: `loaded` is only touched under `lock`.
final class FontCache: @unchecked Sendable {
    private let lock = NSLock()
    private let directories: [URL]
    private var loaded: InvoiceFonts?

    init(directories: [URL]) {
        self.directories = directories
    }

    func fonts() throws -> InvoiceFonts {
        lock.lock()
        defer { lock.unlock() }
        if let loaded { return loaded }
        let fonts = try InvoiceFonts(directories: directories)
        loaded = fonts
        return fonts
    }
}
