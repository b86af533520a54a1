import Documents
import Foundation
import Testing
import TestSupport

struct EscapingTests {
    @Test("Customer data comes out escaped in HTML")
    func html() throws {
        let html = try Fixtures.renderer.html(try Fixtures.hostile())
        #expect(!html.contains("<script>alert"))
        #expect(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Müller &amp; Söhne &#39;AG&#39;")
                || html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Müller &amp; Söhne &#x27;AG&#x27;"))
        #expect(html.contains("Beratung &lt;b&gt;&amp; &quot;Planung&quot;&lt;/b&gt; für Jürgen"))
    }

    @Test("Customer data comes out intact in the text document")
    func text() throws {
        let text = try Fixtures.renderer.text(try Fixtures.hostile())
        #expect(text.contains("<script>alert(\"x\")</script> Müller & Söhne 'AG'"))
        #expect(text.contains("Beratung <b>& \"Planung\"</b> für Jürgen"))
    }

    @Test("Customer data comes out intact in the PDF's text")
    func pdf() throws {
        let directory = try TemporaryDirectory("escape-pdf")
        defer { directory.remove() }
        let rendered = try Fixtures.renderer.pdf(try Fixtures.hostile())
        #expect(rendered.substitutions.isEmpty)
        let (text, _) = try PDFTools.check(rendered.data, in: directory, name: "hostile.pdf")
        // The long name wraps in the envelope window and the description in its column (as wide as
        // its header and cells); each piece is intact.
        #expect(text.contains("<script>alert(\"x\")</script> Müller & Söhne"))
        #expect(text.contains("'AG'"))
        #expect(text.contains("Beratung <b>& \"Planung\"</b> für"))
        #expect(text.contains("Jürgen"))
    }
}
