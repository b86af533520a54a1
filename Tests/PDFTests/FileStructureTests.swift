import PDF
import Testing

@Suite struct FileStructureTests {
    @Test func aSimplePagePassesQpdfCheck() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        page.drawText("Rechnung (Nr. 1) \\ Backslash", x: 56, y: 80, font: .helveticaBold, size: 18)
        page.drawLine(fromX: 56, y: 90, toX: 539, y: 90, width: 0.75, color: PDFColor(hex: 0x336699))
        page.fill(PDFRect(x: 56, y: 100, width: 200, height: 20), color: PDFColor(white: 0.9))
        page.stroke(PDFRect(x: 56, y: 130, width: 200, height: 20), width: 1.5, color: .black)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        let check = try toolbox.qpdfCheck(path)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(check.stdout.contains("No syntax or stream encoding errors found"))
        #expect(!check.stdout.localizedCaseInsensitiveContains("warning"))
    }

    @Test func aMultiPageDocumentHasOnePdfPagePerAppendedPage() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var document = PDFDocument()
        for number in 1...7 {
            var page = PDFPage(size: number == 7 ? .letter : .a4)
            page.drawText("Seite \(number) von 7", x: 297.64, y: 700, alignment: .center)
            document.append(page)
        }
        let path = try toolbox.save(document)

        let check = try toolbox.qpdfCheck(path)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(!check.stdout.localizedCaseInsensitiveContains("warning"))
        let info = try toolbox.info(path)
        #expect(info.contains("Pages:           7"))
        #expect(info.contains("595.28 x 841.89 pts (A4)"))
        #expect(try toolbox.text(path).contains("Seite 7 von 7"))
    }

    @Test func anEmptyDocumentIsStillAValidFileWithOnePage() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        let path = try toolbox.save(PDFDocument())
        #expect(try toolbox.qpdfCheck(path).status == 0)
        #expect(try toolbox.info(path).contains("Pages:           1"))
    }

    @Test func theSameInputAlwaysGivesTheSameBytes() {
        func make() -> [UInt8] {
            var page = PDFPage()
            page.drawText("Total 1’234.50 €", x: 539, y: 400, alignment: .right)
            var document = PDFDocument(info: PDFDocumentInfo(title: "Stable"))
            document.append(page)
            return document.render()
        }
        #expect(make() == make())
    }
}
