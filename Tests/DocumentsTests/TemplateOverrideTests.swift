import Billing
import Documents
import Foundation
import Testing
import TestSupport

struct TemplateOverrideTests {
    @Test("An operator's directory overrides single templates and labels, the rest stays shipped")
    func override() throws {
        let directory = try TemporaryDirectory("override")
        defer { directory.remove() }
        try FileManager.default.createDirectory(at: directory.url.appendingPathComponent("labels"),
                                                withIntermediateDirectories: true)
        try #"{"invoice": "Faktura"}"#.write(to: directory.url.appendingPathComponent("labels/de.json"),
                                             atomically: true, encoding: .utf8)
        let renderer = try DocumentRenderer(overrideDirectory: directory.url,
                                            shippedDirectory: Paths.packageRoot.appendingPathComponent("Templates"))
        let text = try renderer.text(try Fixtures.germanNet())
        #expect(text.contains("Faktura CW-2026-00002"))
        #expect(text.contains("Rechnungsdatum: 11.10.2026"))
    }

    @Test("The shipped templates are found from the checkout")
    func locator() throws {
        let found = TemplateLocator.shippedDirectory(executable: URL(fileURLWithPath: "/nonexistent/bin/invoice"),
                                                     currentDirectory: Paths.packageRoot.appendingPathComponent("Sources"))
        #expect(found?.standardizedFileURL.path == Paths.packageRoot.appendingPathComponent("Templates").standardizedFileURL.path)
    }
}
