extension PDFPage {
    /// Draws one line of text with its baseline at `y`.
    ///
    /// `alignment` says what `x` is: the start (`.left`), the middle (`.center`) or the end
    /// (`.right`, so amounts in a column end at the same x). Line breaks and tabs are drawn
    /// as spaces; use `drawParagraph` for wrapped text. Characters the font lacks are drawn as a
    /// substitute (see `PDFSubstitution`) and reported in the result and in `substitutions`.
    @discardableResult
    public mutating func drawText(_ text: String, x: Double, y: Double, font: PDFFont = .helvetica,
                                  size: Double = 10, color: PDFColor = .black,
                                  alignment: PDFTextAlignment = .left) -> PDFTextResult {
        let shaped = font.shape(text)
        let width = Double(shaped.units) * size / Double(font.unitsPerEm)
        let startX = switch alignment {
        case .left: x
        case .center: x - width / 2
        case .right: x - width
        }
        setFill(color)
        let slot = slot(for: font)
        if !shaped.substitutions.isEmpty { record(shaped.substitutions) }
        content.append("BT /F")
        content.append(slot + 1)
        content.appendSpace()
        content.append(size)
        content.append(" Tf ")
        content.append(startX)
        content.appendSpace()
        content.append(self.size.height - y)
        content.append(" Td ")
        if font.isEmbedded {
            appendGlyphs(shaped.codes, slot: slot)
        } else {
            content.appendLiteralString(shaped.codes.map { UInt8(truncatingIfNeeded: $0) })
        }
        content.append(" Tj ET\n")
        return PDFTextResult(width: width, height: 0, substitutions: shaped.substitutions)
    }

    /// Wraps `text` to `width` (see `PDFFont.lines(wrapping:size:width:)`) and draws it
    /// from `top` downwards: the first baseline sits `font.ascender × size` below `top`,
    /// the next ones `leading` apart. With `.center` or `.right`, lines are aligned within
    /// the box from `x` to `x + width`. The result's `height` is lines × leading.
    @discardableResult
    public mutating func drawParagraph(_ text: String, x: Double, top: Double, width: Double,
                                       font: PDFFont = .helvetica, size: Double = 10,
                                       leading: Double? = nil, color: PDFColor = .black,
                                       alignment: PDFTextAlignment = .left) -> PDFTextResult {
        let lineHeight = leading ?? font.defaultLeading(size: size)
        let lines = font.lines(wrapping: text, size: size, width: width)
        let anchorX = switch alignment {
        case .left: x
        case .center: x + width / 2
        case .right: x + width
        }
        var baseline = top + font.ascender * size
        var widest = 0.0
        var substitutions: [PDFSubstitution] = []
        for line in lines {
            if !line.isEmpty {
                let result = drawText(line, x: anchorX, y: baseline, font: font, size: size,
                                      color: color, alignment: alignment)
                widest = max(widest, result.width)
                for substitution in result.substitutions where !substitutions.contains(substitution) {
                    substitutions.append(substitution)
                }
            }
            baseline += lineHeight
        }
        return PDFTextResult(width: widest, height: Double(lines.count) * lineHeight,
                             substitutions: substitutions)
    }
}
