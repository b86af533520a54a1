import Foundation
import Testing
import TestSupport

/// A fresh clone must pass on its own: nothing in the build, the tests, the bench or CI may read the
/// reference folder that sits beside the project on the developers' machines.
@Suite struct SelfContainedTests {
    /// The needles are assembled so that this file does not match itself.
    static let needles = [".." + "/shared", "/" + "shared/"]

    // Mutation (mutants.tsv template-tests-read-shared): point InvoiceTemplateTests' library back at the peers folder beside the package
    // (dot-dot, slash, shared, slash, peers) → this test fails naming that file and line.
    @Test func nothingReadsTheSharedReferenceFolder() throws {
        let root = Paths.packageRoot
        var files: [URL] = [root.appendingPathComponent("Package.swift")]
        for folder in ["Sources", "Tests", "scripts", "Benchmarks", ".ci"] {
            let url = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.isRegularFileKey]) else {
                Issue.record("cannot list \(folder)")
                continue
            }
            for case let file as URL in walker where try file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
                if file.pathComponents.contains("__pycache__") { continue }
                // The mutation table plants this very bug on purpose (row template-tests-read-shared), applied
                // only to scratch copies, where this test then reads the mutated file itself.
                if file.path.hasSuffix("/Tests/mutants.tsv") { continue }
                files.append(file)
            }
        }
        #expect(files.count > 100, "the walk found the repository's files")
        var hits: [String] = []
        for file in files {
            let data = try Data(contentsOf: file)
            let text = String(decoding: data, as: UTF8.self)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where Self.needles.contains(where: { line.contains($0) }) {
                hits.append("\(file.path.dropFirst(root.path.count + 1)):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(hits.isEmpty, "reads the reference folder:\n\(hits.joined(separator: "\n"))")
    }
}
