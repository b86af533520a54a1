import Foundation

/// A file embedded in a PDF/A-3 document as an associated file (ISO 19005-3, ISO 32000-2 §14.13).
public struct PDFAttachment: Sendable, Hashable {
    public var fileName: String
    /// MIME type, such as `text/xml`.
    public var mimeType: String
    public var description: String
    /// `/AFRelationship`: `Data`, `Source`, `Alternative`, `Supplement` or `Unspecified`.
    public var relationship: String
    public var data: [UInt8]

    public init(fileName: String, mimeType: String, description: String, relationship: String, data: [UInt8]) {
        self.fileName = fileName
        self.mimeType = mimeType
        self.description = description
        self.relationship = relationship
        self.data = data
    }
}

/// Turns a PDF this module wrote into PDF/A-3b by appending one incremental update (ISO 32000-1 §7.5.6):
/// a new catalog with XMP metadata (`pdfaid` part 3, conformance B, plus any extension schemas), an sRGB
/// output intent with its ICC profile, embedded files listed in `/AF` and `/Names /EmbeddedFiles`, a new
/// information dictionary agreeing with the XMP, and a trailer with `/ID`. The original bytes stay as
/// they are, so whatever draws the pages (fonts, images) is untouched; it must embed every font itself.
public enum PDFArchive: Sendable {
    /// - Parameters:
    ///   - pdf: a complete PDF with a classic cross-reference table (what `PDFDocument.render()` writes).
    ///   - info: the document properties, written to the information dictionary and to the XMP.
    ///   - xmpDescriptions: extra `rdf:Description` elements (properties and their PDF/A extension schemas).
    public static func pdfA3(_ pdf: [UInt8], info: PDFDocumentInfo, attachments: [PDFAttachment],
                             xmpDescriptions: String = "") throws -> [UInt8] {
        let original = try Trailer(pdf)
        let catalog = try original.catalogDictionary(in: pdf)
        for key in ["/Metadata", "/OutputIntents", "/AF", "/Names"] where catalog.contains(key) {
            throw PDFError.malformedPDF("the PDF's catalog already has \(key); cannot add the PDF/A-3 entries")
        }
        var buffer = ByteBuffer(capacity: pdf.count + attachments.reduce(16_384) { $0 + $1.data.count })
        buffer.append(pdf)
        if pdf.last != 0x0A { buffer.append("\n") }
        var offsets: [(Int, Int)] = []
        func begin(_ object: Int) {
            offsets.append((object, buffer.count))
            buffer.append(object)
            buffer.append(" 0 obj\n")
        }
        func end() { buffer.append("\nendobj\n") }
        func stream(_ object: Int, dictionary: String, _ data: [UInt8]) {
            begin(object)
            buffer.append("<< ")
            buffer.append(ascii: dictionary)
            buffer.append(" /Length ")
            buffer.append(data.count)
            buffer.append(" >>\nstream\n")
            buffer.append(data)
            buffer.append("\nendstream")
            end()
        }

        var next = original.size
        let metadata = next, intent = next + 1, profile = next + 2
        next += 3
        let modDate = info.creationDate.map(PDFDocumentInfo.pdfDate)
        var files: [Int] = []
        for attachment in attachments {
            let file = next, spec = next + 1
            next += 2
            files.append(spec)
            var params = "/Params << /Size \(attachment.data.count)"
            if let modDate { params += " /ModDate (\(modDate))" }
            params += " >>"
            stream(file, dictionary: "/Type /EmbeddedFile /Subtype /\(nameEscaped(attachment.mimeType)) \(params)", attachment.data)
            begin(spec)
            buffer.append("<< /Type /Filespec /F ")
            PDFDocument.appendTextString(attachment.fileName, into: &buffer)
            buffer.append(" /UF ")
            PDFDocument.appendTextString(attachment.fileName, into: &buffer)
            buffer.append(" /Desc ")
            PDFDocument.appendTextString(attachment.description, into: &buffer)
            buffer.append(" /AFRelationship /")
            buffer.append(ascii: attachment.relationship)
            buffer.append(" /EF << /F ")
            buffer.append(file)
            buffer.append(" 0 R /UF ")
            buffer.append(file)
            buffer.append(" 0 R >> >>")
            end()
        }

        stream(metadata, dictionary: "/Type /Metadata /Subtype /XML", Array(xmp(info, extra: xmpDescriptions).utf8))
        begin(intent)
        buffer.append("<< /Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier (sRGB IEC61966-2.1) /Info (sRGB IEC61966-2.1) /DestOutputProfile ")
        buffer.append(profile)
        buffer.append(" 0 R >>")
        end()
        stream(profile, dictionary: "/N 3", ICCProfile.sRGB)

        // The catalog again, under its own number, with the PDF/A-3 entries.
        begin(original.root)
        var entries = catalog
        entries.removeLast(2)
        buffer.append(ascii: entries.trimmingCharacters(in: .whitespaces))
        buffer.append(ascii: " /Metadata \(metadata) 0 R /OutputIntents [\(intent) 0 R]")
        if !files.isEmpty {
            buffer.append(" /AF [")
            for spec in files { buffer.append(ascii: " \(spec) 0 R") }
            buffer.append(" ] /Names << /EmbeddedFiles << /Names [")
            for (attachment, spec) in zip(attachments, files) {
                buffer.appendSpace()
                PDFDocument.appendTextString(attachment.fileName, into: &buffer)
                buffer.append(ascii: " \(spec) 0 R")
            }
            buffer.append(" ] >> >>")
        }
        buffer.append(" >>")
        end()

        // The information dictionary, saying what the XMP says.
        let infoObject = original.info ?? next
        if original.info == nil { next += 1 }
        begin(infoObject)
        buffer.append("<<")
        for case let (key, value?) in [(" /Title ", info.title), (" /Author ", info.author), (" /Subject ", info.subject),
                                       (" /Creator ", info.creator), (" /Producer ", info.producer)] {
            buffer.append(ascii: key)
            PDFDocument.appendTextString(value, into: &buffer)
        }
        if let modDate {
            buffer.append(ascii: " /CreationDate (\(modDate)) /ModDate (\(modDate))")
        }
        buffer.append(" >>")
        end()

        // Cross-reference section of the update: one subsection per object, then the trailer.
        let start = buffer.count
        buffer.append("xref\n")
        for (object, offset) in offsets.sorted(by: { $0.0 < $1.0 }) {
            buffer.append(ascii: "\(object) 1\n")
            buffer.append(offset, paddedTo: 10)
            buffer.append(" 00000 n \n")
        }
        let id = identifier(pdf, attachments: attachments)
        buffer.append(ascii: "trailer\n<< /Size \(next) /Root \(original.root) 0 R /Info \(infoObject) 0 R /Prev \(original.startXref) /ID [<\(id)> <\(id)>] >>\nstartxref\n")
        buffer.append(start)
        buffer.append("\n%%EOF\n")
        return buffer.bytes
    }

    /// A file identifier (not a security feature): CRC-32 of the page content and of each attachment, and sizes.
    static func identifier(_ pdf: [UInt8], attachments: [PDFAttachment]) -> String {
        var words: [UInt32] = [CRC32.checksum(pdf[...]), UInt32(truncatingIfNeeded: pdf.count)]
        for attachment in attachments {
            words.append(CRC32.checksum(attachment.data[...]))
        }
        while words.count < 4 { words.append(UInt32(truncatingIfNeeded: attachments.count &* 0x9E37_79B9)) }
        return words.prefix(4).map { word in
            let hex = String(word, radix: 16, uppercase: true)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    static func nameEscaped(_ name: String) -> String {
        var out = ""
        for byte in name.utf8 {
            if byte > 0x20 && byte < 0x7F && !"/#()<>[]{}%".utf8.contains(byte) {
                out.append(Character(UnicodeScalar(byte)))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "#" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }

    /// The XMP packet: PDF/A identification, Dublin Core, PDF and XMP basic properties, then `extra`.
    static func xmp(_ info: PDFDocumentInfo, extra: String) -> String {
        func escaped(_ text: String) -> String {
            var out = ""
            for character in text {
                switch character {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case ">": out += "&gt;"
                default: out.append(character)
                }
            }
            return out
        }
        var out = "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
        out += "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
        out += "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">"
        out += "<pdfaid:part>3</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>\n"
        out += "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:format>application/pdf</dc:format>"
        if let title = info.title {
            out += "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escaped(title))</rdf:li></rdf:Alt></dc:title>"
        }
        if let author = info.author {
            out += "<dc:creator><rdf:Seq><rdf:li>\(escaped(author))</rdf:li></rdf:Seq></dc:creator>"
        }
        if let subject = info.subject {
            out += "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">\(escaped(subject))</rdf:li></rdf:Alt></dc:description>"
        }
        out += "</rdf:Description>\n"
        out += "<rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">"
        if let producer = info.producer { out += "<pdf:Producer>\(escaped(producer))</pdf:Producer>" }
        out += "</rdf:Description>\n"
        out += "<rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">"
        if let creator = info.creator { out += "<xmp:CreatorTool>\(escaped(creator))</xmp:CreatorTool>" }
        if let date = info.creationDate {
            let stamp = xmpDate(date)
            out += "<xmp:CreateDate>\(stamp)</xmp:CreateDate><xmp:ModifyDate>\(stamp)</xmp:ModifyDate>"
        }
        out += "</rdf:Description>\n"
        out += extra
        out += "</rdf:RDF>\n</x:xmpmeta>\n"
        out += padding
        out += "<?xpacket end=\"w\"?>"
        return out
    }

    /// Room to edit the XMP in place (20 lines of spaces, as XMP writers leave).
    private static let padding = String(repeating: String(repeating: " ", count: 99) + "\n", count: 20)

    /// `2026-11-25T10:00:00Z`: the same instant as the information dictionary's `D:20261125100000Z`.
    static func xmpDate(_ date: Date) -> String {
        let d = Array(PDFDocumentInfo.pdfDate(date).dropFirst(2))
        let s = { (range: Range<Int>) in String(d[range]) }
        return "\(s(0..<4))-\(s(4..<6))-\(s(6..<8))T\(s(8..<10)):\(s(10..<12)):\(s(12..<14))Z"
    }

    /// Where `needle` last starts in `bytes` (an index of the underlying array).
    static func lastIndex(of needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= needle.count, let first = needle.first else { return nil }
        var index = bytes.endIndex - needle.count
        while index >= bytes.startIndex {
            if bytes[index] == first && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }

    /// Where `needle` first starts in `bytes` (an index of the underlying array).
    static func firstIndex(of needle: [UInt8], in bytes: ArraySlice<UInt8>) -> Int? {
        guard bytes.count >= needle.count, let first = needle.first else { return nil }
        var index = bytes.startIndex
        while index <= bytes.endIndex - needle.count {
            if bytes[index] == first && bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// What the last trailer of a PDF says, and where its catalog is.
    struct Trailer {
        var size: Int
        var root: Int
        var info: Int?
        var startXref: Int

        init(_ pdf: [UInt8]) throws {
            // Searched as bytes: decoding the tail as a String and searching it with Foundation cost more
            // than the rest of the update (perf, bench section einvoice).
            let tail = pdf.suffix(2048)
            guard let startIndex = PDFArchive.lastIndex(of: Array("startxref".utf8), in: tail),
                  let offset = Int(String(decoding: pdf[(startIndex + 9)...], as: UTF8.self)
                    .split(whereSeparator: \.isWhitespace).first ?? ""),
                  let trailerIndex = PDFArchive.lastIndex(of: Array("trailer".utf8), in: tail[..<startIndex])
            else { throw PDFError.malformedPDF("not a PDF with a cross-reference table and trailer") }
            let dictionary = String(decoding: pdf[(trailerIndex + 7)..<startIndex], as: UTF8.self)
            func number(after key: String) -> Int? {
                guard let range = dictionary.range(of: key + " ") else { return nil }
                return Int(dictionary[range.upperBound...].split(separator: " ").first ?? "")
            }
            guard let size = number(after: "/Size"), let root = number(after: "/Root") else {
                throw PDFError.malformedPDF("the PDF trailer has no /Size or /Root")
            }
            self.size = size
            self.root = root
            info = number(after: "/Info")
            startXref = offset
        }

        /// The catalog's dictionary text (`<< … >>`), found through the cross-reference table.
        func catalogDictionary(in pdf: [UInt8]) throws -> String {
            // A classic table: "xref\n0 N\n" then 20-byte entries.
            guard startXref < pdf.count else { throw PDFError.malformedPDF("startxref points past the end of the PDF") }
            var index = startXref
            var lines = 0
            while index < pdf.count && lines < 2 {
                if pdf[index] == 0x0A { lines += 1 }
                index += 1
            }
            let entry = index + 20 * root
            guard entry + 10 <= pdf.count, let offset = Int(String(decoding: pdf[entry..<(entry + 10)], as: UTF8.self)),
                  offset < pdf.count
            else { throw PDFError.malformedPDF("the catalog is not in the cross-reference table") }
            let window = pdf[offset..<min(pdf.count, offset + 4096)]
            guard let open = PDFArchive.firstIndex(of: Array("obj".utf8), in: window),
                  let close = PDFArchive.firstIndex(of: Array("endobj".utf8), in: window), open + 3 <= close
            else { throw PDFError.malformedPDF("the catalog object cannot be read") }
            let dictionary = String(decoding: pdf[(open + 3)..<close], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard dictionary.hasPrefix("<<"), dictionary.hasSuffix(">>") else { throw PDFError.malformedPDF("the catalog is not a dictionary") }
            return dictionary
        }
    }
}
