import Billing
import Documents
import Foundation
import Testing
import TestSupport

/// Without a complete debtor address the native PDF's slip prints the "Payable by (name/address)"
/// field as a blank box with corner marks, as the HTML does.
struct QRBillCornerMarkTests {
    /// Vertical dark runs (start and length in mm) in the column `x` mm between `from` and `to` mm.
    static func runs(_ raster: (width: Int, height: Int, pixels: [UInt8]), x: Double, from: Double, to: Double)
        -> [(start: Double, length: Double)] {
        let perMM = 300 / 25.4, column = Int(x * perMM)
        var found: [(Double, Double)] = []
        var start: Int?
        for row in Int(from * perMM)..<min(raster.height, Int(to * perMM)) {
            let dark = raster.pixels[row * raster.width + column] < 128
            if dark, start == nil { start = row }
            if !dark, let begin = start {
                found.append((Double(begin) / perMM, Double(row - begin) / perMM))
                start = nil
            }
        }
        return found
    }

    /// Mutation (mutants.tsv qr-pdf-no-corner-marks): `section(labels.payableByBlank, [])` instead of the corner marks in QRBillPDFPart → no strokes.
    @Test("The PDF's slip draws the blank debtor fields with corner marks: 52 × 20 mm and 65 × 25 mm")
    func cornerMarks() throws {
        let directory = try TemporaryDirectory("qrbill-corners")
        defer { directory.remove() }
        var document = try Fixtures.swissGross()
        document.customer.address.postcode = ""
        let path = directory.path("blank.pdf")
        try Fixtures.renderer.pdf(document).data.write(to: URL(fileURLWithPath: path))
        let printed = try ChromiumPrint(pdfAt: path)
        let headings = printed.words.filter { $0.page == printed.pages && $0.text == "Zahlbar" }
        // "Zahlbar durch (Name/Adresse)" starts at the receipt's and the payment part's left edges (5 and 118 mm);
        // the other "Zahlbar" is the account heading's second word.
        let receipt = try #require(headings.first { abs($0.x - 5) < 1 }), payment = try #require(headings.first { abs($0.x - 118) < 1 })
        let raster = try printed.raster(page: printed.pages, dpi: 300, in: directory)
        // The right-hand strokes: at 5 + 52 mm on the receipt, 118 + 65 mm on the payment part; each
        // field has a 3 mm stroke at its top and bottom corner, 20 or 25 mm apart.
        for (heading, right, height) in [(receipt, 57.0, 20.0), (payment, 183.0, 25.0)] {
            let strokes = QRBillCornerMarkTests.runs(raster, x: right - 0.1, from: heading.bottom, to: heading.bottom + height + 6)
            #expect(strokes.count == 2, "\(strokes)")
            if strokes.count == 2 {
                #expect(abs(strokes[0].length - 3) < 0.4 && abs(strokes[1].length - 3) < 0.4, "\(strokes)")
                let extent = strokes[1].start + strokes[1].length - strokes[0].start
                #expect(abs(extent - height) < 0.5, "field \(extent) mm high, expected \(height)")
            }
        }
    }
}
