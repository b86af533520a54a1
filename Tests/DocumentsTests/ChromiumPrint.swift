import Foundation
import Testing
import TestSupport

/// Headless Chromium printing an HTML document to PDF, and what the PDF tools read back.
struct ChromiumPrint {
    struct Word: Sendable {
        var page: Int
        /// Millimetres from the left and top edges of the paper.
        var x: Double, y: Double, right: Double, bottom: Double
        var text: String
    }

    let pdf: String
    let pages: Int
    let words: [Word]

    /// Writes `html` to `name.html` in `directory` and prints it as Chromium's print dialog would (A4, no
    /// browser header or footer).
    init(_ html: String, name: String, in directory: TemporaryDirectory) throws {
        let source = directory.path("\(name).html")
        pdf = directory.path("\(name).pdf")
        try html.write(toFile: source, atomically: true, encoding: .utf8)
        let run = try ProcessRunner.shell(
            "timeout 90 chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer "
                + "--user-data-dir='\(directory.path("profile-\(name)"))' --print-to-pdf='\(pdf)' 'file://\(source)' 2>&1",
            timeout: 100)
        #expect(run.status == 0, "chromium: \(run.stdout)")
        (pages, words) = try ChromiumPrint.read(pdf)
    }

    /// An existing PDF (the native writer's, say), read the same way.
    init(pdfAt path: String) throws {
        pdf = path
        (pages, words) = try ChromiumPrint.read(path)
    }

    /// The page count and every word's box, from pdfinfo and `pdftotext -bbox`.
    static func read(_ pdf: String) throws -> (Int, [Word]) {
        let pages = try PDFTools.pages(pdf)
        let boxes = try ProcessRunner.shell("pdftotext -bbox '\(pdf)' -").stdout
        var page = 0
        var found: [Word] = []
        let points = 25.4 / 72
        for line in boxes.split(separator: "\n") {
            if line.contains("<page ") { page += 1; continue }
            guard line.contains("<word "), let open = line.firstIndex(of: ">"),
                  let close = line.range(of: "</word>", options: .backwards) else { continue }
            func attribute(_ name: String) -> Double {
                guard let start = line.range(of: "\(name)=\"") else { return -1 }
                let rest = line[start.upperBound...]
                return Double(rest.prefix { $0 != "\"" }) ?? -1
            }
            let text = String(line[line.index(after: open)..<close.lowerBound])
                .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&quot;", with: "\"")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&apos;", with: "'")
            found.append(Word(page: page, x: attribute("xMin") * points, y: attribute("yMin") * points,
                              right: attribute("xMax") * points, bottom: attribute("yMax") * points, text: text))
        }
        return (pages, found)
    }

    /// The text of one page (1-based), words joined by spaces.
    func text(page: Int) -> String {
        words.filter { $0.page == page }.map(\.text).joined(separator: " ")
    }

    /// The first word `text` on `page` (any page when nil).
    func word(_ text: String, page: Int? = nil) -> Word? {
        words.first { $0.text == text && (page == nil || $0.page == page) }
    }

    /// One page rendered in grey at `dpi`: width, height and one byte a pixel (0 black).
    func raster(page: Int, dpi: Int, in directory: TemporaryDirectory) throws -> (width: Int, height: Int, pixels: [UInt8]) {
        let stem = directory.path("raster-\(page)-\(UUID().uuidString.prefix(6))")
        let run = try ProcessRunner.shell("pdftoppm -gray -r \(dpi) -f \(page) -l \(page) -singlefile '\(pdf)' '\(stem)'")
        #expect(run.status == 0)
        let data = [UInt8](try Data(contentsOf: URL(fileURLWithPath: stem + ".pgm")))
        // P5 header: magic, width, height, maximum, each ended by whitespace.
        var fields: [Int] = []
        var index = 2
        while fields.count < 3 {
            while data[index] == 0x20 || data[index] == 0x0A { index += 1 }
            var value = 0
            while data[index] >= 0x30 && data[index] <= 0x39 { value = value * 10 + Int(data[index] - 0x30); index += 1 }
            fields.append(value)
        }
        index += 1
        return (fields[0], fields[1], Array(data[index...]))
    }

    /// Decodes the QR code on `page` with zbarimg (300 dpi).
    func decodeQR(page: Int, in directory: TemporaryDirectory) throws -> String? {
        let stem = directory.path("qr-\(page)")
        _ = try ProcessRunner.shell("pdftoppm -r 300 -f \(page) -l \(page) -singlefile -png '\(pdf)' '\(stem)'")
        let scan = try ProcessRunner.shell("zbarimg --raw -q -Sbinary '\(stem).png'")
        return scan.status == 0 ? String(decoding: scan.stdoutData, as: UTF8.self) : nil
    }
}
