import Foundation
import PDF
import Testing

@Suite struct ImageTests {
    /// A Python function `png(name, width, height, color_type, rows, palette=b"", trns=None, interlace=0)`
    /// that writes an 8-bit PNG with zlib, each row filtered with filter type `row % 5`.
    static let pngWriter = """
        import struct, zlib
        def chunk(kind, data):
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        def filtered(rows, bpp):
            out, previous = b"", bytes(len(rows[0]))
            for number, row in enumerate(rows):
                kind = number % 5
                line = bytearray()
                for i, x in enumerate(row):
                    a = row[i - bpp] if i >= bpp else 0
                    b = previous[i]
                    c = previous[i - bpp] if i >= bpp else 0
                    if kind == 0: p = 0
                    elif kind == 1: p = a
                    elif kind == 2: p = b
                    elif kind == 3: p = (a + b) // 2
                    else:
                        e = a + b - c
                        p = a if abs(e - a) <= abs(e - b) and abs(e - a) <= abs(e - c) else (b if abs(e - b) <= abs(e - c) else c)
                    line.append((x - p) % 256)
                out += bytes([kind]) + bytes(line)
                previous = row
            return out
        def png(name, width, height, color_type, rows, palette=b"", trns=None, interlace=0):
            bpp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color_type]
            data = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, color_type, 0, 0, interlace))
            if palette: data += chunk(b"PLTE", palette)
            if trns is not None: data += chunk(b"tRNS", trns)
            data += chunk(b"IDAT", zlib.compress(filtered(rows, bpp), 9)) + chunk(b"IEND", b"")
            open(name, "wb").write(data)

        """

    /// Places `image` at (100, 100) 50 × 50 pt on a white A4 page, checks the file with qpdf,
    /// and returns the rendered colour at the image's centre.
    func renderedCentre(of image: PDFImage, toolbox: PDFToolbox) throws -> (red: Int, green: Int, blue: Int) {
        var page = PDFPage()
        page.draw(image, in: PDFRect(x: 100, y: 100, width: 50, height: 50))
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document, as: "image.pdf")
        let check = try toolbox.qpdfCheck(path)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(!check.stdout.localizedCaseInsensitiveContains("warning"), "\(check.stdout)")
        return try #require(try toolbox.pixel(path, x: 125, y: 125))
    }

    @Test func aJpegIsEmbeddedAndRendered() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var source = PDFPage(size: PDFPageSize(width: 40, height: 30))
        source.fill(PDFRect(x: 0, y: 0, width: 40, height: 30), color: PDFColor(red: 0, green: 0, blue: 1))
        var sourceDocument = PDFDocument()
        sourceDocument.append(source)
        let sourcePath = try toolbox.save(sourceDocument, as: "source.pdf")
        _ = try toolbox.shell("pdftoppm -jpeg -r 72 -singlefile '\(sourcePath)' '\(toolbox.directory.path("photo"))'")

        let image = try PDFImage(data: try toolbox.bytes("photo.jpg"))
        #expect(image.width == 40 && image.height == 30)
        let colour = try renderedCentre(of: image, toolbox: toolbox)
        #expect(colour.red < 20 && colour.green < 20 && colour.blue > 235)
    }

    @Test func anRgbPngIsEmbeddedWithoutDecoding() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("rgb.png", 6, 5, 2, [bytes([200, 30, 40] * 6) for _ in range(5)])
            """)
        let image = try PDFImage(png: try toolbox.bytes("rgb.png"))
        #expect(image.width == 6 && image.height == 5)
        let colour = try renderedCentre(of: image, toolbox: toolbox)
        #expect(abs(colour.red - 200) <= 2 && abs(colour.green - 30) <= 2 && abs(colour.blue - 40) <= 2)
    }

    @Test func aGreyPngIsEmbedded() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("grey.png", 3, 3, 0, [bytes([100] * 3) for _ in range(3)])
            """)
        let colour = try renderedCentre(of: try PDFImage(png: try toolbox.bytes("grey.png")), toolbox: toolbox)
        #expect(abs(colour.red - 100) <= 2 && colour.red == colour.blue)
    }

    @Test func aPalettePngUsesAnIndexedColourSpace() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("palette.png", 4, 4, 3, [bytes([1] * 4) for _ in range(4)], palette=bytes([0, 0, 0, 10, 160, 60]))
            """)
        let image = try PDFImage(png: try toolbox.bytes("palette.png"))
        let colour = try renderedCentre(of: image, toolbox: toolbox)
        #expect(abs(colour.red - 10) <= 2 && abs(colour.green - 160) <= 2 && abs(colour.blue - 60) <= 2)
        #expect(String(decoding: PDFDocumentWith(image).render(), as: UTF8.self).contains("/Indexed /DeviceRGB 1"))
    }

    @Test func anAlphaChannelBecomesASoftMask() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("alpha.png", 8, 8, 6, [bytes([255, 0, 0, 128] * 8) for _ in range(8)])
            """)
        let image = try PDFImage(png: try toolbox.bytes("alpha.png"))
        let colour = try renderedCentre(of: image, toolbox: toolbox)
        // Half-transparent red over white.
        #expect(colour.red > 245 && abs(colour.green - 127) <= 4 && abs(colour.blue - 127) <= 4)
        #expect(String(decoding: PDFDocumentWith(image).render(), as: UTF8.self).contains("/SMask"))
    }

    @Test func aFullyTransparentPaletteEntryIsMaskedOut() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("trns.png", 4, 4, 3, [bytes([0] * 4) for _ in range(4)], palette=bytes([0, 0, 0, 255, 0, 0]), trns=bytes([0]))
            """)
        let colour = try renderedCentre(of: try PDFImage(png: try toolbox.bytes("trns.png")), toolbox: toolbox)
        #expect(colour.red > 250 && colour.green > 250 && colour.blue > 250)
    }

    @Test func aPartlyTransparentPaletteIsDecodedWithAMask() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("partial.png", 4, 4, 3, [bytes([0] * 4) for _ in range(4)], palette=bytes([0, 0, 255]), trns=bytes([128]))
            """)
        let colour = try renderedCentre(of: try PDFImage(png: try toolbox.bytes("partial.png")), toolbox: toolbox)
        #expect(abs(colour.red - 127) <= 4 && abs(colour.green - 127) <= 4 && colour.blue > 245)
    }

    @Test func theSameImageOnManyPagesIsStoredOnce() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("logo.png", 2, 2, 2, [bytes([1, 2, 3] * 2) for _ in range(2)])
            """)
        let image = try PDFImage(png: try toolbox.bytes("logo.png"))
        var document = PDFDocument()
        for _ in 0..<3 {
            var page = PDFPage()
            page.draw(image, in: PDFRect(x: 10, y: 10, width: 20, height: 20))
            page.draw(image, in: PDFRect(x: 40, y: 10, width: 20, height: 20))
            document.append(page)
        }
        let raw = String(decoding: document.render(), as: UTF8.self)
        #expect(raw.components(separatedBy: "/Subtype /Image").count == 2)
        #expect(try toolbox.qpdfCheck(try toolbox.save(document)).status == 0)
    }

    @Test func anInterlacedPngIsRefusedWithAClearMessage() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("interlaced.png", 2, 2, 2, [bytes([1, 2, 3] * 2) for _ in range(2)], interlace=1)
            """)
        #expect(throws: PDFError.unsupportedPNG("interlaced (Adam7) PNGs are not supported")) {
            try PDFImage(png: try toolbox.bytes("interlaced.png"))
        }
    }

    @Test func damagedImageDataIsAnErrorNotACrash() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        try toolbox.python(Self.pngWriter + """
            png("alpha.png", 8, 8, 6, [bytes([255, 0, 0, 128] * 8) for _ in range(8)])
            """)
        let png = try toolbox.bytes("alpha.png")
        #expect(throws: PDFError.unrecognizedImageFormat) { try PDFImage(data: Array("GIF89a".utf8)) }
        #expect(throws: PDFError.self) { try PDFImage(data: Array(png.prefix(40))) }
        var corrupted = png
        corrupted[60] ^= 0xFF
        #expect(throws: PDFError.self) { try PDFImage(data: corrupted) }
        #expect(throws: PDFError.self) { try PDFImage(data: [0xFF, 0xD8, 0xFF, 0xC0, 0x00]) }
        #expect(throws: PDFError.self) { try PDFImage(data: [0xFF, 0xD8, 0xFF, 0xD9]) }
        for length in stride(from: 0, to: png.count, by: 7) {
            _ = try? PDFImage(data: Array(png.prefix(length)))
        }
        #expect("\(PDFError.unsupportedPNG("x"))".contains("Save it as an 8-bit RGB PNG or as a JPEG"))
    }
}

/// A one-page document showing `image`, for looking at the raw file.
private func PDFDocumentWith(_ image: PDFImage) -> PDFDocument {
    var page = PDFPage()
    page.draw(image, in: PDFRect(x: 0, y: 0, width: 10, height: 10))
    var document = PDFDocument()
    document.append(page)
    return document
}
