import Billing
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

    /// The seller's logo: its frozen bytes (an issued document), else the file at its path.
    func entry(for seller: Operator) -> Entry {
        guard let frozen = seller.frozenLogo else { return entry(at: seller.logoPath) }
        return entries.withLock { entries in
            let key = "sha256:" + frozen.sha256
            if let cached = entries[key] { return cached }
            let entry = Self.load("kept with the invoice (sha256 \(frozen.sha256.prefix(12)))") {
                try LogoFile(data: Data(frozen.data), path: $0)
            }
            entries[key] = entry
            return entry
        }
    }

    private static func load(_ path: String) -> Entry {
        load(path) { try LogoFile(path: $0) }
    }

    private static func load(_ path: String, reading: (String) throws -> LogoFile) -> Entry {
        let entry: Entry
        do {
            let file = try reading(path)
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
