/// Column layout for terminal tables by display width, not by character count: a CJK ideograph,
/// kana or a full-width form takes two terminal cells, a combining mark none (East Asian Width,
/// Unicode UAX #11), so `list` columns stay aligned under 株式会社 names.
extension String {
    /// The number of terminal cells the text takes.
    var displayWidth: Int { reduce(0) { $0 + $1.displayWidth } }

    /// Pads with spaces to `width` cells; a text as wide or wider gets one space so columns never touch.
    func padding(_ width: Int) -> String {
        let used = displayWidth
        return used >= width ? self + " " : self + String(repeating: " ", count: width - used)
    }

    /// Right-aligns in `width` cells (a wider text is left as it is).
    func leftPadded(_ width: Int) -> String {
        let used = displayWidth
        return used >= width ? self : String(repeating: " ", count: width - used) + self
    }

    /// At most `width` cells: a longer text is cut and ends in "…".
    func truncated(_ width: Int) -> String {
        guard displayWidth > width else { return self }
        var out = "", used = 0
        for character in self {
            let cells = character.displayWidth
            if used + cells > width - 1 { break }
            out.append(character)
            used += cells
        }
        return out + "…"
    }
}

extension Character {
    /// Terminal cells of one grapheme: 2 for East Asian Wide and Fullwidth, 0 for a lone combining
    /// mark or zero-width character, else 1 (emoji presentation counts as wide).
    var displayWidth: Int {
        guard let first = unicodeScalars.first else { return 0 }
        let v = first.value
        if v == 0x200B || v == 0x200C || v == 0x200D || v == 0xFEFF { return 0 }
        if first.properties.generalCategory == .nonspacingMark || first.properties.generalCategory == .enclosingMark { return 0 }
        if unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA, 0x26FD,
             0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757, 0x2795...0x2797,
             0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18AFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F,
             0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}
