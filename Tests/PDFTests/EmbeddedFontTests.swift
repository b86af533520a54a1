import Foundation
@testable import PDF
import Testing
import TestSupport

/// The shipped Liberation Sans, parsed once for the whole suite.
enum ShippedFonts {
    static let directory = Paths.packageRoot.appendingPathComponent("Templates/fonts")
    static let regular = load("LiberationSans-Regular.ttf")
    static let bold = load("LiberationSans-Bold.ttf")
    static let italic = load("LiberationSans-Italic.ttf")

    static func load(_ name: String) -> PDFFont {
        do {
            return try PDFFont(contentsOf: directory.appendingPathComponent(name))
        } catch {
            Issue.record("cannot load \(name): \(error)")
            return .helvetica
        }
    }

    static func trueType(_ font: PDFFont) throws -> TrueTypeFont {
        guard case .trueType(let trueType) = font.storage else { throw PDFError.malformedFont("not embedded") }
        return trueType
    }
}

@Suite struct EmbeddedFontTests {
    static let names = "Zoë Łódź-Dvořák, Ærøskøbing, Ğebze, 東京"

    // Mutation (mutants.tsv ttf-substitute-non-ascii): TrueTypeFont.shape returns the substitute glyph for every non-ASCII scalar → the
    // extracted text loses ë, Ł, ó … and this test fails. Mutation (mutants.tsv tounicode-glyph0): ToUnicode maps each CID to
    // the old glyph id's code point of glyph 0 → pdftotext prints nothing useful → fails.
    @Test func everyCharacterTheFontHasExtractsExactly() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        let result = page.drawText(Self.names, x: 56, y: 100, font: ShippedFonts.regular, size: 12)
        page.drawText("Straße 1’234.50 € – „Zitat“ Șoseaua Kőszegi", x: 56, y: 130, font: ShippedFonts.bold)
        page.drawText("Cafe\u{0301} Mu\u{0308}ller", x: 56, y: 160, font: ShippedFonts.italic)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)

        let text = try toolbox.text(path, layout: false)
        #expect(text.contains("Zoë Łódź-Dvořák, Ærøskøbing, Ğebze, □□"), "\(text)")
        #expect(text.contains("Straße 1’234.50 € – „Zitat“ Șoseaua Kőszegi"), "\(text)")
        #expect(text.contains("Café Müller"), "\(text)")
        // Liberation Sans has no CJK: 東 and 京 are reported, each once, drawn as □.
        #expect(result.substitutions.map(\.original) == ["東", "京"])
        #expect(result.substitutions.allSatisfy { $0.replacement == "□" && $0.kind == .replaced })
        #expect(document.substitutions.map(\.original) == ["東", "京"])
    }

    // Mutation (mutants.tsv fontfile2-missing): DocumentFonts writes `/Subtype /TrueType` without FontFile2 → pdffonts shows
    // "emb no" and this test fails. Mutation (mutants.tsv subset-tag-dropped): the subset tag is dropped → the name check fails.
    @Test func pdffontsListsOnlyEmbeddedSubsetCIDFonts() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var document = PDFDocument()
        for font in [ShippedFonts.regular, ShippedFonts.bold, ShippedFonts.italic] {
            var page = PDFPage()
            page.drawText("Rechnung Łódź", x: 56, y: 100, font: font)
            page.drawText("Total", x: 56, y: 120, font: ShippedFonts.regular)
            document.append(page)
        }
        let path = try toolbox.save(document)

        let listing = try toolbox.shell("pdffonts '\(path)'").stdout.split(separator: "\n").dropFirst(2)
        #expect(listing.count == 3, "one font object per font, shared by the pages: \(listing)")
        for line in listing {
            let columns = line.split(separator: " ", omittingEmptySubsequences: true)
            #expect(columns[0].wholeMatch(of: /[A-Z]{6}\+LiberationSans(-Bold|-Italic)?/) != nil, "\(line)")
            #expect(line.contains("CID TrueType"), "\(line)")
            #expect(line.contains("Identity-H"), "\(line)")
            #expect(line.contains(" yes yes yes "), "emb sub uni: \(line)")
        }
        let check = try toolbox.qpdfCheck(path)
        #expect(check.status == 0, "\(check.stdout)")
        #expect(!check.stdout.localizedCaseInsensitiveContains("warning"))
        // Poppler complains on stderr about a font it cannot read.
        let render = try toolbox.shell("pdftoppm -r 30 '\(path)' '\(toolbox.directory.path("r"))' 2>&1")
        #expect(render.status == 0 && render.stdout.isEmpty, "\(render.stdout)")
    }

    // Mutation (mutants.tsv checksum-adjustment-skipped): TrueTypeFont.assemble skips `checkSumAdjustment` → the Python check below
    // reports it and this test fails (checked).
    @Test func theEmbeddedSubsetIsAWellFormedTrueTypeFileThatPikepdfOpens() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        page.drawText(Self.names + " ǺǼǾ ǻǽǿ", x: 56, y: 100, font: ShippedFonts.regular)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)
        let result = try toolbox.python("""
            import pikepdf, struct
            pdf = pikepdf.open(r'\(path)')
            font = pdf.pages[0].Resources.Font['/F1']
            cid = font.DescendantFonts[0]
            assert font.Subtype == '/Type0' and font.Encoding == '/Identity-H', font
            assert cid.Subtype == '/CIDFontType2' and cid.CIDToGIDMap == '/Identity', cid
            data = cid.FontDescriptor.FontFile2.read_bytes()
            assert int(cid.FontDescriptor.FontFile2.Length1) == len(data)
            count = struct.unpack('>H', data[4:6])[0]
            def checksum(b):
                b = b + b'\\0' * (-len(b) % 4)
                return sum(struct.unpack('>%dI' % (len(b) // 4), b)) & 0xFFFFFFFF
            tables = {}
            for i in range(count):
                tag, cs, off, ln = struct.unpack('>4sIII', data[12 + 16 * i: 28 + 16 * i])
                body = data[off:off + ln]
                if tag == b'head':
                    body = body[:8] + b'\\0\\0\\0\\0' + body[12:]
                assert checksum(body) == cs, (tag, 'checksum')
                tables[tag] = data[off:off + ln]
            whole = bytearray(data); hoff = data.index(tables[b'head'])
            adjustment = struct.unpack('>I', data[hoff + 8:hoff + 12])[0]
            whole[hoff + 8:hoff + 12] = b'\\0\\0\\0\\0'
            assert (0xB1B0AFBA - checksum(bytes(whole))) & 0xFFFFFFFF == adjustment, 'checkSumAdjustment'
            glyphs = struct.unpack('>H', tables[b'maxp'][4:6])[0]
            long_loca = struct.unpack('>h', tables[b'head'][50:52])[0] == 1
            assert len(tables[b'loca']) == (glyphs + 1) * (4 if long_loca else 2)
            assert len(tables[b'hmtx']) == glyphs * 4
            widths = [int(round(float(w))) for w in cid.W[1]]
            assert len(widths) == glyphs, (len(widths), glyphs)
            check = getattr(pdf, 'check_pdf_syntax', None) or getattr(pdf, 'check')
            print('ok', glyphs, len(data), check())
            """)
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.hasPrefix("ok "), "\(result.stdout)")
        #expect(result.stdout.hasSuffix("[]\n"), "pikepdf's check finds no problem: \(result.stdout)")
        let size = Int(result.stdout.split(separator: " ")[2]) ?? .max
        #expect(size < 20_000, "the subset is far smaller than the 410 KB font: \(size) bytes")
    }

    // Mutation (mutants.tsv subset-no-closure): subset() skips the component closure → the composite's components are missing
    // from the subset (they point at .notdef) and this test fails (checked).
    @Test func compositeGlyphsKeepTheirComponents() throws {
        let font = try ShippedFonts.trueType(ShippedFonts.regular)
        // The first character (Latin-1 / Latin Extended-A) whose glyph is built from components.
        let character = try #require((0xC0...0x17F).compactMap(Unicode.Scalar.init).first { scalar in
            font.components[font.glyph(for: scalar.value)] != nil
        })
        let glyph = font.glyph(for: character.value)
        var drawn = GlyphSet(capacity: font.glyphCount)
        drawn.insert(glyph)
        let subset = font.subset(drawn)
        for component in font.components[glyph] ?? [] {
            #expect(subset.newIDs[Int(component)] != 0, "component \(component) of \(character) is in the subset")
        }

        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        var page = PDFPage()
        page.drawText(String(character), x: 100, y: 200, font: ShippedFonts.regular, size: 120)
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)
        let raster = try toolbox.raster(path)
        var ink = 0
        for y in stride(from: 120, to: 200, by: 4) {
            for x in stride(from: 100, to: 180, by: 4) where raster.red(x: x, y: y) < 128 { ink += 1 }
        }
        #expect(ink > 20, "\(character) renders with ink: \(ink) dark samples")
    }

    // Mutation (mutants.tsv width-standard-table): drawText measures embedded fonts with the standard Helvetica table → the
    // Liberation "Wj" pairs below drift and xMax misses 500 → this test fails.
    @Test func rightAlignedTextEndsAtXWithWidthsFromHmtx() throws {
        let toolbox = try PDFToolbox()
        defer { toolbox.remove() }
        let samples = ["1’234.50", "Łódź Wjf", "99’999.95 €", "ǺǼǾ", "iiiiiiii"]
        var page = PDFPage()
        for (index, sample) in samples.enumerated() {
            page.drawText(sample, x: 500, y: 100 + Double(index) * 20,
                          font: index.isMultiple(of: 2) ? ShippedFonts.regular : ShippedFonts.bold, alignment: .right)
        }
        var document = PDFDocument()
        document.append(page)
        let path = try toolbox.save(document)
        let bbox = try toolbox.shell("pdftotext -bbox '\(path)' -").stdout
        let lines = bbox.split(separator: "\n").filter { $0.contains("<word") }
        var lastXMax: [Double] = []
        var previousY = -1.0
        for line in lines {
            let yMin = Self.attribute("yMin", line), xMax = Self.attribute("xMax", line)
            if abs(yMin - previousY) > 1 { lastXMax.append(xMax) } else { lastXMax[lastXMax.count - 1] = xMax }
            previousY = yMin
        }
        #expect(lastXMax.count == samples.count, "\(bbox)")
        for xMax in lastXMax { #expect(abs(xMax - 500) < 0.01, "ends at \(xMax)") }
    }

    // Mutation (mutants.tsv width-per-1000): PDFFont.width ignores unitsPerEm (divides by 1000) → every width is 2.048× too
    // wide and this test fails.
    @Test func liberationSansIsMetricCompatibleWithHelvetica() {
        let ascii = (0x20...0x7E).map { String(UnicodeScalar(UInt8($0))) }
        for character in ascii {
            let ours = ShippedFonts.regular.width(of: character, size: 1000)
            let helvetica = PDFFont.helvetica.width(of: character, size: 1000)
            #expect(abs(ours - helvetica) < 1.5, "\(character): \(ours) vs \(helvetica)")
            let bold = ShippedFonts.bold.width(of: character, size: 1000)
            #expect(abs(bold - PDFFont.helveticaBold.width(of: character, size: 1000)) < 1.5, "bold \(character)")
        }
        #expect(ShippedFonts.regular.name == "LiberationSans")
        #expect(ShippedFonts.bold.name == "LiberationSans-Bold")
        #expect(ShippedFonts.italic.name == "LiberationSans-Italic")
    }

    @Test func wrappingMeasuresWithTheEmbeddedWidths() {
        let text = "Zahlbar innert 30 Tagen ohne Abzug an Łódź-Dvořák. Bitte verwenden Sie den Einzahlungsschein."
        for width in [80.0, 150, 300] {
            let lines = ShippedFonts.regular.lines(wrapping: text, size: 10, width: width)
            #expect(lines.count > 1)
            for line in lines { #expect(ShippedFonts.regular.width(of: line, size: 10) <= width) }
            if width > 100 { #expect(lines.joined(separator: " ") == text) }
        }
    }

    // Mutation (mutants.tsv subset-tag-random): DocumentFonts.tag hashes a random or time-based seed → two renders differ → fails.
    @Test func theSameInputGivesTheSameBytes() throws {
        func make(_ font: PDFFont) -> [UInt8] {
            var page = PDFPage()
            page.drawText(Self.names, x: 56, y: 100, font: font)
            var document = PDFDocument()
            document.append(page)
            return document.render()
        }
        #expect(make(ShippedFonts.regular) == make(ShippedFonts.regular))
        // A font loaded afresh makes its subset anew (the shared one reuses its cached subset): same bytes.
        let url = URL(fileURLWithPath: ShippedFonts.directory.appendingPathComponent("LiberationSans-Regular.ttf").path)
        #expect(make(try PDFFont(contentsOf: url)) == make(ShippedFonts.regular))
    }

    @Test func invisibleAndControlCharactersAreNotReported() {
        var page = PDFPage()
        let result = page.drawText("a\u{00AD}b\u{200B}c\td\u{FEFF}e\u{2011}f\u{202F}g", x: 10, y: 10,
                                   font: ShippedFonts.regular)
        #expect(result.substitutions.isEmpty)
        #expect(result.width == ShippedFonts.regular.width(of: "abc de-f\u{202F}g", size: 10))
    }

    @Test func anEmojiWithItsModifierIsOneSubstitution() {
        var page = PDFPage()
        let result = page.drawText("ok 👍🏽 Иван", x: 10, y: 10, font: ShippedFonts.regular)
        // Liberation Sans has Cyrillic; the emoji with its skin tone is one character.
        #expect(result.substitutions.map(\.original) == ["👍🏽"])
        #expect(result.width == ShippedFonts.regular.width(of: "ok □ Иван", size: 10))
    }

    // Mutation (mutants.tsv cmap-no-format12): characterMap ignores format 12 subtables → 𝐀 (U+1D400) maps to nothing → fails.
    @Test func cmapFormat12MapsCodePointsBeyondTheBasicPlane() throws {
        var table: [UInt8] = []
        table.appendUInt16(0)  // version
        table.appendUInt16(1)  // one encoding record
        table.appendUInt16(3)
        table.appendUInt16(10)
        table.appendUInt32(12)
        table.appendUInt16(12)  // format 12
        table.appendUInt16(0)
        table.appendUInt32(16 + 2 * 12)
        table.appendUInt32(0)
        table.appendUInt32(2)  // groups
        for (first, last, glyph) in [(UInt32(0x41), UInt32(0x43), UInt32(5)), (0x1D400, 0x1D401, 9)] {
            table.appendUInt32(first)
            table.appendUInt32(last)
            table.appendUInt32(glyph)
        }
        let map = try TrueTypeFont.characterMap(FontData(table), at: 0, glyphCount: 20)
        #expect(map.basic[0x41] == 5 && map.basic[0x43] == 7 && map.basic[0x44] == 0)
        #expect(map.supplementary[0x1D400] == 9 && map.supplementary[0x1D401] == 10)
    }

    // Mutation (mutants.tsv fstype-check-removed): the OS/2 fsType check is removed → a restricted font is embedded → fails.
    @Test func fontsThatMayNotBeEmbeddedOrAreDamagedAreRefused() throws {
        let url = ShippedFonts.directory.appendingPathComponent("LiberationSans-Regular.ttf")
        var bytes = [UInt8](try Data(contentsOf: url))
        #expect(throws: Never.self) { try TrueTypeFont(bytes: bytes) }
        let os2 = try #require(try TrueTypeFont(bytes: bytes).tables["OS/2"])
        bytes.setUInt16(0x0002, at: os2.lowerBound + 8)
        #expect(throws: PDFError.malformedFont("its licence forbids embedding it (OS/2 fsType: restricted)")) {
            try TrueTypeFont(bytes: bytes)
        }
        let original = [UInt8](try Data(contentsOf: url))
        for length in [0, 11, 300, 5000, original.count / 2] {
            #expect(throws: PDFError.self) { try TrueTypeFont(bytes: Array(original.prefix(length))) }
        }
        #expect(throws: PDFError.self) { try TrueTypeFont(bytes: Array("not a font at all".utf8)) }
    }

    static func attribute(_ name: String, _ line: Substring) -> Double {
        guard let range = line.range(of: "\(name)=\"") else { return .nan }
        return Double(line[range.upperBound...].prefix { $0 != "\"" }) ?? .nan
    }
}
