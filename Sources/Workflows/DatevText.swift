import Foundation

/// DATEV's text rules (issue 22): Windows-1252, texts in double quotes with quotes doubled, no line
/// breaks or control characters, Belegfeld 1 of letters, digits and `$ & % * + - / _` only.
/// Characters Windows-1252 lacks are transliterated, never refused: a letter with a diacritic DATEV's
/// code page does not have becomes its base letter (ř → r, ő → o, ğ → g), a few letters without a
/// decomposition by a table (Ł → L, đ → d, ı → i), anything else `?`.
enum DatevText {
    /// The Unicode scalars of the Windows-1252 codes 0x80–0x9F (0 = unused).
    private static let upperRange: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    private static let table: [Unicode.Scalar: String] = [
        "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i", "Ŧ": "T", "ŧ": "t",
        "Ŀ": "L", "ŀ": "l", "Ŋ": "N", "ŋ": "n", "ſ": "s", "Ə": "E", "ə": "e",
        "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2015}": "-", "\u{2212}": "-",
    ]

    /// The Windows-1252 byte of `scalar`, nil when the code page lacks it.
    static func code(_ scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        switch value {
        case 0x20..<0x7F, 0xA0...0xFF: return UInt8(value)
        case 0x0D, 0x0A: return UInt8(value)
        case 0x152...0x2122:
            if let index = upperRange.firstIndex(of: value) { return UInt8(0x80 + index) }
            return nil
        default: return nil
        }
    }

    /// `text` with only Windows-1252 characters: control characters become spaces, the rest as above.
    static func transliterated(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) { out.append(" "); continue }
            if code(scalar) != nil { out.append(scalar); continue }
            if let replacement = table[scalar] { out.append(contentsOf: replacement.unicodeScalars); continue }
            let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.filter { code($0) != nil }
            if !base.isEmpty, base.count < String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.count {
                out.append(contentsOf: base)
            } else if (0x300...0x36F).contains(scalar.value) {
                continue
            } else {
                out.append("?")
            }
        }
        return String(out)
    }

    /// At most `length` characters.
    static func cut(_ text: String, _ length: Int) -> String { String(text.prefix(length)) }

    /// A DATEV text field: in double quotes, quotes doubled.
    static func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// Belegfeld 1, the key DATEV clears open items by: letters, digits and `$ & % * + - / _`; any
    /// other character becomes `-`; at most 36 characters.
    static func document(_ number: String) -> String {
        let allowed = Set("$&%*+-/_")
        let mapped = number.unicodeScalars.map { scalar -> Character in
            let character = Character(scalar)
            return (scalar.isASCII && (character.isLetter || character.isNumber)) || allowed.contains(character) ? character : "-"
        }
        return cut(String(mapped), 36)
    }

    /// The Windows-1252 bytes of `text` (already transliterated where it is data).
    static func encode(_ text: String) -> Data {
        var bytes = [UInt8]()
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars { bytes.append(code(scalar) ?? UInt8(ascii: "?")) }
        return Data(bytes)
    }
}
