extension PDFDocument {
    /// The complete file: header, objects, cross-reference table and trailer.
    /// A document without pages gets one empty page of the default size.
    public func render() -> [UInt8] {
        let pages = self.pages.isEmpty ? [PDFPage()] : self.pages
        // Object numbers: 1 catalog, 2 page tree, 3 info, then fonts, images, pages.
        let fonts = DocumentFonts(pages: pages)
        // Sized for everything but images, so that the buffer does not grow (and copy) while writing.
        var writer = ObjectWriter(capacity: pages.reduce(4096 + fonts.embeddedByteCount) { $0 + $1.content.count + 1024 })
        var next = 4
        var fontObjects: [Int] = []
        for index in fonts.fonts.indices {
            fontObjects.append(next)
            next += fonts.subsets[index] == nil ? 1 : DocumentFonts.objectsPerEmbeddedFont
        }
        var images: [PDFImage] = []
        var imageObjects: [Int] = []
        var pageImageObjects: [[Int]] = []
        for page in pages {
            var objects: [Int] = []
            for image in page.images {
                if let known = images.firstIndex(of: image) {
                    objects.append(imageObjects[known])
                } else {
                    images.append(image)
                    imageObjects.append(next)
                    objects.append(next)
                    next += image.softMask == nil ? 1 : 2
                }
            }
            pageImageObjects.append(objects)
        }
        let firstPageObject = next
        let objectCount = firstPageObject + 2 * pages.count

        writer.buffer.append("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n")

        writer.begin(1)
        writer.buffer.append("<< /Type /Catalog /Pages 2 0 R >>")
        writer.end()

        writer.begin(2)
        writer.buffer.append("<< /Type /Pages /Kids [")
        for index in pages.indices {
            writer.buffer.appendSpace()
            writer.buffer.append(firstPageObject + 2 * index)
            writer.buffer.append(" 0 R")
        }
        writer.buffer.append(" ] /Count ")
        writer.buffer.append(pages.count)
        writer.buffer.append(" >>")
        writer.end()

        writer.begin(3)
        writeInfo(into: &writer.buffer)
        writer.end()

        for index in fonts.fonts.indices {
            fonts.write(index, object: fontObjects[index], into: &writer)
        }

        for (image, object) in zip(images, imageObjects) {
            writer.writeImage(image.stream, object: object, softMask: image.softMask.map { _ in object + 1 })
            if let mask = image.softMask {
                writer.writeImage(mask, object: object + 1, softMask: nil)
            }
        }

        for (index, page) in pages.enumerated() {
            let pageObject = firstPageObject + 2 * index
            writer.begin(pageObject)
            writer.buffer.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ")
            writer.buffer.append(page.size.width)
            writer.buffer.appendSpace()
            writer.buffer.append(page.size.height)
            writer.buffer.append("] /Resources << /ProcSet [/PDF /Text /ImageB /ImageC /ImageI]")
            if !page.fonts.isEmpty {
                writer.buffer.append(" /Font <<")
                for (slot, font) in page.fonts.enumerated() {
                    writer.buffer.append(" /F")
                    writer.buffer.append(slot + 1)
                    writer.buffer.appendSpace()
                    writer.buffer.append(fontObjects[fonts.index(of: font)])
                    writer.buffer.append(" 0 R")
                }
                writer.buffer.append(" >>")
            }
            if !pageImageObjects[index].isEmpty {
                writer.buffer.append(" /XObject <<")
                for (imageIndex, object) in pageImageObjects[index].enumerated() {
                    writer.buffer.append(" /Im")
                    writer.buffer.append(imageIndex)
                    writer.buffer.appendSpace()
                    writer.buffer.append(object)
                    writer.buffer.append(" 0 R")
                }
                writer.buffer.append(" >>")
            }
            writer.buffer.append(" >> /Contents ")
            writer.buffer.append(pageObject + 1)
            writer.buffer.append(" 0 R >>")
            writer.end()

            writer.begin(pageObject + 1)
            writer.buffer.append("<< /Length ")
            writer.buffer.append(page.content.count)
            writer.buffer.append(" >>\nstream\n")
            fonts.appendContent(of: page, to: &writer.buffer)
            writer.buffer.append("\nendstream")
            writer.end()
        }

        writer.finish(objectCount: objectCount)
        return writer.buffer.bytes
    }

    private func writeInfo(into buffer: inout ByteBuffer) {
        buffer.append("<<")
        let entries: [(StaticString, String?)] = [
            (" /Title ", info.title), (" /Author ", info.author), (" /Subject ", info.subject),
            (" /Keywords ", info.keywords), (" /Creator ", info.creator), (" /Producer ", info.producer),
        ]
        for case let (key, value?) in entries {
            buffer.append(key)
            Self.appendTextString(value, into: &buffer)
        }
        if let date = info.creationDate {
            buffer.append(" /CreationDate ")
            buffer.appendLiteralString(Array(PDFDocumentInfo.pdfDate(date).utf8))
        }
        buffer.append(" >>")
    }

    /// Writes a PDF text string: ASCII as a literal string, anything else as UTF-16BE with a BOM.
    static func appendTextString(_ text: String, into buffer: inout ByteBuffer) {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            buffer.appendLiteralString(Array(text.utf8))
            return
        }
        var bytes: [UInt8] = [0xFE, 0xFF]
        for unit in text.utf16 {
            bytes.append(UInt8(unit >> 8))
            bytes.append(UInt8(unit & 0xFF))
        }
        buffer.appendHexString(bytes)
    }

}

/// Writes numbered objects and remembers their byte offsets for the cross-reference table.
struct ObjectWriter {
    var buffer: ByteBuffer
    var offsets: [Int: Int] = [:]

    init(capacity: Int) {
        buffer = ByteBuffer(capacity: capacity)
    }

    mutating func begin(_ object: Int) {
        offsets[object] = buffer.count
        buffer.append(object)
        buffer.append(" 0 obj\n")
    }

    mutating func end() {
        buffer.append("\nendobj\n")
    }

    mutating func writeImage(_ image: ImageStream, object: Int, softMask: Int?) {
        begin(object)
        buffer.append("<< /Type /XObject /Subtype /Image /Width ")
        buffer.append(image.width)
        buffer.append(" /Height ")
        buffer.append(image.height)
        buffer.append(" /ColorSpace ")
        switch image.colorSpace {
        case .gray: buffer.append("/DeviceGray")
        case .rgb: buffer.append("/DeviceRGB")
        case .cmyk: buffer.append("/DeviceCMYK")
        case .indexed(let palette):
            buffer.append("[/Indexed /DeviceRGB ")
            buffer.append(palette.count / 3 - 1)
            buffer.appendSpace()
            buffer.appendHexString(palette)
            buffer.append("]")
        }
        buffer.append(" /BitsPerComponent ")
        buffer.append(image.bitsPerComponent)
        switch image.filter {
        case .dct:
            buffer.append(" /Filter /DCTDecode")
        case .runLength:
            buffer.append(" /Filter /RunLengthDecode")
        case .pngFlate(let colors):
            buffer.append(" /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors ")
            buffer.append(colors)
            buffer.append(" /BitsPerComponent ")
            buffer.append(image.bitsPerComponent)
            buffer.append(" /Columns ")
            buffer.append(image.width)
            buffer.append(" >>")
        }
        if let decode = image.decode {
            buffer.append(" /Decode [")
            for value in decode {
                buffer.appendSpace()
                buffer.append(value)
            }
            buffer.append(" ]")
        }
        if let key = image.colorKeyMask {
            buffer.append(" /Mask [")
            for value in key {
                buffer.appendSpace()
                buffer.append(value)
            }
            buffer.append(" ]")
        }
        if let softMask {
            buffer.append(" /SMask ")
            buffer.append(softMask)
            buffer.append(" 0 R")
        }
        buffer.append(" /Length ")
        buffer.append(image.data.count)
        buffer.append(" >>\nstream\n")
        buffer.append(image.data)
        buffer.append("\nendstream")
        end()
    }

    /// Appends the cross-reference table and trailer.
    mutating func finish(objectCount: Int) {
        let start = buffer.count
        buffer.append("xref\n0 ")
        buffer.append(objectCount)
        buffer.append("\n0000000000 65535 f \n")
        for object in 1..<objectCount {
            buffer.append(offsets[object] ?? 0, paddedTo: 10)
            buffer.append(" 00000 n \n")
        }
        buffer.append("trailer\n<< /Size ")
        buffer.append(objectCount)
        buffer.append(" /Root 1 0 R /Info 3 0 R >>\nstartxref\n")
        buffer.append(start)
        buffer.append("\n%%EOF\n")
    }
}
