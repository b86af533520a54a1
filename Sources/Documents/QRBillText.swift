import Foundation

/// Text as the Swiss QR code may carry it (IG QR-bill 2.3, §4.1.1): only Basic Latin
/// (U+0020–U+007E), Latin-1 Supplement (U+00A0–U+00FF), Latin Extended-A (U+0100–U+017F),
/// Ș ș Ț ț (U+0218–U+021B) and € (U+20AC).
///
/// Other characters are transliterated where a reader would recognise the result (’ → ',
/// “ → ", – → -, … → ..., ﬁ → fi, Д → D, 東京 → dong jing) and dropped otherwise (emoji); each change
/// is reported so the caller can warn. The slip prints the same cleaned text the code holds.
enum QRBillText {
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF, 0x100...0x17F, 0x218...0x21B, 0x20AC: true
        default: false
        }
    }

    /// Whether `text` needs no cleaning: every scalar is in the set (so no control character) and
    /// below U+0300, where no two scalars compose, so the text is already in NFC as `clean` makes it.
    static func isWithinSetAndComposed(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.value < 0x300 && isAllowed($0) }
    }

    /// Replacements where the general rules below would drop or mangle a common character.
    private static let table: [Unicode.Scalar: String] = [
        "\u{2018}": "'", "\u{2019}": "'", "\u{201A}": "'", "\u{201B}": "'", "\u{2032}": "'", "\u{2039}": "'",
        "\u{203A}": "'", "\u{02BC}": "'", "\u{201C}": "\"", "\u{201D}": "\"", "\u{201E}": "\"", "\u{201F}": "\"",
        "\u{2033}": "\"", "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2013}": "-", "\u{2014}": "-",
        "\u{2015}": "-", "\u{2212}": "-", "\u{2026}": "...", "\u{2022}": "-", "\u{1E9E}": "SS", "\u{2122}": "TM",
        "\u{200B}": "", "\u{200C}": "", "\u{200D}": "", "\u{2060}": "", "\u{FEFF}": "", "\u{FE0F}": "",
    ]

    /// Kana (hiragana, katakana, half-width katakana): the text is Japanese.
    static func hasKana(_ text: String) -> Bool {
        text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) || (0x31F0...0x31FF).contains($0.value)
            || (0xFF66...0xFF9F).contains($0.value) }
    }

    /// Han ideographs (CJK unified, extension A and beyond, compatibility ideographs).
    static func isHan(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3FFFF: true
        default: false
        }
    }

    static func hasHan(_ text: String) -> Bool { text.unicodeScalars.contains(where: isHan) }

    /// `text` within the character set, and what was changed (`replacement` empty: dropped).
    ///
    /// `japanese`: kana become Hepburn romaji (やまだ → yamada), but kanji are dropped instead of
    /// transliterated: ICU reads every Han character in Mandarin (山田 → shan tian, 株式会社 → zhu shi
    /// hui she), which is no one's name, and a Japanese reading needs a dictionary of names.
    static func clean(_ text: String, japanese: Bool = false) -> (text: String, changes: [CharacterSubstitution]) {
        let composed = text.precomposedStringWithCanonicalMapping
        if composed.unicodeScalars.allSatisfy(isAllowed) { return (composed, []) }
        var out = String.UnicodeScalarView()
        var changes: [CharacterSubstitution] = []
        var run = String.UnicodeScalarView()
        func flush() {
            guard !run.isEmpty else { return }
            out.append(contentsOf: transliterate(String(run), japanese: japanese).unicodeScalars)
            for scalar in run {
                let change = CharacterSubstitution(original: Character(scalar),
                                                   replacement: transliterate(String(scalar), japanese: japanese))
                if !changes.contains(change) { changes.append(change) }
            }
            run = String.UnicodeScalarView()
        }
        for scalar in composed.unicodeScalars {
            if isAllowed(scalar) {
                flush()
                out.append(scalar)
            } else {
                run.append(scalar)
            }
        }
        flush()
        return (String(out), changes)
    }

    /// A run of characters outside the set, as a whole so that scripts keep their word breaks (東京 → dōng jīng).
    private static func transliterate(_ run: String, japanese: Bool) -> String {
        var fixed = String.UnicodeScalarView()
        for scalar in run.unicodeScalars {
            if japanese && isHan(scalar) {
                // Dropped (see `clean`); a space keeps the kana around it apart.
                fixed.append(" ")
            } else if let replacement = table[scalar] {
                fixed.append(contentsOf: replacement.unicodeScalars)
            } else if scalar.properties.generalCategory == .spaceSeparator {
                fixed.append(" ")
            } else {
                fixed.append(scalar)
            }
        }
        // Compatibility forms first (ﬁ → fi, full-width letters), then scripts to Latin; what is still
        // outside loses its accents or is dropped.
        let latin = String(fixed).precomposedStringWithCompatibilityMapping
            .applyingTransform(.toLatin, reverse: false)?.precomposedStringWithCanonicalMapping ?? String(fixed)
        var out = String.UnicodeScalarView()
        for scalar in latin.unicodeScalars {
            if isAllowed(scalar) {
                out.append(scalar)
            } else if let plain = String(scalar).applyingTransform(.stripDiacritics, reverse: false),
                      !plain.isEmpty, plain.unicodeScalars.allSatisfy(isAllowed) {
                out.append(contentsOf: plain.unicodeScalars)
            }
        }
        return String(out)
    }
}
