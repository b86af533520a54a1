import Foundation
import PDF
import QRCode
import TestSupport

/// Draws QR codes into a PDF with the PDF module, renders it with `pdftoppm` and reads it back
/// with the real `zbarimg` (Debian zbar-tools).
struct QRDecoder {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory("qr-test")
    }

    func remove() {
        directory.remove()
    }

    /// The payload bytes `zbarimg` reads from `code`, or `nil` when it finds no symbol.
    func decode(_ code: QRCode, moduleSize: Double = 3, name: String = "code") throws -> [UInt8]? {
        let quiet = 4.0
        let side = (Double(code.size) + 2 * quiet) * moduleSize
        var page = PDFPage(size: PDFPageSize(width: side, height: side))
        page.fill(code.darkRuns.map {
            PDFRect(x: (Double($0.x) + quiet) * moduleSize, y: (Double($0.y) + quiet) * moduleSize,
                    width: Double($0.length) * moduleSize, height: moduleSize)
        }, color: .black)
        var document = PDFDocument()
        document.append(page)
        let pdf = directory.path(name + ".pdf")
        try document.data().write(to: URL(fileURLWithPath: pdf))
        return try decode(pdf: pdf, dpi: 150, name: name)
    }

    /// Renders page `page` of the PDF at `dpi` and returns the first symbol's bytes.
    func decode(pdf: String, page: Int = 1, dpi: Int, name: String = "page") throws -> [UInt8]? {
        let png = directory.path(name)
        let render = try ProcessRunner.shell(
            "pdftoppm -r \(dpi) -f \(page) -l \(page) -singlefile -png '\(pdf)' '\(png)' 2>&1")
        guard render.status == 0 else { return nil }
        let result = try ProcessRunner.shell("zbarimg --raw -q -Sbinary '\(png).png'")
        guard result.status == 0 else { return nil }
        return [UInt8](result.stdoutData)
    }
}
