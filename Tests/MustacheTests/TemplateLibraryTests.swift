import Foundation
import Mustache
import Testing
import TestSupport

struct TemplateLibraryTests {
    private func write(_ text: String, to name: String, in directory: TemporaryDirectory) throws {
        try Data(text.utf8).write(to: directory.url.appendingPathComponent(name))
    }

    @Test("An override directory replaces shipped files one by one")
    func overrideDirectory() throws {
        let shipped = try TemporaryDirectory("mustache-default")
        let custom = try TemporaryDirectory("mustache-override")
        defer { shipped.remove(); custom.remove() }
        try write("{{>footer}}", to: "invoice.html", in: shipped)
        try write("shipped footer {{name}}", to: "footer.html", in: shipped)
        try write("own footer {{name}}", to: "footer.html", in: custom)
        let library = TemplateLibrary(defaultDirectory: shipped.url, overrideDirectory: custom.url)
        #expect(try library.render("invoice.html", ["name": "A&B"]) == "own footer A&amp;B")
    }

    @Test("A partial missing from the library is an error naming the including file and position")
    func missingPartial() throws {
        let directory = try TemporaryDirectory("mustache-missing")
        defer { directory.remove() }
        try write("<p>\n{{> footer}}\n", to: "invoice.html", in: directory)
        let library = TemplateLibrary(directories: [directory.url])
        #expect(throws: MustacheError(file: "invoice.html", line: 2, column: 1, message: #"partial "footer" not found"#)) {
            try library.render("invoice.html", [:])
        }
    }

    @Test("A template missing from every directory is an error")
    func missingTemplate() throws {
        let directory = try TemporaryDirectory("mustache-empty")
        defer { directory.remove() }
        let library = TemplateLibrary(directories: [directory.url])
        #expect(throws: MustacheError.self) { try library.template(named: "invoice.txt") }
    }

    @Test("Each file is parsed once and then served from the cache")
    func caching() throws {
        let directory = try TemporaryDirectory("mustache-cache")
        defer { directory.remove() }
        try write("first", to: "a.txt", in: directory)
        let library = TemplateLibrary(directories: [directory.url])
        #expect(try library.render("a.txt", [:]) == "first")
        try write("second", to: "a.txt", in: directory)
        #expect(try library.render("a.txt", [:]) == "first")
    }

    @Test("A syntax error in a loaded file names that file")
    func syntaxErrorInFile() throws {
        let directory = try TemporaryDirectory("mustache-syntax")
        defer { directory.remove() }
        try write("ok\n{{#lines}}", to: "invoice.txt", in: directory)
        let library = TemplateLibrary(directories: [directory.url])
        #expect(throws: MustacheError(file: "invoice.txt", line: 2, column: 1, message: #"unclosed section "lines""#)) {
            try library.template(named: "invoice.txt")
        }
    }
}
