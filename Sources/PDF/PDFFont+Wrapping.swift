extension PDFFont {
    /// The default distance between baselines of wrapped lines: 1.2 × the font size.
    public func defaultLeading(size: Double) -> Double {
        size * 1.2
    }

    /// Splits `text` into lines no wider than `width` points at `size`.
    ///
    /// Lines break at spaces (runs of spaces collapse into one); a word wider than `width`
    /// is broken between characters. Line breaks in `text` start a new line, and empty lines
    /// are kept. Widths are measured after character substitution, so they match what is drawn.
    public func lines(wrapping text: String, size: Double, width: Double) -> [String] {
        guard !text.isEmpty, size > 0 else { return [] }
        let limit = max(width, 0) * Double(unitsPerEm) / size + 1e-9
        // Most text of an invoice is Latin with some punctuation, where every scalar is a character
        // of its own (CR LF aside): it can be wrapped scalar by scalar, without breaking it into
        // grapheme clusters twice. Same lines as below.
        if case .trueType(let font) = storage, TrueTypeFont.isOneScalarPerCharacter(text) {
            return font.lines(wrappingLatin: text, limit: limit)
        }
        return lines(wrappingCharacters: text, limit: limit)
    }

    /// The general path of `lines(wrapping:size:width:)`, character by character; `limit` is the
    /// width in font units.
    func lines(wrappingCharacters text: String, limit: Double) -> [String] {
        let spaceUnits = units(of: " ")
        var lines: [String] = []

        for paragraph in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let words = paragraph.split(whereSeparator: { $0 == " " || $0 == "\t" })
            var line = ""
            var lineUnits = 0
            for word in words {
                let wordUnits = units(of: word)
                if !line.isEmpty {
                    if Double(lineUnits + spaceUnits + wordUnits) <= limit {
                        line += " "
                        line += word
                        lineUnits += spaceUnits + wordUnits
                        continue
                    }
                    lines.append(line)
                    line = ""
                    lineUnits = 0
                }
                if Double(wordUnits) <= limit {
                    line = String(word)
                    lineUnits = wordUnits
                    continue
                }
                for character in word {
                    let characterUnits = units(of: String(character))
                    if !line.isEmpty && Double(lineUnits + characterUnits) > limit {
                        lines.append(line)
                        line = ""
                        lineUnits = 0
                    }
                    line.append(character)
                    lineUnits += characterUnits
                }
            }
            lines.append(line)
        }
        return lines
    }

    /// Whether every character of `text` is a single Unicode scalar (CR LF aside), so that it can
    /// be measured or counted scalar by scalar: Latin text with common punctuation and currency
    /// signs. False for combining marks, emoji sequences, most other scripts.
    public static func isOneScalarPerCharacter(_ text: String) -> Bool {
        TrueTypeFont.isOneScalarPerCharacter(text)
    }

    /// The height `text` takes when wrapped to `width`: the number of lines × `leading`
    /// (default `defaultLeading(size:)`); 0 for empty text.
    public func height(wrapping text: String, size: Double, width: Double, leading: Double? = nil) -> Double {
        let count = lines(wrapping: text, size: size, width: width).count
        return Double(count) * (leading ?? defaultLeading(size: size))
    }
}

extension TrueTypeFont {
    /// Whether every scalar of `text` is a character of its own (CR LF aside) and no line
    /// separator beyond NEL: Latin, Latin-1 and Latin Extended below U+0300 (no combining marks
    /// there), dashes, quotes, bullets and the ellipsis (U+2010–2027), per mille, primes and
    /// guillemets (U+2030–205E), currency signs (U+20A0–20C0) and ™. None of them joins a
    /// grapheme cluster with its neighbours (Unicode grapheme break property Other or Control).
    static func isOneScalarPerCharacter(_ text: String) -> Bool {
        if text.utf8.allSatisfy({ $0 < 0xCC }) { return true }
        return text.unicodeScalars.allSatisfy { scalar in
            switch scalar.value {
            case 0..<0x300, 0x2010...0x2027, 0x2030...0x205E, 0x20A0...0x20C0, 0x2122: true
            default: false
            }
        }
    }

    /// `PDFFont.lines(wrapping:size:width:)` for text of which `isOneScalarPerCharacter` holds:
    /// `limit` is the width in font units. Breaks at spaces and tabs, starts a line at LF, VT, FF,
    /// CR, CR LF and NEL, like the general path.
    func lines(wrappingLatin text: String, limit: Double) -> [String] {
        var lines: [String] = []
        var line = ""
        var lineUnits = 0
        let spaceUnits = units(of: " ")
        func advance(_ scalar: Unicode.Scalar) -> Int {
            let glyph = resolve(scalar.value)
            if glyph == Self.dropped { return 0 }
            return Int(advances[Int(glyph == 0 ? substituteGlyph : glyph)])
        }
        func place(_ range: Range<String.Index>, _ wordUnits: Int) {
            if !line.isEmpty {
                if Double(lineUnits + spaceUnits + wordUnits) <= limit {
                    line += " "
                    line += text[range]
                    lineUnits += spaceUnits + wordUnits
                    return
                }
                lines.append(line)
                line = ""
                lineUnits = 0
            }
            if Double(wordUnits) <= limit {
                line = String(text[range])
                lineUnits = wordUnits
                return
            }
            for scalar in text.unicodeScalars[range] {
                let units = advance(scalar)
                if !line.isEmpty && Double(lineUnits + units) > limit {
                    lines.append(line)
                    line = ""
                    lineUnits = 0
                }
                line.unicodeScalars.append(scalar)
                lineUnits += units
            }
        }
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        var wordStart: String.Index?
        var wordUnits = 0
        while index < scalars.endIndex {
            let scalar = scalars[index]
            switch scalar.value {
            case 0x20, 0x09:
                if let start = wordStart { place(start..<index, wordUnits) }
                wordStart = nil
            case 0x0A, 0x0B, 0x0C, 0x0D, 0x85:
                if let start = wordStart { place(start..<index, wordUnits) }
                wordStart = nil
                lines.append(line)
                line = ""
                lineUnits = 0
                let next = scalars.index(after: index)
                if scalar.value == 0x0D, next < scalars.endIndex, scalars[next].value == 0x0A { index = next }
            default:
                if wordStart == nil {
                    wordStart = index
                    wordUnits = 0
                }
                wordUnits += advance(scalar)
            }
            index = scalars.index(after: index)
        }
        if let start = wordStart { place(start..<scalars.endIndex, wordUnits) }
        lines.append(line)
        return lines
    }
}
