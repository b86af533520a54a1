import Foundation
import Synchronization

/// Loads named templates from directories, parsing each file once and caching it.
///
/// Directories are searched in order, so an operator's override directory listed before
/// the shipped default one replaces individual files. Partials resolve the same way: the
/// name as written, then with the including template's extension (`{{>footer}}` in
/// `invoice.html` finds `footer.html`). A missing partial is an error here, never empty text.
public final class TemplateLibrary: Sendable {
    /// Search order, first match wins.
    public let directories: [URL]
    /// Bounds on every rendering (output size, partial depth and count).
    public let limits: RenderLimits
    /// Parsed templates by name; `nil` remembers a name no directory has.
    private let cache = Mutex<[String: Template?]>([:])

    public init(directories: [URL], limits: RenderLimits = RenderLimits()) {
        self.directories = directories
        self.limits = limits
    }

    /// Looks in `overrideDirectory` (when given) before `defaultDirectory`.
    public convenience init(defaultDirectory: URL, overrideDirectory: URL? = nil) {
        self.init(directories: [overrideDirectory, defaultDirectory].compactMap { $0 })
    }

    /// The parsed template for a file name relative to the directories, like `email/receipt.txt`.
    public func template(named name: String) throws -> Template {
        guard let template = try load(name) else {
            let searched = directories.map(\.path).joined(separator: ", ")
            throw MustacheError(file: name, message: "template not found in \(searched)")
        }
        return template
    }

    /// Renders the named template, resolving its partials through this library.
    public func render(_ name: String, _ data: TemplateValue) throws -> String {
        try template(named: name).render(data, limits: limits, missingPartials: .fail) { [self] partial, includer in
            try self.partial(named: partial, includedFrom: includer)
        }
    }

    /// `render(_:_:)` as UTF-8 bytes: the same text, without making a String of it (for files).
    public func renderUTF8(_ name: String, _ data: TemplateValue) throws -> [UInt8] {
        try template(named: name).renderUTF8(data, limits: limits, missingPartials: .fail) { [self] partial, includer in
            try self.partial(named: partial, includedFrom: includer)
        }
    }

    private func partial(named name: String, includedFrom includer: Template) throws -> Template? {
        if let template = try load(name) { return template }
        let fileExtension = (includer.name as NSString).pathExtension
        guard (name as NSString).pathExtension.isEmpty, !fileExtension.isEmpty else { return nil }
        return try load(name + "." + fileExtension)
    }

    /// The cached template, or the first file found, parsed and cached; nil when no directory has it.
    private func load(_ name: String) throws -> Template? {
        try cache.withLock { cache in try load(name, cache: &cache) }
    }

    private func load(_ name: String, cache: inout [String: Template?]) throws -> Template? {
        if let cached = cache[name] { return cached }
        guard !name.split(separator: "/").contains("..") else {
            throw MustacheError(file: name, message: "template names may not contain \"..\"")
        }
        for directory in directories {
            let url = directory.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw MustacheError(file: name, message: "cannot read \(url.path): \(error.localizedDescription)")
            }
            // Invalid UTF-8 is repaired (U+FFFD) once here, so rendered bytes are always valid UTF-8.
            let bytes = [UInt8](data)
            let valid = String(validating: bytes, as: UTF8.self) != nil ? bytes : Array(String(decoding: bytes, as: UTF8.self).utf8)
            let template = try Template(bytes: valid, name: name)
            cache[name] = template
            return template
        }
        cache[name] = .some(nil)
        return nil
    }
}
