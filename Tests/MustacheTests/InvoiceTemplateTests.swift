import Foundation
import Mustache
import Testing
import TestSupport

struct InvoiceTemplateTests {
    private let library = TemplateLibrary(directories: [Paths.packageRoot.appendingPathComponent("Tests/MustacheTests/Fixtures/templates")])

    @Test("The peer invoice template renders escaped customer data and every line")
    func peerInvoice() throws {
        let html = try library.render("invoice.mustache.html", InvoiceFixture.invoice(number: 42))
        #expect(html.contains("<div class=\"addr\">Müller &amp; Söhne AG 42<br>Frau Anna Müller"))
        #expect(html.contains("<title>Rechnung INV-2026-42</title>"))
        #expect(html.contains("<td>8</td><td><strong>Module CRM 7</strong>"))
        #expect(html.contains("MWST 8.1% auf 29,628.00</td><td class=\"num\">2,399.87"))
        #expect(html.components(separatedBy: "<tr><td>").count - 1 == 8 + 3)
        #expect(!html.contains("{{"))
    }

    @Test("Rendering from several threads at once gives identical output")
    func concurrentRendering() async throws {
        let expected = try library.render("invoice.mustache.html", InvoiceFixture.invoice())
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask { try self.library.render("invoice.mustache.html", InvoiceFixture.invoice()) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == expected })
    }
}
