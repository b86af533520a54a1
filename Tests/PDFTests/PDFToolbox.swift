import Foundation
import PDF
import TestSupport

/// Writes generated PDFs and images to a temporary folder and runs the real tools on them.
struct PDFToolbox {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory("pdf-test")
    }

    func remove() {
        directory.remove()
    }

    /// Saves `document` and returns its path.
    @discardableResult
    func save(_ document: PDFDocument, as name: String = "out.pdf") throws -> String {
        let path = directory.path(name)
        try document.data().write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Runs a shell command and returns its result.
    func shell(_ command: String) throws -> ProcessResult {
        try ProcessRunner.shell(command)
    }

    /// `qpdf --check` output, with the exit status.
    func qpdfCheck(_ path: String) throws -> ProcessResult {
        try shell("qpdf --check '\(path)' 2>&1")
    }

    func text(_ path: String, layout: Bool = true) throws -> String {
        try shell("pdftotext \(layout ? "-layout " : "")-enc UTF-8 '\(path)' -").stdout
    }

    func info(_ path: String) throws -> String {
        try shell("pdfinfo -enc UTF-8 '\(path)'").stdout
    }

    /// Runs a Python script in the temporary folder (to write test images).
    @discardableResult
    func python(_ script: String) throws -> ProcessResult {
        let path = directory.path("script.py")
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        return try shell("cd '\(directory.url.path)' && python3 script.py 2>&1")
    }

    func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory.path(name))))
    }

    /// Renders page 1 at 72 dpi and returns the RGB value of the pixel at (`x`, `y`) points from the top-left.
    func pixel(_ path: String, x: Int, y: Int) throws -> (red: Int, green: Int, blue: Int)? {
        let output = directory.path("render")
        _ = try shell("pdftoppm -r 72 -f 1 -l 1 -singlefile '\(path)' '\(output)'")
        let ppm = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output + ".ppm")))
        // Header: "P6\n<width> <height>\n255\n"
        var fields: [Int] = []
        var index = 2
        while fields.count < 3 {
            while index < ppm.count, ppm[index] == 0x20 || ppm[index] == 0x0A { index += 1 }
            var value = 0
            while index < ppm.count, (0x30...0x39).contains(ppm[index]) {
                value = value * 10 + Int(ppm[index] - 0x30)
                index += 1
            }
            fields.append(value)
        }
        index += 1
        let width = fields[0]
        let offset = index + (y * width + x) * 3
        guard offset + 2 < ppm.count else { return nil }
        return (Int(ppm[offset]), Int(ppm[offset + 1]), Int(ppm[offset + 2]))
    }

    /// Page 1 rendered at 72 dpi (one pixel per point), to sample many pixels from one render.
    func raster(_ path: String) throws -> Raster {
        let output = directory.path("raster")
        _ = try shell("pdftoppm -r 72 -f 1 -l 1 -singlefile '\(path)' '\(output)'")
        let ppm = [UInt8](try Data(contentsOf: URL(fileURLWithPath: output + ".ppm")))
        var fields: [Int] = []
        var index = 2
        while fields.count < 3 {
            while index < ppm.count, ppm[index] == 0x20 || ppm[index] == 0x0A { index += 1 }
            var value = 0
            while index < ppm.count, (0x30...0x39).contains(ppm[index]) {
                value = value * 10 + Int(ppm[index] - 0x30)
                index += 1
            }
            fields.append(value)
        }
        return Raster(width: fields[0], height: fields[1], pixels: Array(ppm[(index + 1)...]))
    }
}

/// An RGB raster of a rendered page.
struct Raster {
    let width: Int
    let height: Int
    let pixels: [UInt8]

    /// The red channel at (`x`, `y`) from the top-left; 255 (white) outside the page.
    func red(x: Int, y: Int) -> Int {
        let offset = (y * width + x) * 3
        guard x >= 0, y >= 0, x < width, y < height, offset < pixels.count else { return 255 }
        return Int(pixels[offset])
    }
}
