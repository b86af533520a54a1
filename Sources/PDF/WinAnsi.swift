import Foundation

/// Text encoded for the standard fonts: one byte per glyph, plus what had to be substituted.
struct EncodedText: Sendable {
    var bytes: [UInt8]
    var substitutions: [PDFSubstitution]
}

/// Maps Unicode text to WinAnsiEncoding (Windows-1252) bytes; see `PDFSubstitution`.
enum WinAnsi {
    /// The Unicode scalars of codes 0x80–0x9F, where CP1252 differs from Latin-1 (0 = unused).
    private static let upperControlRange: [UInt32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ]

    /// Fallbacks that Unicode decomposition does not provide.
    private static let transliterations: [Unicode.Scalar: String] = [
        "Ł": "L", "ł": "l", "Đ": "D", "đ": "d", "Ħ": "H", "ħ": "h", "ı": "i",
        "Ŧ": "T", "ŧ": "t", "Ŀ": "L", "ŀ": "l", "ĸ": "k", "Ŋ": "N", "ŋ": "n",
        "ſ": "s", "Ə": "E", "ə": "e", "Ɖ": "D", "ɖ": "d",
        "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2015}": "—", "\u{2212}": "-",
        "\u{2032}": "'", "\u{2033}": "\"", "\u{02BC}": "’", "\u{02B9}": "'",
        "\u{2044}": "/", "\u{2215}": "/", "\u{2217}": "*", "\u{2024}": ".",
    ]

    /// The byte for `scalar`, or `nil` if WinAnsiEncoding has no glyph for it.
    /// Tabs and line breaks become spaces.
    @inline(__always)
    static func code(for scalar: Unicode.Scalar) -> UInt8? {
        let value = scalar.value
        switch value {
        case 0x20..<0x7F, 0xA0...0xFF:
            return UInt8(value)
        case 0x09, 0x0A, 0x0D:
            return 0x20
        case 0x152...0x2122:
            if let index = upperControlRange.firstIndex(of: value) { return UInt8(0x80 + index) }
            return nil
        default:
            return nil
        }
    }

    /// Encodes `text`, substituting what cannot be shown.
    static func encode(_ text: String) -> EncodedText {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var onlyPrintableASCII = true
        for byte in text.utf8 {
            guard byte >= 0x20 && byte < 0x7F else {
                onlyPrintableASCII = false
                break
            }
            bytes.append(byte)
        }
        if onlyPrintableASCII { return EncodedText(bytes: bytes, substitutions: []) }

        bytes.removeAll(keepingCapacity: true)
        var direct = true
        for scalar in text.unicodeScalars {
            guard let code = code(for: scalar) else {
                direct = false
                break
            }
            bytes.append(code)
        }
        if direct { return EncodedText(bytes: bytes, substitutions: []) }

        bytes.removeAll(keepingCapacity: true)
        var substitutions: [PDFSubstitution] = []
        for character in text {
            if let substitution = encode(character, into: &bytes),
               !substitutions.contains(substitution) {
                substitutions.append(substitution)
            }
        }
        return EncodedText(bytes: bytes, substitutions: substitutions)
    }

    /// Appends the bytes for one character; returns the substitution made, if any.
    static func encode(_ character: Character, into bytes: inout [UInt8]) -> PDFSubstitution? {
        let start = bytes.count
        if appendDirectly(character.unicodeScalars, into: &bytes) { return nil }
        bytes.removeSubrange(start...)

        let composed = String(character).precomposedStringWithCanonicalMapping
        if appendDirectly(composed.unicodeScalars, into: &bytes) { return nil }
        bytes.removeSubrange(start...)

        if let fallback = transliteration(of: composed) {
            let encoded = fallback.unicodeScalars.compactMap(code(for:))
            bytes.append(contentsOf: encoded)
            return PDFSubstitution(original: character, replacement: fallback, kind: .transliterated)
        }
        bytes.append(UInt8(ascii: "?"))
        return PDFSubstitution(original: character, replacement: "?", kind: .replaced)
    }

    private static func appendDirectly(_ scalars: String.UnicodeScalarView, into bytes: inout [UInt8]) -> Bool {
        for scalar in scalars {
            guard let code = code(for: scalar) else { return false }
            bytes.append(code)
        }
        return true
    }

    /// A Latin fallback made only of encodable characters, or `nil` if none is clear.
    private static func transliteration(of composed: String) -> String? {
        var result = String.UnicodeScalarView()
        for scalar in composed.unicodeScalars {
            if code(for: scalar) != nil {
                result.append(scalar)
            } else if let mapped = transliterations[scalar] {
                result.append(contentsOf: mapped.unicodeScalars)
            } else {
                let decomposed = String(scalar).decomposedStringWithCompatibilityMapping.unicodeScalars
                let base: [Unicode.Scalar] = decomposed
                    .filter { scalar in
                        let category = scalar.properties.generalCategory
                        return category != .nonspacingMark && category != .enclosingMark
                    }
                    .map { transliterations[$0]?.unicodeScalars.first ?? $0 }
                guard !base.isEmpty, base.allSatisfy({ code(for: $0) != nil }) else { return nil }
                result.append(contentsOf: base)
            }
        }
        guard !result.isEmpty else { return nil }
        return String(result)
    }
}
