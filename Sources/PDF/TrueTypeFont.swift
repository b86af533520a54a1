import Foundation

/// A TrueType font file, parsed once and shared by every document drawn with it.
///
/// Reads the tables a PDF needs to measure text and embed a subset: `head` (units per em, the
/// bounding box, the `loca` format), `hhea` and `hmtx` (advance widths), `maxp` (glyph count),
/// `cmap` (format 4 for the Basic Multilingual Plane, format 12 beyond it), `loca` and `glyf`
/// (glyph outlines, composite glyphs' components), `OS/2` (typographic ascender, cap height,
/// weight, embedding permissions), `post` (italic angle) and `name` (the PostScript name).
/// See `subset(_:)` for what is embedded. Immutable after parsing, so it is `Sendable`.
public final class TrueTypeFont: Sendable {
    /// The PostScript name (`name` table, ID 6), e.g. `LiberationSans-Bold`.
    public let postScriptName: String
    public let unitsPerEm: Int
    public let glyphCount: Int

    /// Typographic ascender and descender (OS/2, else `hhea`), in font units; descender ≤ 0.
    let ascender: Int
    let descender: Int
    /// `hhea` ascent and descent, the font's extremes, for the PDF font descriptor.
    let ascent: Int
    let descent: Int
    let capHeight: Int
    let xHeight: Int
    let boundingBox: (xMin: Int, yMin: Int, xMax: Int, yMax: Int)
    let italicAngle: Double
    let isFixedPitch: Bool
    let weightClass: Int

    /// Advance width of each glyph, in font units.
    let advances: [UInt16]
    let leftSideBearings: [Int16]
    /// The glyph for each code point of the Basic Multilingual Plane (0 = none).
    let basicPlane: [UInt16]
    /// Glyphs for code points beyond U+FFFF.
    let supplementary: [UInt32: UInt16]
    /// A code point drawn by each glyph (the lowest one the `cmap` maps to it; 0 = none), for `ToUnicode`.
    let codePoints: [UInt32]
    /// Where each glyph's outline lies in `file` (`glyphCount + 1` offsets).
    let glyphOffsets: [Int]
    /// The components of each composite glyph (others have none).
    let components: [UInt16: [UInt16]]

    let file: [UInt8]
    /// Byte ranges of the tables copied into subsets.
    let tables: [String: Range<Int>]

    /// The glyph drawn for characters the font lacks: □ (U+25A1), else `?`. Never `.notdef`,
    /// which PDF/A forbids drawing.
    let substituteGlyph: UInt16
    let substituteCharacter: Character

    /// Subsets made so far, by glyph set (see `embedding(_:)`).
    let subsets = SubsetCache()

    /// Parses `bytes` as a TrueType (`glyf`-outline) font file.
    public convenience init(contentsOf url: URL) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PDFError.malformedFont("cannot read \(url.path)")
        }
        try self.init(bytes: [UInt8](data))
    }

    public init(bytes: [UInt8]) throws {
        let data = FontData(bytes)
        let version = try data.uint32(0)
        guard version == 0x0001_0000 || version == 0x7472_7565 /* 'true' */ else {
            if version == 0x4F54_544F { throw PDFError.malformedFont("it has CFF outlines (OTTO); a TrueType font is needed") }
            throw PDFError.malformedFont("it is not a TrueType font file")
        }
        var tables: [String: Range<Int>] = [:]
        let tableCount = Int(try data.uint16(4))
        for index in 0..<tableCount {
            let record = 12 + 16 * index
            let tag = try data.tag(record)
            let offset = Int(try data.uint32(record + 8)), length = Int(try data.uint32(record + 12))
            guard offset + length <= bytes.count else { throw PDFError.malformedFont("table \(tag) runs past the end") }
            tables[tag] = offset..<offset + length
        }
        func table(_ tag: String) throws -> Int {
            guard let range = tables[tag] else { throw PDFError.malformedFont("the \(tag) table is missing") }
            return range.lowerBound
        }

        let head = try table("head")
        guard try data.uint32(head + 12) == 0x5F0F_3CF5 else { throw PDFError.malformedFont("bad head table") }
        unitsPerEm = Int(try data.uint16(head + 18))
        guard (16...16384).contains(unitsPerEm) else { throw PDFError.malformedFont("units per em \(unitsPerEm)") }
        boundingBox = (Int(try data.int16(head + 36)), Int(try data.int16(head + 38)),
                       Int(try data.int16(head + 40)), Int(try data.int16(head + 42)))
        let longOffsets = try data.int16(head + 50) == 1

        let maxp = try table("maxp")
        glyphCount = Int(try data.uint16(maxp + 4))
        guard glyphCount > 0 else { throw PDFError.malformedFont("it has no glyphs") }

        let hhea = try table("hhea")
        ascent = Int(try data.int16(hhea + 4))
        descent = Int(try data.int16(hhea + 6))
        let metricCount = Int(try data.uint16(hhea + 34))
        guard metricCount >= 1, metricCount <= glyphCount else { throw PDFError.malformedFont("bad hhea metric count") }

        let hmtx = try table("hmtx")
        var advances = [UInt16](repeating: 0, count: glyphCount)
        var bearings = [Int16](repeating: 0, count: glyphCount)
        for glyph in 0..<glyphCount {
            if glyph < metricCount {
                advances[glyph] = try data.uint16(hmtx + 4 * glyph)
                bearings[glyph] = try data.int16(hmtx + 4 * glyph + 2)
            } else {
                advances[glyph] = advances[metricCount - 1]
                bearings[glyph] = try data.int16(hmtx + 4 * metricCount + 2 * (glyph - metricCount))
            }
        }
        self.advances = advances
        leftSideBearings = bearings

        let loca = try table("loca"), glyf = try table("glyf")
        let glyfEnd = tables["glyf"]?.upperBound ?? glyf
        var offsets = [Int](repeating: 0, count: glyphCount + 1)
        for glyph in 0...glyphCount {
            let relative = longOffsets ? Int(try data.uint32(loca + 4 * glyph)) : 2 * Int(try data.uint16(loca + 2 * glyph))
            offsets[glyph] = glyf + relative
            guard offsets[glyph] <= glyfEnd, glyph == 0 || offsets[glyph] >= offsets[glyph - 1] else {
                throw PDFError.malformedFont("bad loca entry for glyph \(glyph)")
            }
        }
        glyphOffsets = offsets

        var components: [UInt16: [UInt16]] = [:]
        let glyphCount = self.glyphCount
        for glyph in 0..<glyphCount where offsets[glyph + 1] - offsets[glyph] >= 10 {
            guard try data.int16(offsets[glyph]) < 0 else { continue }
            var parts: [UInt16] = []
            try Self.forEachComponent(in: data, at: offsets[glyph], end: offsets[glyph + 1]) { _, _, component in
                guard Int(component) < glyphCount else { throw PDFError.malformedFont("glyph \(glyph) uses a missing glyph") }
                parts.append(component)
            }
            components[UInt16(glyph)] = parts
        }
        self.components = components

        let map = try Self.characterMap(data, at: try table("cmap"), glyphCount: glyphCount)
        basicPlane = map.basic
        supplementary = map.supplementary
        var codePoints = [UInt32](repeating: 0, count: glyphCount)
        for (scalar, glyph) in map.basic.enumerated() where glyph != 0 && codePoints[Int(glyph)] == 0 {
            codePoints[Int(glyph)] = UInt32(scalar)
        }
        for (scalar, glyph) in map.supplementary.sorted(by: { $0.key < $1.key }) where codePoints[Int(glyph)] == 0 {
            codePoints[Int(glyph)] = scalar
        }
        self.codePoints = codePoints

        if let os2 = tables["OS/2"]?.lowerBound {
            let permissions = try data.uint16(os2 + 8)
            if permissions & 0x000F == 0x0002 {
                throw PDFError.malformedFont("its licence forbids embedding it (OS/2 fsType: restricted)")
            }
            if permissions & 0x0300 != 0 {
                throw PDFError.malformedFont("its licence forbids embedding a subset of its outlines (OS/2 fsType)")
            }
            weightClass = Int(try data.uint16(os2 + 4))
            ascender = Int(try data.int16(os2 + 68))
            descender = Int(try data.int16(os2 + 70))
            let os2Version = try data.uint16(os2)
            capHeight = os2Version >= 2 ? Int(try data.int16(os2 + 88)) : Int(Double(ascent) * 0.7)
            xHeight = os2Version >= 2 ? Int(try data.int16(os2 + 86)) : Int(Double(ascent) * 0.5)
        } else {
            weightClass = 400
            ascender = ascent
            descender = descent
            capHeight = Int(Double(ascent) * 0.7)
            xHeight = Int(Double(ascent) * 0.5)
        }

        if let post = tables["post"]?.lowerBound {
            italicAngle = Double(Int32(bitPattern: try data.uint32(post + 4))) / 65536
            isFixedPitch = try data.uint32(post + 12) != 0
        } else {
            italicAngle = 0
            isFixedPitch = false
        }

        postScriptName = (try? Self.postScriptName(data, at: tables["name"]?.lowerBound)) ?? "EmbeddedFont"
        self.file = bytes
        self.tables = tables

        if map.basic[0x25A1] != 0 {
            substituteGlyph = map.basic[0x25A1]
            substituteCharacter = "\u{25A1}"
        } else {
            substituteGlyph = map.basic[0x3F]
            substituteCharacter = "?"
        }
    }

    /// The glyph for `scalar`, 0 when the font has none.
    @inline(__always)
    func glyph(for scalar: UInt32) -> UInt16 {
        scalar < 0x10000 ? basicPlane[Int(scalar)] : supplementary[scalar] ?? 0
    }

    // MARK: Tables

    /// Calls `body(flagsOffset, glyphIndexOffset, glyphIndex)` for each component of the composite
    /// glyph at `start`; returns the offset just after the last component record.
    @discardableResult
    static func forEachComponent(in data: FontData, at start: Int, end: Int,
                                 _ body: (Int, Int, UInt16) throws -> Void) throws -> Int {
        var offset = start + 10
        while true {
            guard offset + 4 <= end else { throw PDFError.malformedFont("a composite glyph is cut short") }
            let flags = try data.uint16(offset)
            try body(offset, offset + 2, try data.uint16(offset + 2))
            offset += 4 + (flags & 0x0001 != 0 ? 4 : 2)
            if flags & 0x0008 != 0 { offset += 2 } else if flags & 0x0040 != 0 { offset += 4 } else if flags & 0x0080 != 0 { offset += 8 }
            if flags & 0x0020 == 0 { break }
        }
        guard offset <= end else { throw PDFError.malformedFont("a composite glyph is cut short") }
        return offset
    }

    /// The best Unicode subtable: format 12 (all planes) if there is one, else format 4 (BMP).
    static func characterMap(_ data: FontData, at cmap: Int, glyphCount: Int) throws
        -> (basic: [UInt16], supplementary: [UInt32: UInt16]) {
        var format4: Int?
        var format12: Int?
        let count = Int(try data.uint16(cmap + 2))
        for index in 0..<count {
            let record = cmap + 4 + 8 * index
            let platform = try data.uint16(record), encoding = try data.uint16(record + 2)
            let subtable = cmap + Int(try data.uint32(record + 4))
            let unicode = platform == 0 || (platform == 3 && (encoding == 1 || encoding == 10))
            guard unicode else { continue }
            switch try data.uint16(subtable) {
            case 4 where format4 == nil: format4 = subtable
            case 12 where format12 == nil: format12 = subtable
            default: break
            }
        }
        var basic = [UInt16](repeating: 0, count: 0x10000)
        var supplementary: [UInt32: UInt16] = [:]
        if let format12 {
            let groups = Int(try data.uint32(format12 + 12))
            guard groups <= (data.count - format12) / 12 else { throw PDFError.malformedFont("bad cmap format 12") }
            var mapped = 0
            for index in 0..<groups {
                let group = format12 + 16 + 12 * index
                let first = try data.uint32(group), last = min(try data.uint32(group + 4), 0x10FFFF)
                let startGlyph = try data.uint32(group + 8)
                guard first <= last else { continue }
                mapped += Int(last - first) + 1
                guard mapped <= 0x110000 else { throw PDFError.malformedFont("cmap format 12 maps too many characters") }
                for scalar in first...last {
                    let glyph = startGlyph &+ (scalar - first)
                    guard glyph != 0, glyph < glyphCount else { continue }
                    if scalar < 0x10000 { basic[Int(scalar)] = UInt16(glyph) } else { supplementary[scalar] = UInt16(glyph) }
                }
            }
        } else if let format4 {
            let segments = Int(try data.uint16(format4 + 6)) / 2
            let ends = format4 + 14, starts = ends + 2 * segments + 2
            let deltas = starts + 2 * segments, rangeOffsets = deltas + 2 * segments
            for segment in 0..<segments {
                let first = Int(try data.uint16(starts + 2 * segment)), last = Int(try data.uint16(ends + 2 * segment))
                let delta = Int(try data.uint16(deltas + 2 * segment))
                let rangeOffsetAt = rangeOffsets + 2 * segment
                let rangeOffset = Int(try data.uint16(rangeOffsetAt))
                guard first <= last else { continue }
                for scalar in first...last where scalar != 0xFFFF {
                    var glyph: Int
                    if rangeOffset == 0 {
                        glyph = (scalar + delta) & 0xFFFF
                    } else {
                        glyph = Int(try data.uint16(rangeOffsetAt + rangeOffset + 2 * (scalar - first)))
                        if glyph != 0 { glyph = (glyph + delta) & 0xFFFF }
                    }
                    if glyph != 0, glyph < glyphCount { basic[scalar] = UInt16(glyph) }
                }
            }
        } else {
            throw PDFError.malformedFont("it has no Unicode cmap (format 4 or 12)")
        }
        return (basic, supplementary)
    }

    /// The PostScript name (ID 6) from the `name` table, limited to the characters a PDF name allows.
    static func postScriptName(_ data: FontData, at name: Int?) throws -> String? {
        guard let name else { return nil }
        let count = Int(try data.uint16(name + 2)), storage = name + Int(try data.uint16(name + 4))
        for index in 0..<count {
            let record = name + 6 + 12 * index
            guard try data.uint16(record + 6) == 6 else { continue }
            let platform = try data.uint16(record)
            let length = Int(try data.uint16(record + 8)), offset = storage + Int(try data.uint16(record + 10))
            var characters: [UInt8] = []
            if platform == 3 || platform == 0 {
                for unit in stride(from: 0, to: length - 1, by: 2) { characters.append(UInt8(truncatingIfNeeded: try data.uint16(offset + unit))) }
            } else {
                for index in 0..<length { characters.append(try data.uint8(offset + index)) }
            }
            let allowed = characters.filter { $0 > 0x20 && $0 < 0x7F && !"[](){}<>/%#".utf8.contains($0) }
            if !allowed.isEmpty { return String(decoding: allowed.prefix(63), as: UTF8.self) }
        }
        return nil
    }
}
