/// Rewrites the store's `?` placeholders into PostgreSQL's numbered `$1, $2, …`.
///
/// A `?` is a placeholder only in SQL text proper: inside a string literal (`'…'`, `E'…'` with its
/// backslash escapes, `$tag$…$tag$`), a quoted identifier (`"…"`) or a comment (`--…`, nested
/// `/* … */`) it stays a question mark. PostgreSQL's own `?` operators (jsonb `?`, `?|`, `?&`) cannot
/// be told apart from placeholders, so the store does not use them.
enum Placeholders {
    /// The rewritten SQL and how many placeholders it had.
    static func rewrite(_ sql: String) -> (sql: String, count: Int) {
        let bytes = Array(sql.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var count = 0
        var i = 0
        let n = bytes.count

        func isIdentifierByte(_ b: UInt8) -> Bool {
            b == UInt8(ascii: "_") || b == UInt8(ascii: "$") || b >= 0x80
                || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
                || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9"))
        }
        func isTagStart(_ b: UInt8) -> Bool {
            b == UInt8(ascii: "_") || b >= 0x80
                || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z"))
                || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
        }
        /// Copies a quoted run that starts at `i` (on the opening quote) up to and including its close.
        func copyQuoted(_ quote: UInt8, backslashEscapes: Bool) {
            out.append(bytes[i]); i += 1
            while i < n {
                let b = bytes[i]
                if backslashEscapes && b == UInt8(ascii: "\\") && i + 1 < n {
                    out.append(b); out.append(bytes[i + 1]); i += 2; continue
                }
                out.append(b); i += 1
                if b == quote {
                    // A doubled quote is an escaped quote, not the end.
                    if i < n && bytes[i] == quote { out.append(quote); i += 1; continue }
                    return
                }
            }
        }

        while i < n {
            let b = bytes[i]
            let previous: UInt8? = i > 0 ? bytes[i - 1] : nil
            switch b {
            case UInt8(ascii: "?"):
                count += 1
                out.append(UInt8(ascii: "$"))
                out.append(contentsOf: String(count).utf8)
                i += 1
            case UInt8(ascii: "'"):
                let escaped = previous.map { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") } ?? false
                    && (i < 2 || !isIdentifierByte(bytes[i - 2]))
                copyQuoted(UInt8(ascii: "'"), backslashEscapes: escaped)
            case UInt8(ascii: "\""):
                copyQuoted(UInt8(ascii: "\""), backslashEscapes: false)
            case UInt8(ascii: "-") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "-"):
                while i < n && bytes[i] != UInt8(ascii: "\n") { out.append(bytes[i]); i += 1 }
            case UInt8(ascii: "/") where i + 1 < n && bytes[i + 1] == UInt8(ascii: "*"):
                var depth = 0
                while i < n {
                    if bytes[i] == UInt8(ascii: "/") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "*") {
                        depth += 1; out.append(contentsOf: bytes[i...i + 1]); i += 2
                    } else if bytes[i] == UInt8(ascii: "*") && i + 1 < n && bytes[i + 1] == UInt8(ascii: "/") {
                        depth -= 1; out.append(contentsOf: bytes[i...i + 1]); i += 2
                        if depth == 0 { break }
                    } else {
                        out.append(bytes[i]); i += 1
                    }
                }
            case UInt8(ascii: "$") where !(previous.map(isIdentifierByte) ?? false):
                // A dollar quote `$tag$ … $tag$` (the tag may be empty); `$1` is a parameter, not a tag.
                var j = i + 1
                if j < n && isTagStart(bytes[j]) {
                    while j < n && isIdentifierByte(bytes[j]) && bytes[j] != UInt8(ascii: "$") { j += 1 }
                }
                guard j < n && bytes[j] == UInt8(ascii: "$") else { out.append(b); i += 1; continue }
                let delimiter = Array(bytes[i...j])
                out.append(contentsOf: delimiter)
                i = j + 1
                while i < n {
                    if bytes[i] == UInt8(ascii: "$") && i + delimiter.count <= n
                        && Array(bytes[i..<i + delimiter.count]) == delimiter {
                        out.append(contentsOf: delimiter); i += delimiter.count
                        break
                    }
                    out.append(bytes[i]); i += 1
                }
            default:
                out.append(b); i += 1
            }
        }
        return (String(decoding: out, as: UTF8.self), count)
    }
}
