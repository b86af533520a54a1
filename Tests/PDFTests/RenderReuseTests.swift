import Foundation
@testable import PDF
import Testing

/// The speed paths of the PDF writer (issue 11): they must give the very lines and bytes of the
/// general paths they stand in for.
@Suite struct RenderReuseTests {
    static let texts = [
        "Zahlbar innert 30 Tagen ohne Abzug. Bitte verwenden Sie für die Zahlung den beigefügten Einzahlungsschein.",
        "Müller & Söhne AG\nBahnhofstrasse 12\n\n8001 Zürich\n",
        "Windows\r\nline\r\nends\rand a lone CR\u{0B}VT\u{0C}FF\u{85}NEL",
        "  leading, trailing  and\tmany \t spaces  ",
        "Donaudampfschifffahrtsgesellschaftskapitänswitwenrentenversicherungsanstalt",
        "Łódź Dvořák Kőszegi Ærøskøbing Șoseaua Ğebze ŒUVRE ǺǼǾ",
        "soft\u{AD}hyphen and control\u{01}glue \u{7F}del",
        "ɐɓɔɗɘəɛ IPA letters the font may lack ʃʒʔ",
        "1’234.50 – „Zitat“ € 99 ‰ «Guillemets» ‹x› • … ™",  // punctuation: one scalar a character
        "Cafe\u{0301} Mu\u{0308}ller",  // combining marks: the general path
        "東京 👩‍👩‍👧 🇨🇭 Line\u{2028}separator",  // the general path
        "", " ", "\n", "\n\n", "x",
        "Tenge ₸ 1’000 ⁂ ⁑ and ₸₸₸: glyphs Liberation Sans lacks, on the Latin path",  // drawn as the substitute
    ]

    // Mutation (mutants.tsv latin-crlf-two-breaks): lines(wrappingLatin:) treats CR LF as two line breaks (drops `index = next`) →
    // "Windows\r\nline" gains empty lines and this test fails. Mutation (mutants.tsv latin-admits-combining): isOneScalarPerCharacter
    // also admits U+0300–036F (combining marks) → "Cafe\u{0301}" is wrapped as two characters → fails. Mutation (mutants.tsv latin-missing-zero): the Latin path counts a
    // missing glyph as 0 units instead of the substitute's → the tenge line (₸, ⁂, ⁑: missing glyphs) breaks elsewhere → fails.
    @Test func theLatinPathWrapsExactlyLikeTheGeneralOne() throws {
        #expect(PDFFont.isOneScalarPerCharacter(Self.texts[8]))
        #expect(!PDFFont.isOneScalarPerCharacter(Self.texts[9]))
        #expect(!PDFFont.isOneScalarPerCharacter(Self.texts[10]))
        for font in [ShippedFonts.regular, ShippedFonts.bold, ShippedFonts.italic] {
            let trueType = try ShippedFonts.trueType(font)
            for text in Self.texts {
                for width in [0.0, 8, 20, 45, 80, 150, 300, 600] {
                    for size in [7.0, 9.5, 16] {
                        let limit = width * Double(trueType.unitsPerEm) / size + 1e-9
                        let general = font.lines(wrappingCharacters: text, limit: limit)
                        #expect(font.lines(wrapping: text, size: size, width: width) == (text.isEmpty ? [] : general),
                                "\(font.name) \(size) pt, \(width) wide: \(text.debugDescription)")
                        if PDFFont.isOneScalarPerCharacter(text) {
                            #expect(trueType.lines(wrappingLatin: text, limit: limit) == general,
                                    "\(font.name) \(size) pt, \(width) wide: \(text.debugDescription)")
                        }
                    }
                }
            }
        }
    }

    static func render(_ text: String, font: PDFFont) -> [UInt8] {
        var page = PDFPage()
        page.drawText(text, x: 56, y: 100, font: font, size: 12)
        var document = PDFDocument(info: PDFDocumentInfo(producer: nil))
        document.append(page)
        return document.render()
    }

    // Mutation (mutants.tsv subset-cache-first): SubsetCache.subset looks up `state.order.first` instead of `drawn` → a document
    // gets another document's subset and widths → its bytes differ from a fresh font's → fails.
    // Mutation (mutants.tsv subset-eviction-order-kept): eviction drops the entries but not their order (or the reverse) → after 150
    // glyph sets the cache holds more than its capacity (the bytes stay right) → the bound check fails.
    @Test func cachedSubsetsGiveTheBytesOfFreshOnes() throws {
        let url = URL(fileURLWithPath: ShippedFonts.directory.appendingPathComponent("LiberationSans-Regular.ttf").path)
        let shared = try PDFFont(contentsOf: url)
        let first = Self.render("Müller & Söhne AG", font: shared)
        let other = Self.render("Łódź Dvořák", font: shared)
        #expect(first != other)
        #expect(Self.render("Müller & Söhne AG", font: shared) == first, "the cached subset writes the same bytes")
        #expect(Self.render("Łódź Dvořák", font: try PDFFont(contentsOf: url)) == other, "as a font that made it afresh")
        // More glyph sets than the cache holds: evicted ones are made again, identically.
        let letters = (0x41...0x5A).map { String(UnicodeScalar(UInt8($0))) }
        var texts: [String] = []
        for a in letters {
            for b in letters.prefix(6) where texts.count < SubsetCache.capacity * 2 + 20 { texts.append(a + b + "x") }
        }
        let made = texts.map { Self.render($0, font: shared) }
        let fresh = try PDFFont(contentsOf: url)
        for (text, bytes) in zip(texts, made) {
            // Compared first, so that a failure names the text instead of printing two whole files.
            let sameAsFresh = Self.render(text, font: fresh) == bytes
            let sameAgain = Self.render(text, font: shared) == bytes
            #expect(sameAsFresh, "\(text)")
            #expect(sameAgain, "\(text) again, after evictions")
        }
        #expect(Self.render("Müller & Söhne AG", font: shared) == first, "evicted and made again")
        // The bound holds: never more glyph sets than the capacity, each once in the eviction order.
        let held = try ShippedFonts.trueType(shared).subsets.held
        #expect(held.entries <= SubsetCache.capacity && held.order == held.entries, "\(held)")
    }
}
