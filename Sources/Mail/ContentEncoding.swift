import Foundation

/// Body transfer encodings (RFC 2045 §6.7 and §6.8). Output uses CRLF and lines of at most 76 characters.
enum ContentEncoding {
    static let crlf: [UInt8] = [13, 10]
    private static let hex = Array("0123456789ABCDEF".utf8)

    /// Splits text into lines at CRLF, lone CR or lone LF, so every line break becomes CRLF.
    static func lines(of text: String) -> [ArraySlice<UInt8>] {
        let bytes = Array(text.utf8)
        var lines: [ArraySlice<UInt8>] = []
        var start = 0, i = 0
        while i < bytes.count {
            if bytes[i] == 13 || bytes[i] == 10 {
                lines.append(bytes[start..<i])
                if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 { i += 1 }
                start = i + 1
            }
            i += 1
        }
        lines.append(bytes[start..<bytes.count])
        return lines
    }

    /// Quoted-printable with CRLF hard breaks. Encodes `=`, every byte outside printable ASCII,
    /// whitespace before a line end, and a `.` at the start of a line (so SMTP never needs to
    /// dot-stuff the body).
    static func quotedPrintable(_ text: String) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let allLines = lines(of: text)
        for (lineIndex, line) in allLines.enumerated() {
            var column = 0
            let lastIndex = line.endIndex - 1
            for index in line.indices {
                let byte = line[index]
                let isLast = index == lastIndex
                let literal: Bool
                switch byte {
                case UInt8(ascii: "="): literal = false
                case UInt8(ascii: "."): literal = column != 0
                case 0x21...0x7E: literal = true
                case 0x20, 0x09: literal = !isLast
                default: literal = false
                }
                let width = literal ? 1 : 3
                // Keep room for the soft break "=" unless this is the line's last token.
                let limit = isLast ? 76 : 75
                if column + width > limit {
                    out += [UInt8(ascii: "=")] + crlf
                    column = 0
                }
                if literal && byte == UInt8(ascii: ".") && column == 0 {
                    out += [UInt8(ascii: "="), UInt8(ascii: "2"), UInt8(ascii: "E")]
                    column += 3
                } else if literal {
                    out.append(byte)
                    column += 1
                } else {
                    out += [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                    column += 3
                }
            }
            if lineIndex < allLines.count - 1 { out += crlf }
        }
        return out
    }

    /// Base64 in lines of 76 characters, each ending in CRLF.
    static func base64Lines(_ data: Data) -> [UInt8] {
        let encoded = Array(data.base64EncodedData())
        var out = [UInt8]()
        out.reserveCapacity(encoded.count + encoded.count / 38 + 2)
        var index = 0
        while index < encoded.count {
            let end = min(index + 76, encoded.count)
            out += encoded[index..<end]
            out += crlf
            index = end
        }
        return out
    }
}
