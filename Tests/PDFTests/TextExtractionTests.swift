import Foundation
import PDF
import Testing

@Suite struct TextExtractionTests {
    @Test func westernEuropeanCharactersSurviveExtraction() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        let samples = [
            "Müller Größe Äpfel Öl Übermaß",
            "Café crème à la façon œuvre Ÿ",
            "Preis: 1.234,50 € – fällig — sofort",
            "Zitat: „Hallo“ “quoted” ‘single’ it’s",
            "• Punkt … 50 % ‰ ™ © ® ° ± × ÷ ¼",
            "Klammern (rund) und \\ Backslash",
        ]
        var page = PDFPage()
        for (index, sample) in samples.enumerated() {
            let result = page.drawText(sample, x: 56, y: 100 + Double(index) * 20)
            #expect(result.substitutions.isEmpty, "\(sample)")
        }
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        let lines = try toolbox.text(path).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        for sample in samples {
            #expect(lines.contains(sample), "missing: \(sample) in \(lines)")
        }
    }

    @Test func textComesOutInReadingOrder() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        // Drawn bottom-up and right-to-left on purpose.
        page.drawText("Third line", x: 56, y: 300)
        page.drawText("right", x: 400, y: 200)
        page.drawText("Second line left", x: 56, y: 200)
        page.drawText("First line", x: 56, y: 100)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        let words = try toolbox.text(path).split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words == "First line Second line left right Third line")
    }

    @Test func rightAlignedAmountsEndAtTheSameX() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        let amounts = ["1.50", "1’234.50", "99’999.95", "7.00€", "WWW.00"]
        var page = PDFPage()
        for (index, amount) in amounts.enumerated() {
            page.drawText(amount, x: 500, y: 100 + Double(index) * 15,
                          font: index.isMultiple(of: 2) ? .helvetica : .helveticaBold, size: 10, alignment: .right)
        }
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        let html = try toolbox.shell("pdftotext -bbox '\(path)' -").stdout
        // Each amount is one word: <word xMin="…" yMin="…" xMax="…" yMax="…">text</word>
        let xMaxes = html.split(separator: "\n").compactMap { line -> Double? in
            guard let range = line.range(of: "xMax=\"") else { return nil }
            return Double(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(xMaxes.count == amounts.count)
        for xMax in xMaxes {
            #expect(abs(xMax - 500) < 0.01, "word ends at \(xMax)")
        }
    }

    @Test func centredTextIsCentredOnX() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        page.drawText("Centred heading", x: 297.64, y: 100, font: .helveticaBold, size: 14, alignment: .center)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        let html = try toolbox.shell("pdftotext -bbox '\(path)' -").stdout
        let numbers = html.split(separator: "\n").filter { $0.contains("<word") }.map { line in
            ["xMin=\"", "xMax=\""].compactMap { key -> Double? in
                guard let range = line.range(of: key) else { return nil }
                return Double(line[range.upperBound...].prefix { $0 != "\"" })
            }
        }
        let xMin = try #require(numbers.first?.first)
        let xMax = try #require(numbers.last?.last)
        #expect(abs((xMin + xMax) / 2 - 297.64) < 0.01)
    }
}
