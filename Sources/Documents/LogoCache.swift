import Foundation
import PDF
import Synchronization

/// Logos checked (`LogoFile`) and decoded once per path, shared by the threads of a batch.
///
/// A logo that fails the check or does not decode is remembered as unusable: documents are made
/// without it, with the reason as a warning, never refused for it.
final class LogoCache: Sendable {
    struct Entry: Sendable {
        var image: PDFImage?
        /// Why the logo is left out; nil when it is used.
        var problem: String?
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// The decoded PNG or JPEG at `path`, or why it cannot be used; an empty path is no logo and no problem.
    func entry(at path: String) -> Entry {
        guard !path.isEmpty else { return Entry() }
        return entries.withLock { entries in
            if let cached = entries[path] { return cached }
            let entry = Self.load(path)
            entries[path] = entry
            return entry
        }
    }

    private static func load(_ path: String) -> Entry {
        let entry: Entry
        do {
            let file = try LogoFile(path: path)
            entry = Entry(image: try PDFImage(data: file.data))
        } catch let error as DocumentError {
            entry = Entry(problem: "\(error.message); the documents are made without it (settings: logo)")
        } catch {
            entry = Entry(problem: "the logo \(path) is not a PNG or JPEG the PDF writer can use (\(error)); "
                + "the documents are made without it (settings: logo)")
        }
        return entry
    }
}
