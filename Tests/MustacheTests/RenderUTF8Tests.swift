import Foundation
import Mustache
import Testing

/// `TemplateLibrary.renderUTF8`: the bytes `render` would give as a String, for documents written
/// straight to files (issue 11's print speed).
@Suite struct RenderUTF8Tests {
    // Mutation (mutants.tsv mustache-utf8-last-node): renderUTF8 returns the buffer before the last text node is written (or, mutants.tsv mustache-no-utf8-repair, drops the
    // repair of invalid file bytes in TemplateLibrary.load) → the bytes differ from render's → fails.
    @Test func theBytesAreThoseOfTheRenderedString() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("render-utf8-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("partials"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("<p>{{name}} – {{{raw}}}</p>{{#lines}}\n  <li>{{.}}</li>{{/lines}}\n{{> partials/footer}}ende".utf8)
            .write(to: directory.appendingPathComponent("page.html"))
        // A partial whose file is not valid UTF-8 (a Latin-1 é, a cut-off sequence): repaired once at load.
        try Data([0x3C, 0x66, 0x3E, 0xE9, 0x20, 0x7B, 0x7B, 0x6E, 0x61, 0x6D, 0x65, 0x7D, 0x7D, 0x20, 0xE2, 0x82, 0x0A])
            .write(to: directory.appendingPathComponent("partials/footer.html"))
        let library = TemplateLibrary(directories: [directory])
        let data: TemplateValue = ["name": "Zoë <Łódź> & \"Söhne\"", "raw": "<b>東京</b>",
                                   "lines": ["1’234.50", "👩‍👩‍👧", ""]]
        let text = try library.render("page.html", data)
        let bytes = try library.renderUTF8("page.html", data)
        #expect(bytes == Array(text.utf8))
        #expect(String(validating: bytes, as: UTF8.self) != nil, "valid UTF-8")
        #expect(text.hasSuffix("\u{FFFD} Zoë &lt;Łódź&gt; &amp; &quot;Söhne&quot; \u{FFFD}\nende"), "\(text)")
    }
}
