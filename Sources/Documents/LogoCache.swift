import Foundation
import PDF

/// Logos read and decoded once per path, shared by the threads of a batch.
///
/// `@unchecked Sendable`: the dictionary is only touched under `lock`.
final class LogoCache: @unchecked Sendable {
    private let lock = NSLock()
    private var images: [String: PDFImage] = [:]

    /// The decoded PNG or JPEG at `path`; nil for an empty path.
    func image(at path: String) throws -> PDFImage? {
        guard !path.isEmpty else { return nil }
        lock.lock()
        defer { lock.unlock() }
        if let cached = images[path] { return cached }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DocumentError("cannot read the logo \(path) (settings: logo)")
        }
        do {
            let image = try PDFImage(data: data)
            images[path] = image
            return image
        } catch {
            throw DocumentError("the logo \(path) is not a PNG or JPEG the PDF writer can use: \(error)")
        }
    }
}
