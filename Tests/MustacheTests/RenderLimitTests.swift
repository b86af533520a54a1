import Foundation
import Mustache
import Testing
import TestSupport

/// A template that expands without end fails with a clear error instead of hanging or eating memory.
@Suite struct RenderLimitTests {
    private func write(_ text: String, to name: String, in directory: TemporaryDirectory) throws {
        try Data(text.utf8).write(to: directory.url.appendingPathComponent(name))
    }

    /// Forty partials that each include the next one twice: 2^40 inclusions. They write one byte each,
    /// so before the budgets this hung for hours.
    /// Mutation (mutants.tsv mustache-inclusion-guard): drop the `inclusions < limits.inclusions` guard in Renderer.nested → this test hangs.
    @Test("Exponentially nested partials stop at the inclusion budget with a clear error")
    func exponentialPartials() throws {
        let directory = try TemporaryDirectory("mustache-bomb")
        defer { directory.remove() }
        try write("{{>p0}}", to: "invoice.html", in: directory)
        for level in 0..<40 { try write("{{>p\(level + 1)}}{{>p\(level + 1)}}", to: "p\(level).html", in: directory) }
        try write("", to: "p40.html", in: directory)
        let library = TemplateLibrary(directories: [directory.url])
        let started = Date()
        do {
            _ = try library.render("invoice.html", [:])
            Issue.record("the partial bomb rendered")
        } catch let error as MustacheError {
            #expect(error.message == "more than 1000000 partials included; do partials include each other without end?")
        }
        #expect(Date().timeIntervalSince(started) < 60, "stops in reasonable time")
    }

    /// 2^16 partials of 1,000 bytes: 65 MB, far fewer inclusions than their budget.
    /// Mutation (mutants.tsv mustache-output-check): remove the output check at the top of Renderer.render's loop → 65 MB and no error.
    @Test("Output past the budget is an error naming the template")
    func outputBudget() throws {
        var partials: [String: Template] = [:]
        for level in 0..<16 { partials["p\(level)"] = try Template("{{>p\(level + 1)}}{{>p\(level + 1)}}", name: "p\(level).html") }
        partials["p16"] = try Template(String(repeating: "0123456789", count: 100), name: "p16.html")
        let template = try Template("{{>p0}}", name: "invoice.html")
        do {
            _ = try template.render([:], partials: partials)
            Issue.record("65 MB rendered")
        } catch let error as MustacheError {
            #expect(error.message.hasPrefix("the output passed its budget of 10485760 bytes"))
        }
        do {
            _ = try template.render([:], partials: partials, limits: RenderLimits(outputBytes: 1 << 20))
            Issue.record("65 MB rendered")
        } catch let error as MustacheError {
            #expect(error.message.hasPrefix("the output passed its budget of 1048576 bytes"))
        }
        // A big but bounded rendering (a 10,000-row table of ~300 bytes a row) stays within the default budget.
        let rows: TemplateValue = .array((0..<10_000).map { _ in .object(["n": .string(String(repeating: "x", count: 300))]) })
        let table = try Template("{{#rows}}<tr><td>{{n}}</td></tr>\n{{/rows}}", name: "table.html")
        #expect(try table.render(["rows": rows]).utf8.count > 3_000_000)
    }

    /// Mutation (mutants.tsv mustache-depth-guard): drop the depth guard (`guard true`) → the inclusion budget stops the
    /// recursion instead and the error names no depth limit. (A looser bound such as `depth + 1000` still reports 100.)
    @Test("Partials nested deeper than the depth limit fail with the limit in the message")
    func depthLimit() throws {
        let template = try Template("{{>self}}", name: "self.html")
        #expect(throws: MustacheError(file: "self.html", message: "partials nested deeper than 100 levels")) {
            try template.render([:], partials: ["self": template])
        }
    }
}
