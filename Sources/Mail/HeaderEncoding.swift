/// RFC 2047 encoded words, display-name phrases, RFC 2231 parameters and header folding.
enum HeaderEncoding {
    /// Encoded-word overhead: `=?utf-8?B?` plus `?=`.
    private static let wordOverhead = 12
    /// At most 75 characters per encoded word leaves 63 for base64, i.e. 45 bytes of UTF-8 (15 groups).
    private static let maxBytesPerWord = 45

    /// True when `text` can go into an unstructured header verbatim.
    static func isPlainUnstructured(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
            && !text.contains("=?")
            && text.split(separator: " ", omittingEmptySubsequences: false).allSatisfy { $0.utf8.count <= 900 }
    }

    /// Splits `text` into B encoded words of at most 75 characters each. Chunks end on
    /// grapheme boundaries where possible and always on Unicode scalar boundaries, so a UTF-8
    /// sequence is never cut.
    /// `firstLineUsed` is the length of `Name: ` so the first word also fits a 78-character line.
    static func encodedWords(_ text: String, firstLineUsed: Int = 0) -> [String] {
        let firstLimit = max(6, (78 - firstLineUsed - wordOverhead) / 4 * 3)
        var limit = min(maxBytesPerWord, firstLimit)
        var words: [String] = []
        var chunk = [UInt8]()
        func flush() {
            if !chunk.isEmpty {
                words.append("=?utf-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk.removeAll(keepingCapacity: true)
                limit = maxBytesPerWord
            }
        }
        for character in text {
            let bytes = Array(String(character).utf8)
            if bytes.count <= limit {
                if chunk.count + bytes.count > limit { flush() }
                chunk += bytes
            } else {
                // An oversized grapheme cluster (long emoji sequences): split between its scalars.
                for scalar in character.unicodeScalars {
                    let scalarBytes = Array(String(scalar).utf8)
                    if chunk.count + scalarBytes.count > limit { flush() }
                    chunk += scalarBytes
                }
            }
        }
        flush()
        return words.isEmpty ? ["=?utf-8?B??="] : words
    }

    /// Tokens for an unstructured value (Subject, extra headers), to be joined by single spaces.
    static func unstructuredTokens(_ text: String, headerName: String) -> [String] {
        if isPlainUnstructured(text) {
            return text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        }
        return encodedWords(text, firstLineUsed: headerName.utf8.count + 2)
    }

    /// The tokens of a mailbox: the display name as atoms, a quoted string or encoded words,
    /// then `<addr-spec>`.
    static func mailboxTokens(_ mailbox: MailAddress, headerName: String) -> [String] {
        guard let name = mailbox.displayName, !name.isEmpty else { return [mailbox.address] }
        return phraseTokens(name, firstLineUsed: headerName.utf8.count + 2) + ["<\(mailbox.address)>"]
    }

    /// A display name as atoms, a quoted string, or — when it is not ASCII or contains `=?` — encoded
    /// words for the whole phrase. Readers (Python's `email`, many clients) decode encoded-word-looking
    /// text even inside quotes, so `"=?utf-8?B?Q0VPIDxjZW9AYmFuay5jb20+?="` would read as
    /// `CEO <ceo@bank.com>`; encoded as a whole it decodes to exactly the stored text.
    static func phraseTokens(_ name: String, firstLineUsed: Int) -> [String] {
        let bytes = Array(name.utf8)
        let ascii = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
        if ascii && name.utf8.count <= 900 && !name.contains("=?") {
            let atoms = name.split(separator: " ", omittingEmptySubsequences: false)
            let allAtoms = atoms.allSatisfy { atom in
                !atom.isEmpty && atom.utf8.allSatisfy(HeaderValidation.isAtext)
            }
            if allAtoms { return atoms.map(String.init) }
            var quoted = "\""
            for character in name {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            quoted.append("\"")
            // Folding only at existing spaces keeps the quoted string intact when unfolded.
            return quoted.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        }
        return encodedWords(name, firstLineUsed: firstLineUsed)
    }

    /// Writes `Name: token token…` folded before a space so lines stay within 78 characters where
    /// possible (and always within 998, because no token is longer than ~900 characters).
    static func fold(name: String, tokens: [String]) -> [UInt8] {
        var out = Array((name + ":").utf8)
        var lineLength = out.count
        for token in tokens {
            let length = token.utf8.count
            if lineLength + 1 + length > 78 && lineLength > name.utf8.count + 1 {
                out += [13, 10]
                lineLength = 0
            }
            out.append(UInt8(ascii: " "))
            out += Array(token.utf8)
            lineLength += 1 + length
        }
        out += [13, 10]
        return out
    }

    // MARK: RFC 2231 filenames

    /// True when the filename can be sent as a plain quoted `filename="…"`.
    static func isPlainFilename(_ name: String) -> Bool {
        name.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
            && name.utf8.count <= 60
    }

    /// An ASCII stand-in for clients that ignore RFC 2231: umlauts become ae/oe/ue, accents are
    /// stripped, anything else becomes `_`.
    static func asciiFallback(_ name: String) -> String {
        let replacements: [Character: String] = [
            "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss",
            "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
        ]
        var out = ""
        for character in name {
            if let replacement = replacements[character] { out += replacement; continue }
            let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first
            if let base, base.isASCII, base.value >= 0x20, base.value < 0x7F, base != "\"", base != "\\" {
                out.unicodeScalars.append(base)
            } else {
                out += "_"
            }
        }
        if out.utf8.count > 60 {
            // Keep the extension so the file still opens with the right program.
            let ext = out.range(of: ".", options: .backwards).map { String(out[$0.lowerBound...]) } ?? ""
            out = String(out.prefix(60 - min(ext.count, 20))) + String(ext.prefix(20))
        }
        return out
    }

    /// `%XX` encoding of everything outside RFC 2231 `attribute-char`.
    static func percentEncoded(_ name: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        for byte in name.utf8 {
            let safe = HeaderValidation.isToken(byte) && byte != UInt8(ascii: "*")
                && byte != UInt8(ascii: "'") && byte != UInt8(ascii: "%")
            if safe {
                out.append(byte)
            } else {
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parameter lines (without the leading `; `) for a filename: when needed the RFC 2231 form,
    /// split into `name*0*=`, `name*1*=` continuations so no line exceeds 78 characters, followed
    /// by a quoted ASCII fallback for clients that ignore RFC 2231. The extended form comes first
    /// because some parsers (Python's `email`) take the first `filename` they find; clients that
    /// know RFC 2231 prefer it regardless of order.
    static func filenameParameters(_ attribute: String, _ filename: String) -> [String] {
        if isPlainFilename(filename) { return ["\(attribute)=\"\(filename)\""] }
        let fallback = "\(attribute)=\"\(asciiFallback(filename))\""
        var parameters: [String] = []
        let encoded = percentEncoded(filename)
        let first = "\(attribute)*=utf-8''\(encoded)"
        if first.utf8.count <= 70 {
            return [first, fallback]
        }
        // Split into sections of ≤ 60 octets without cutting a %XX escape.
        var sections: [String] = []
        var current = "utf-8''"
        var bytes = Array(encoded.utf8)[...]
        while let byte = bytes.first {
            let pieceLength = byte == UInt8(ascii: "%") ? 3 : 1
            if current.utf8.count + pieceLength > 60 {
                sections.append(current)
                current = ""
            }
            current += String(decoding: bytes.prefix(pieceLength), as: UTF8.self)
            bytes = bytes.dropFirst(pieceLength)
        }
        if !current.isEmpty { sections.append(current) }
        for (index, section) in sections.enumerated() {
            parameters.append("\(attribute)*\(index)*=\(section)")
        }
        return parameters + [fallback]
    }
}

import Foundation
