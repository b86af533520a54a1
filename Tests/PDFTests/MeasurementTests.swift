import PDF
import Testing

@Suite struct MeasurementTests {
    @Test func widthsFollowTheAdobeMetrics() {
        // Helvetica.afm: H 722, e 556, l 222, o 556; Helvetica-Bold.afm: H 722, e 556, l 278, o 611.
        #expect(abs(PDFFont.helvetica.width(of: "Hello", size: 10) - 22.78) < 1e-9)
        #expect(abs(PDFFont.helveticaBold.width(of: "Hello", size: 10) - 24.45) < 1e-9)
        #expect(PDFFont.helveticaOblique.width(of: "Hello", size: 10) == PDFFont.helvetica.width(of: "Hello", size: 10))
        // € 556, ä 556, ’ 222 in Helvetica.
        #expect(abs(PDFFont.helvetica.width(of: "€ä’", size: 1) - 1.334) < 1e-9)
    }

    @Test func substitutedCharactersAreMeasuredAsDrawn() {
        #expect(PDFFont.helvetica.width(of: "Łódź", size: 12) == PDFFont.helvetica.width(of: "Lódz", size: 12))
    }
}

@Suite struct WrappingTests {
    let text = "Zahlbar innert 30 Tagen ohne Abzug. Bitte verwenden Sie für die Zahlung den beigefügten Einzahlungsschein."

    @Test func everyWrappedLineFitsTheWidth() {
        for width in [60.0, 100, 150, 250, 400] {
            let lines = PDFFont.helvetica.lines(wrapping: text, size: 10, width: width)
            #expect(lines.count > 1 || width == 400)
            for line in lines {
                #expect(PDFFont.helvetica.width(of: line, size: 10) <= width, "\(line) at \(width)")
            }
            if width >= 100 { #expect(lines.joined(separator: " ") == text) }
        }
    }

    @Test func linesAreFilledGreedily() {
        let lines = PDFFont.helvetica.lines(wrapping: text, size: 10, width: 150)
        for (line, next) in zip(lines, lines.dropFirst()) {
            let firstWord = next.split(separator: " ").first.map(String.init) ?? ""
            #expect(PDFFont.helvetica.width(of: line + " " + firstWord, size: 10) > 150)
        }
    }

    @Test func aWordWiderThanTheLineIsBroken() {
        let word = "Donaudampfschifffahrtsgesellschaftskapitän"
        let lines = PDFFont.helveticaBold.lines(wrapping: "Der \(word) kommt", size: 12, width: 80)
        #expect(lines.count >= 4)
        for line in lines {
            #expect(PDFFont.helveticaBold.width(of: line, size: 12) <= 80)
        }
        #expect(lines.joined().replacingOccurrences(of: " ", with: "") == "Der\(word)kommt")
    }

    @Test func lineBreaksInTheTextAreKept() {
        let lines = PDFFont.helvetica.lines(wrapping: "Muster AG\nBahnhofstrasse 1\n\n8001 Zürich", size: 10, width: 300)
        #expect(lines == ["Muster AG", "Bahnhofstrasse 1", "", "8001 Zürich"])
    }

    @Test func theParagraphHeightIsLinesTimesLeading() {
        let lines = PDFFont.helvetica.lines(wrapping: text, size: 10, width: 150)
        #expect(PDFFont.helvetica.height(wrapping: text, size: 10, width: 150) == Double(lines.count) * 12)
        #expect(PDFFont.helvetica.height(wrapping: text, size: 10, width: 150, leading: 14) == Double(lines.count) * 14)
        #expect(PDFFont.helvetica.height(wrapping: "", size: 10, width: 150) == 0)
    }

    @Test func aDrawnParagraphStaysInsideItsBox() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        let result = page.drawParagraph(text, x: 100, top: 100, width: 150, size: 10)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        #expect(result.width <= 150)
        #expect(result.height == PDFFont.helvetica.height(wrapping: text, size: 10, width: 150))
        let html = try toolbox.shell("pdftotext -bbox '\(path)' -").stdout
        for line in html.split(separator: "\n") where line.contains("<word") {
            let values = ["xMin=\"", "xMax=\"", "yMin=\"", "yMax=\""].compactMap { key -> Double? in
                guard let range = line.range(of: key) else { return nil }
                return Double(line[range.upperBound...].prefix { $0 != "\"" })
            }
            #expect(values[0] >= 100 - 0.01 && values[1] <= 250 + 0.01, "\(line)")
            #expect(values[2] >= 100 - 3 && values[3] <= 100 + result.height + 0.01, "\(line)")
        }
        let extracted = try toolbox.text(path, layout: false).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(extracted == text)
    }
}
