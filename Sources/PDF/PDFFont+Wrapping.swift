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

    /// The height `text` takes when wrapped to `width`: the number of lines × `leading`
    /// (default `defaultLeading(size:)`); 0 for empty text.
    public func height(wrapping text: String, size: Double, width: Double, leading: Double? = nil) -> Double {
        let count = lines(wrapping: text, size: size, width: width).count
        return Double(count) * (leading ?? defaultLeading(size: size))
    }
}
