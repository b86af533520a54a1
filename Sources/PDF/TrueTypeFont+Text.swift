import Foundation

extension TrueTypeFont {
    /// `text` as glyph ids (no kerning, no ligatures), composed to NFC first so `e` + U+0301
    /// draws the font's `é`.
    ///
    /// Line breaks, tabs and other control characters draw as spaces; invisible format
    /// characters (soft hyphen, zero-width space and joiners, variation selectors, BOM) draw
    /// nothing; a missing typographic space or hyphen falls back to the plain one. Any other
    /// character the font lacks draws as `substituteCharacter` (□) and is reported, once per
    /// call, as a `PDFSubstitution` of the whole character (an emoji with its modifiers is one).
    func shape(_ text: String) -> ShapedText {
        var codes: [UInt16] = []
        codes.reserveCapacity(text.utf8.count)
        var units = 0
        let clean = forEachPlainGlyph(in: text) { glyph, advance in
            codes.append(glyph)
            units &+= advance
        }
        if clean { return ShapedText(codes: codes, units: units, substitutions: []) }

        codes.removeAll(keepingCapacity: true)
        units = 0
        var substitutions: [PDFSubstitution] = []
        for character in text.precomposedStringWithCanonicalMapping {
            let start = codes.count
            var missing = false
            for scalar in character.unicodeScalars {
                let glyph = resolve(scalar.value)
                if glyph == Self.dropped { continue }
                if glyph == 0 {
                    missing = true
                    break
                }
                codes.append(glyph)
            }
            if missing {
                codes.removeSubrange(start...)
                codes.append(substituteGlyph)
                let substitution = PDFSubstitution(original: character, replacement: String(substituteCharacter),
                                                   kind: .replaced)
                if !substitutions.contains(substitution) { substitutions.append(substitution) }
            }
            for code in codes[start...] { units &+= Int(advances[Int(code)]) }
        }
        return ShapedText(codes: codes, units: units, substitutions: substitutions)
    }

    /// The width of `word` in font units, as `shape` would draw it.
    func units<S: StringProtocol>(of word: S) -> Int {
        var units = 0
        let clean = forEachPlainGlyph(in: word) { _, advance in units &+= advance }
        return clean ? units : shape(String(word)).units
    }

    /// The fast path of `shape` and `units(of:)`: hands each glyph of `text` and its advance to `body`,
    /// skipping characters that draw nothing. Returns false, having stopped early, at the first combining
    /// mark or missing glyph: such text needs NFC composition and substitutes (the slow path of `shape`).
    @inline(__always)
    private func forEachPlainGlyph<S: StringProtocol>(in text: S, _ body: (UInt16, Int) -> Void) -> Bool {
        advances.withUnsafeBufferPointer { advances in
            for scalar in text.unicodeScalars {
                let value = scalar.value
                if Self.isCombining(value) { return false }
                let glyph = resolve(value)
                if glyph == Self.dropped { continue }
                if glyph == 0 { return false }
                body(glyph, Int(advances[Int(glyph)]))
            }
            return true
        }
    }

    /// A marker glyph id for characters that draw nothing.
    static let dropped: UInt16 = 0xFFFF

    /// The glyph drawn for one code point: its own, a plain fallback, `dropped`, or 0 (missing).
    @inline(__always)
    func resolve(_ value: UInt32) -> UInt16 {
        if value < 0x20 || (0x7F...0x9F).contains(value) { return basicPlane[0x20] }
        let glyph = value < 0x10000 ? basicPlane[Int(value)] : supplementary[value] ?? 0
        if glyph != 0, value >= 0xAD {
            return Self.isInvisible(value) ? Self.dropped : glyph
        }
        if glyph != 0 { return glyph }
        if Self.isInvisible(value) { return Self.dropped }
        switch value {
        case 0xA0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000: return basicPlane[0x20]
        case 0x2010, 0x2011, 0x2012, 0x2212: return basicPlane[0x2D]
        default: return 0
        }
    }

    /// Format characters with no visible form.
    @inline(__always)
    static func isInvisible(_ value: UInt32) -> Bool {
        switch value {
        case 0xAD, 0x200B...0x200F, 0x2060...0x2064, 0xFE00...0xFE0F, 0xFEFF, 0xE0100...0xE01EF: true
        default: false
        }
    }

    /// Combining marks, which NFC may compose with the letter before them.
    @inline(__always)
    static func isCombining(_ value: UInt32) -> Bool {
        switch value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F,
             0x3099, 0x309A: true
        default: false
        }
    }
}
