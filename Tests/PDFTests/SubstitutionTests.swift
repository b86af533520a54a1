import PDF
import Testing

@Suite struct SubstitutionTests {
    @Test func lettersWithALatinBaseAreTransliteratedAndReported() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        let result = page.drawText("Łódź, Dvořák, Gödőllő, Straße", x: 56, y: 100)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        #expect(try toolbox.text(path).contains("Lódz, Dvorák, Gödollo, Straße"))
        let originals = result.substitutions.map(\.original)
        #expect(originals == ["Ł", "ź", "ř", "ő"])
        #expect(result.substitutions.allSatisfy { $0.kind == .transliterated })
        #expect(result.substitutions.first == PDFSubstitution(original: "Ł", replacement: "L", kind: .transliterated))
    }

    @Test func charactersWithoutAFallbackBecomeQuestionMarksAndAreReported() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        let result = page.drawText("Иван 東京 👍🏽 ok", x: 56, y: 100)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        #expect(try toolbox.text(path).contains("???? ?? ? ok"))
        #expect(result.substitutions.count == 7)
        #expect(result.substitutions.allSatisfy { $0.kind == .replaced && $0.replacement == "?" })
        #expect(result.substitutions.contains { $0.original == "👍🏽" })
    }

    @Test func theDocumentCollectsSubstitutionsFromAllPagesOnce() {
        var document = PDFDocument()
        for text in ["Łukasz", "Łukasz Иван", "plain ASCII", "ß ä é € ’ “ ” – — •"] {
            var page = PDFPage()
            page.drawText(text, x: 10, y: 10)
            document.append(page)
        }
        #expect(document.substitutions.map(\.original) == ["Ł", "И", "в", "а", "н"])
        #expect(document.pages[2].substitutions.isEmpty)
        #expect(document.pages[3].substitutions.isEmpty)
    }

    @Test func decomposedAccentsAreComposedRatherThanSubstituted() {
        var page = PDFPage()
        let result = page.drawText("Cafe\u{0301} Mu\u{0308}ller", x: 10, y: 10)
        #expect(result.substitutions.isEmpty)
        #expect(result.width == PDFFont.helvetica.width(of: "Café Müller", size: 10))
    }

    @Test func typographicSpacesAndDashesFallBackToPlainOnes() {
        var page = PDFPage()
        let result = page.drawText("1\u{202F}000 \u{2212}5 a\u{2011}b", x: 10, y: 10)
        #expect(result.substitutions.map(\.replacement) == [" ", "-", "-"])
        #expect(result.width == PDFFont.helvetica.width(of: "1 000 -5 a-b", size: 10))
    }
}
