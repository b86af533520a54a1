/// The part of a font one document embeds: the glyphs it draws, renumbered densely.
///
/// New glyph 0 is `.notdef`; then the drawn glyphs in ascending order of their old ids; then
/// the components of composite glyphs that are not drawn themselves. Content streams use the new
/// ids as CIDs (`/CIDToGIDMap /Identity`).
struct FontSubset: Sendable {
    /// The old glyph id of each new one.
    let glyphs: [UInt16]
    /// The new id of each old glyph (0: not in the subset).
    let newIDs: [UInt16]
    /// How many of `glyphs` (after `.notdef`) are drawn, as opposed to only being components.
    let drawnCount: Int
    /// The subset font file for `/FontFile2`.
    let file: [UInt8]
}

extension TrueTypeFont {
    /// The subset for `drawn` with its name, `/W` widths and `ToUnicode` CMap, made once per
    /// glyph set and then taken from `subsets` (the same bytes either way).
    func embedding(_ drawn: GlyphSet) -> EmbeddedSubset {
        subsets.subset(drawn) { drawn in
            let subset = self.subset(drawn)
            return EmbeddedSubset(subset: subset, name: DocumentFonts.tag(self, subset) + "+" + postScriptName,
                                  widths: DocumentFonts.widths(self, subset),
                                  toUnicode: DocumentFonts.toUnicode(self, subset))
        }
    }

    /// A font file holding only `drawn` and the glyphs their outlines are built from.
    ///
    /// Tables: `head`, `hhea`, `maxp`, `OS/2`, `hmtx`, `loca`, `glyf` and a version 3 `post`
    /// (no glyph names). Hinting is dropped (`cvt `, `fpgm`, `prep` and each glyph's instructions):
    /// PDF viewers and printers rasterise at high resolution, and it halves the outlines' size.
    /// `cmap` and `name` are left out: a CIDFontType2 maps CIDs to glyphs itself.
    func subset(_ drawn: GlyphSet) -> FontSubset {
        var newIDs = [UInt16](repeating: 0, count: glyphCount)
        var glyphs: [UInt16] = [0]
        for glyph in drawn.sorted where glyph != 0 && Int(glyph) < glyphCount {
            newIDs[Int(glyph)] = UInt16(glyphs.count)
            glyphs.append(glyph)
        }
        let drawnCount = glyphs.count - 1
        var index = 1
        while index < glyphs.count {
            for component in components[glyphs[index]] ?? [] where component != 0 && newIDs[Int(component)] == 0 {
                newIDs[Int(component)] = UInt16(glyphs.count)
                glyphs.append(component)
            }
            index += 1
        }

        // glyf and loca
        var glyf: [UInt8] = []
        glyf.reserveCapacity(glyphs.count * 64)
        var locations: [Int] = []
        locations.reserveCapacity(glyphs.count + 1)
        for glyph in glyphs {
            locations.append(glyf.count)
            appendOutline(of: glyph, renumbering: newIDs, to: &glyf)
            glyf.padToFourBytes()
        }
        locations.append(glyf.count)
        let shortLocations = glyf.count / 2 <= 0xFFFF
        var loca: [UInt8] = []
        loca.reserveCapacity(locations.count * (shortLocations ? 2 : 4))
        for location in locations {
            if shortLocations { loca.appendUInt16(UInt16(location / 2)) } else { loca.appendUInt32(UInt32(location)) }
        }

        var hmtx: [UInt8] = []
        hmtx.reserveCapacity(glyphs.count * 4)
        for glyph in glyphs {
            hmtx.appendUInt16(advances[Int(glyph)])
            hmtx.appendUInt16(UInt16(bitPattern: leftSideBearings[Int(glyph)]))
        }

        var head = copy("head")
        head.setUInt32(0, at: 8)
        head.setUInt16(shortLocations ? 0 : 1, at: 50)
        var hhea = copy("hhea")
        hhea.setUInt16(UInt16(glyphs.count), at: 34)
        var maxp = copy("maxp")
        maxp.setUInt16(UInt16(glyphs.count), at: 4)
        var post: [UInt8] = []
        if let range = tables["post"], range.count >= 32 {
            post = Array(file[range.lowerBound..<range.lowerBound + 32])
            post.setUInt32(0x0003_0000, at: 0)
        }

        var parts: [(String, [UInt8])] = [("glyf", glyf), ("head", head), ("hhea", hhea), ("hmtx", hmtx),
                                           ("loca", loca), ("maxp", maxp)]
        if tables["OS/2"] != nil { parts.append(("OS/2", copy("OS/2"))) }
        if !post.isEmpty { parts.append(("post", post)) }
        parts.sort { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        return FontSubset(glyphs: glyphs, newIDs: newIDs, drawnCount: drawnCount, file: Self.assemble(parts))
    }

    private func copy(_ tag: String) -> [UInt8] {
        guard let range = tables[tag] else { return [] }
        return Array(file[range])
    }

    /// Appends `glyph`'s outline without its instructions, with composite components renumbered.
    private func appendOutline(of glyph: UInt16, renumbering newIDs: [UInt16], to glyf: inout [UInt8]) {
        let start = glyphOffsets[Int(glyph)], end = glyphOffsets[Int(glyph) + 1]
        guard end - start >= 10 else { return }
        let contours = Int16(bitPattern: UInt16(file[start]) << 8 | UInt16(file[start + 1]))
        let data = FontData(file)
        if contours >= 0 {
            // Header, endPtsOfContours, then instructionLength and instructions to drop.
            let lengthAt = start + 10 + 2 * Int(contours)
            guard let instructions = try? data.uint16(lengthAt), lengthAt + 2 + Int(instructions) <= end else {
                glyf.append(contentsOf: file[start..<end])
                return
            }
            glyf.append(contentsOf: file[start..<lengthAt])
            glyf.appendUInt16(0)
            glyf.append(contentsOf: file[(lengthAt + 2 + Int(instructions))..<end])
            return
        }
        let base = glyf.count
        var records: [Int] = []
        var last = end
        do {
            last = try Self.forEachComponent(in: data, at: start, end: end) { flagsAt, _, _ in records.append(flagsAt) }
        } catch {
            return  // unreadable composite: an empty glyph (parsing already checked every composite)
        }
        glyf.append(contentsOf: file[start..<last])
        for flagsAt in records {
            let at = base + (flagsAt - start)
            let flags = UInt16(glyf[at]) << 8 | UInt16(glyf[at + 1])
            glyf.setUInt16(flags & ~0x0100, at: at)  // WE_HAVE_INSTRUCTIONS: dropped with them
            let component = UInt16(glyf[at + 2]) << 8 | UInt16(glyf[at + 3])
            glyf.setUInt16(newIDs[Int(component)], at: at + 2)
        }
    }

    /// A font file from its tables (sorted by tag): directory, tables, checksums, `checkSumAdjustment`.
    static func assemble(_ parts: [(String, [UInt8])]) -> [UInt8] {
        let count = parts.count
        var power = 1, exponent = 0
        while power * 2 <= count {
            power *= 2
            exponent += 1
        }
        var file: [UInt8] = []
        file.reserveCapacity(12 + 16 * count + parts.reduce(0) { $0 + $1.1.count + 3 })
        file.appendUInt32(0x0001_0000)
        file.appendUInt16(UInt16(count))
        file.appendUInt16(UInt16(power * 16))
        file.appendUInt16(UInt16(exponent))
        file.appendUInt16(UInt16(count * 16 - power * 16))
        var offset = 12 + 16 * count
        var headOffset: Int?
        for (tag, bytes) in parts {
            file.append(contentsOf: tag.utf8)
            file.appendUInt32(fontChecksum(bytes[...]))
            file.appendUInt32(UInt32(offset))
            file.appendUInt32(UInt32(bytes.count))
            if tag == "head" { headOffset = offset }
            offset += (bytes.count + 3) & ~3
        }
        for (_, bytes) in parts {
            file.append(contentsOf: bytes)
            file.padToFourBytes()
        }
        if let headOffset {
            file.setUInt32(0xB1B0_AFBA &- fontChecksum(file[...]), at: headOffset + 8)
        }
        return file
    }
}
