/// The fonts of one document being written: each distinct font once, and for embedded fonts
/// the subset of glyphs drawn on any page.
///
/// An embedded font is written as five objects: the Type 0 font (`/Identity-H`), its
/// CIDFontType2 descendant (`/W` widths from `hmtx`, `/CIDToGIDMap /Identity`), the font
/// descriptor, the `FontFile2` subset and a `ToUnicode` CMap, so text extracts as written.
/// The subset's name carries a six-letter tag derived from its glyphs (`KDQXBE+LiberationSans`),
/// the same for the same glyphs, so output stays byte-identical.
struct DocumentFonts {
    static let objectsPerEmbeddedFont = 5

    private(set) var fonts: [PDFFont] = []
    /// The subset of each embedded font (nil for standard fonts).
    private(set) var subsets: [FontSubset?] = []
    /// The subset of each embedded font with its name, widths and CMap (nil for standard fonts).
    private var embedded: [EmbeddedSubset?] = []

    init(pages: [PDFPage]) {
        var drawn: [GlyphSet] = []
        for page in pages {
            for (slot, font) in page.fonts.enumerated() {
                if let index = fonts.firstIndex(of: font) {
                    drawn[index].formUnion(page.glyphSets[slot])
                } else {
                    fonts.append(font)
                    drawn.append(page.glyphSets[slot])
                }
            }
        }
        embedded = zip(fonts, drawn).map { font, glyphs in
            if case .trueType(let trueType) = font.storage { return trueType.embedding(glyphs) }
            return nil
        }
        subsets = embedded.map { $0?.subset }
    }

    func index(of font: PDFFont) -> Int {
        fonts.firstIndex(of: font) ?? 0
    }

    /// The page's content stream with embedded fonts' glyph ids renumbered to their subsets.
    func content(of page: PDFPage) -> [UInt8] {
        var buffer = ByteBuffer(capacity: page.content.count)
        appendContent(of: page, to: &buffer)
        return buffer.bytes
    }

    /// Appends `content(of: page)` to `buffer`, renumbering the glyph ids where they land (the
    /// page's own buffer is not copied first).
    func appendContent(of page: PDFPage, to buffer: inout ByteBuffer) {
        let start = buffer.count
        buffer.append(page.content.bytes)
        guard !page.glyphRuns.isEmpty else { return }
        let maps = page.fonts.map { subsets[index(of: $0)]?.newIDs ?? [] }
        for run in page.glyphRuns {
            buffer.remapHex(in: run.range.lowerBound + start..<run.range.upperBound + start, maps[run.slot])
        }
    }

    /// Bytes of the embedded fonts' subsets, widths and CMaps, to size the file's buffer.
    var embeddedByteCount: Int {
        embedded.reduce(0) { total, font in
            total + (font.map { $0.subset.file.count + $0.widths.count + $0.toUnicode.count + 1024 } ?? 1024)
        }
    }

    func write(_ index: Int, object: Int, into writer: inout ObjectWriter) {
        let font = fonts[index]
        switch font.storage {
        case .standard(let standard):
            writer.begin(object)
            writer.buffer.append("<< /Type /Font /Subtype /Type1 /BaseFont /")
            writer.buffer.append(ascii: standard.postScriptName)
            writer.buffer.append(" /Encoding /WinAnsiEncoding /FirstChar 32 /LastChar 255 /Widths [")
            for (code, width) in standard.widths.enumerated() where code >= 32 {
                writer.buffer.append(byte: code % 16 == 0 ? 0x0A : 0x20)
                writer.buffer.append(Int(width))
            }
            writer.buffer.append(" ] >>")
            writer.end()
        case .trueType(let trueType):
            guard let embedded = embedded[index] else { return }
            writeEmbedded(trueType, embedded, object: object, into: &writer)
        }
    }

    private func writeEmbedded(_ font: TrueTypeFont, _ embedded: EmbeddedSubset, object: Int, into writer: inout ObjectWriter) {
        let subset = embedded.subset, name = embedded.name
        let scale = 1000 / Double(font.unitsPerEm)
        func scaled(_ value: Int) -> Int { Int((Double(value) * scale).rounded()) }

        writer.begin(object)
        writer.buffer.append("<< /Type /Font /Subtype /Type0 /BaseFont /")
        writer.buffer.append(ascii: name)
        writer.buffer.append(" /Encoding /Identity-H /DescendantFonts [")
        writer.buffer.append(object + 1)
        writer.buffer.append(" 0 R] /ToUnicode ")
        writer.buffer.append(object + 4)
        writer.buffer.append(" 0 R >>")
        writer.end()

        writer.begin(object + 1)
        writer.buffer.append("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /")
        writer.buffer.append(ascii: name)
        writer.buffer.append(" /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor ")
        writer.buffer.append(object + 2)
        writer.buffer.append(" 0 R /CIDToGIDMap /Identity /W [0 [")
        writer.buffer.append(embedded.widths.bytes)
        writer.buffer.append(" ]] >>")
        writer.end()

        writer.begin(object + 2)
        var flags = 32  // nonsymbolic
        if font.isFixedPitch { flags |= 1 }
        if font.italicAngle != 0 { flags |= 64 }
        writer.buffer.append("<< /Type /FontDescriptor /FontName /")
        writer.buffer.append(ascii: name)
        writer.buffer.append(" /Flags ")
        writer.buffer.append(flags)
        writer.buffer.append(" /FontBBox [")
        for value in [font.boundingBox.xMin, font.boundingBox.yMin, font.boundingBox.xMax, font.boundingBox.yMax] {
            writer.buffer.appendSpace()
            writer.buffer.append(scaled(value))
        }
        writer.buffer.append(" ] /ItalicAngle ")
        writer.buffer.append(font.italicAngle)
        writer.buffer.append(" /Ascent ")
        writer.buffer.append(scaled(font.ascent))
        writer.buffer.append(" /Descent ")
        writer.buffer.append(scaled(font.descent))
        writer.buffer.append(" /CapHeight ")
        writer.buffer.append(scaled(font.capHeight))
        writer.buffer.append(" /XHeight ")
        writer.buffer.append(scaled(font.xHeight))
        writer.buffer.append(" /StemV ")
        writer.buffer.append(font.weightClass >= 600 ? 120 : 80)
        writer.buffer.append(" /FontFile2 ")
        writer.buffer.append(object + 3)
        writer.buffer.append(" 0 R >>")
        writer.end()

        writer.begin(object + 3)
        writer.buffer.append("<< /Length ")
        writer.buffer.append(subset.file.count)
        writer.buffer.append(" /Length1 ")
        writer.buffer.append(subset.file.count)
        writer.buffer.append(" >>\nstream\n")
        writer.buffer.append(subset.file)
        writer.buffer.append("\nendstream")
        writer.end()

        let cmap = embedded.toUnicode
        writer.begin(object + 4)
        writer.buffer.append("<< /Length ")
        writer.buffer.append(cmap.count)
        writer.buffer.append(" >>\nstream\n")
        writer.buffer.append(cmap.bytes)
        writer.buffer.append("\nendstream")
        writer.end()
    }

    /// The `/W` entries of `subset`: each CID's advance in thousandths of an em, 16 a line.
    static func widths(_ font: TrueTypeFont, _ subset: FontSubset) -> ByteBuffer {
        let scale = 1000 / Double(font.unitsPerEm)
        var buffer = ByteBuffer(capacity: subset.glyphs.count * 5)
        for (cid, glyph) in subset.glyphs.enumerated() {
            buffer.append(byte: cid % 16 == 0 ? 0x0A : 0x20)
            buffer.append(Double(font.advances[Int(glyph)]) * scale)
        }
        return buffer
    }

    /// A CMap from each drawn CID to the character its glyph shows (UTF-16BE, surrogate pairs
    /// beyond the Basic Multilingual Plane).
    static func toUnicode(_ font: TrueTypeFont, _ subset: FontSubset) -> ByteBuffer {
        var buffer = ByteBuffer(capacity: 600 + subset.drawnCount * 16)
        buffer.append("""
            /CIDInit /ProcSet findresource begin
            12 dict begin
            begincmap
            /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
            /CMapName /Adobe-Identity-UCS def
            /CMapType 2 def
            1 begincodespacerange
            <0000> <FFFF>
            endcodespacerange

            """)
        var entries: [(UInt16, UInt32)] = []
        for cid in 1..<(subset.drawnCount + 1) {
            let codePoint = font.codePoints[Int(subset.glyphs[cid])]
            if codePoint != 0 { entries.append((UInt16(cid), codePoint)) }
        }
        var start = 0
        while start < entries.count {
            let block = entries[start..<min(start + 100, entries.count)]
            buffer.append(block.count)
            buffer.append(" beginbfchar\n")
            for (cid, codePoint) in block {
                buffer.appendHexString([UInt8(cid >> 8), UInt8(cid & 0xFF)])
                buffer.appendSpace()
                var units: [UInt8] = []
                for unit in String(Unicode.Scalar(codePoint).map(Character.init) ?? " ").utf16 {
                    units.append(UInt8(unit >> 8))
                    units.append(UInt8(unit & 0xFF))
                }
                buffer.appendHexString(units)
                buffer.append(byte: 0x0A)
            }
            buffer.append("endbfchar\n")
            start += 100
        }
        buffer.append("""
            endcmap
            CMapName currentdict /CMap defineresource pop
            end
            end
            """)
        return buffer
    }

    /// Six capital letters from the font's name and the subset's glyphs (FNV-1a).
    static func tag(_ font: TrueTypeFont, _ subset: FontSubset) -> String {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in font.postScriptName.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3
        }
        for glyph in subset.glyphs {
            hash = (hash ^ UInt64(glyph >> 8)) &* 0x100_0000_01B3
            hash = (hash ^ UInt64(glyph & 0xFF)) &* 0x100_0000_01B3
        }
        var letters: [UInt8] = []
        for _ in 0..<6 {
            letters.append(UInt8(ascii: "A") + UInt8(hash % 26))
            hash /= 26
        }
        return String(decoding: letters, as: UTF8.self)
    }
}
