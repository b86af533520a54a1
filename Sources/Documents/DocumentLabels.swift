import Billing
import Foundation
import Mustache

/// The words of one language's documents, read from `labels/<language>.json` (a flat JSON object
/// of strings). Values may hold `{name}` placeholders filled by `text(_:_:)`.
///
/// Keys are merged in this order, later winning: shipped `en.json`, shipped `<language>.json`,
/// then the operator's `labels/<language>.json` from the override directory. A key missing
/// everywhere renders as the key itself, visibly, instead of failing the whole batch.
public struct DocumentLabels: Sendable, Hashable {
    public let language: Language
    public let values: [String: String]
    /// `values` as template data (`labels` in the templates), made once, not once an invoice.
    public let templateValue: TemplateValue

    public init(language: Language, values: [String: String]) {
        self.language = language
        self.values = values
        templateValue = .object(values.mapValues { .string($0) })
    }

    /// Loads and merges the label files for `language` from `directories` (first = highest priority).
    public init(language: Language, directories: [URL]) throws {
        var merged: [String: String] = [:]
        var found = false
        for directory in directories.reversed() {
            for code in language == .en ? ["en"] : ["en", language.rawValue] {
                let url = directory.appendingPathComponent("labels/\(code).json")
                guard let data = FileManager.default.contents(atPath: url.path) else { continue }
                if code != "en" || language == .en { found = true }
                let parsed: [String: String]
                do {
                    parsed = try JSONDecoder().decode([String: String].self, from: data)
                } catch {
                    throw DocumentError("\(url.path) is not a JSON object of strings: \(error.localizedDescription)")
                }
                merged.merge(parsed) { _, new in new }
            }
        }
        guard found else {
            let searched = directories.map(\.path).joined(separator: ", ")
            throw DocumentError("no label file labels/\(language.rawValue).json in \(searched)")
        }
        self.init(language: language, values: merged)
    }

    public subscript(key: String) -> String { values[key] ?? key }

    /// The label for `key` with each `{name}` replaced by `arguments[name]`.
    /// One pass over the template; a `{name}` without an argument stays as written.
    public func text(_ key: String, _ arguments: [String: String] = [:]) -> String {
        let template = self[key]
        guard !arguments.isEmpty, template.utf8.contains(UInt8(ascii: "{")) else { return template }
        var result = ""
        result.reserveCapacity(template.utf8.count + 32)
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].firstIndex(of: "}") else {
                result += rest[open...]
                return result
            }
            if let value = arguments[String(rest[afterOpen..<close])] {
                result += value
            } else {
                result += rest[open...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        return result
    }
}
