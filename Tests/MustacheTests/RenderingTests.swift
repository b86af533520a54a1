import Foundation
import Mustache
import Testing

struct RenderingTests {
    @Test("Double mustaches escape all five HTML-special characters")
    func escaping() throws {
        let html = try Template("{{x}}").render(["x": "<a href=\"x\">Tom & Jerry's</a>"])
        #expect(html == "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;")
    }

    @Test("Triple mustaches and ampersands insert text unescaped")
    func unescaped() throws {
        #expect(try Template("{{{x}}}|{{&x}}").render(["x": "<b>&</b>"]) == "<b>&</b>|<b>&</b>")
    }

    @Test("Numbers decoded from JSON render in their textual form")
    func numbersFromJSON() throws {
        let data = try JSONDecoder().decode(TemplateValue.self, from: Data(#"{"a": 1.21, "b": 85, "c": true}"#.utf8))
        #expect(try Template("{{a}} {{b}} {{c}}").render(data) == "1.21 85 true")
    }

    @Test("Dotted names and the implicit iterator look values up through the context stack")
    func lookup() throws {
        let data: TemplateValue = ["currency": "CHF", "lines": [["amount": 5], ["amount": 7]], "tags": ["a", "b"]]
        let template = try Template("{{#lines}}{{amount}} {{currency}};{{/lines}}{{#tags}}[{{.}}]{{/tags}}")
        #expect(try template.render(data) == "5 CHF;7 CHF;[a][b]")
    }

    @Test("Zero is truthy while the empty string is falsey")
    func truthiness() throws {
        let template = try Template("{{#n}}n={{n}}{{/n}}{{^s}}no note{{/s}}")
        #expect(try template.render(["n": 0, "s": ""]) == "n=0no note")
    }

    @Test("One parsed template renders different data many times")
    func reuse() throws {
        let template = try Template("Hello {{name}}!")
        #expect(try template.render(["name": "Ann"]) == "Hello Ann!")
        #expect(try template.render(["name": "Bob"]) == "Hello Bob!")
    }
}
