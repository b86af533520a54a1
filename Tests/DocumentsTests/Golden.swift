import Foundation
import Testing
import TestSupport

/// Golden files under `Tests/DocumentsTests/Golden/`; `UPDATE_GOLDEN=1` rewrites them.
enum Golden {
    static let directory = Paths.packageRoot.appendingPathComponent("Tests/DocumentsTests/Golden")

    static func check(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent(name)
        let environment = ProcessInfo.processInfo.environment
        if environment["UPDATE_GOLDEN"] == "1" {
            // CI compares and never rewrites: an update there would turn any difference green.
            guard environment["CI"] == nil else {
                Issue.record("UPDATE_GOLDEN is refused when CI is set", sourceLocation: sourceLocation)
                return
            }
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(actual == expected, "differs from Golden/\(name); rerun with UPDATE_GOLDEN=1 after checking",
                sourceLocation: sourceLocation)
    }
}

/// The real PDF tools.
enum PDFTools {
    /// Writes `data` to a temporary file, checks it with `qpdf --check` and returns `pdftotext -layout` output.
    static func check(_ data: Data, in directory: TemporaryDirectory, name: String) throws -> (text: String, pages: Int) {
        let path = directory.path(name)
        try data.write(to: URL(fileURLWithPath: path))
        let qpdf = try ProcessRunner.shell("qpdf --check '\(path)'")
        #expect(qpdf.status == 0, "qpdf --check failed: \(qpdf.stdout) \(qpdf.stderr)")
        let text = try ProcessRunner.shell("pdftotext -layout '\(path)' -")
        #expect(text.status == 0)
        return (text.stdout, try pages(path))
    }

    static func pages(_ path: String) throws -> Int {
        let info = try ProcessRunner.shell("pdfinfo '\(path)'")
        let line = info.stdout.split(separator: "\n").first { $0.hasPrefix("Pages:") } ?? ""
        return Int(line.split(separator: " ").last ?? "") ?? 0
    }
}
