/// A set of glyph ids as a bit set: cheap to fill while drawing and to merge across pages.
struct GlyphSet: Sendable, Hashable {
    private(set) var words: [UInt64]

    init(capacity glyphCount: Int) {
        words = [UInt64](repeating: 0, count: (glyphCount + 63) / 64)
    }

    @inline(__always)
    mutating func insert(_ glyph: UInt16) {
        let index = Int(glyph) >> 6
        if index >= words.count { words.append(contentsOf: repeatElement(0, count: index + 1 - words.count)) }
        words[index] |= 1 << UInt64(glyph & 63)
    }

    func contains(_ glyph: UInt16) -> Bool {
        let index = Int(glyph) >> 6
        return index < words.count && words[index] & (1 << UInt64(glyph & 63)) != 0
    }

    mutating func formUnion(_ other: GlyphSet) {
        if other.words.count > words.count {
            words.append(contentsOf: repeatElement(0, count: other.words.count - words.count))
        }
        for (index, word) in other.words.enumerated() { words[index] |= word }
    }

    var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// The glyphs in ascending order.
    var sorted: [UInt16] {
        var glyphs: [UInt16] = []
        for (index, word) in words.enumerated() where word != 0 {
            var rest = word
            while rest != 0 {
                let bit = rest.trailingZeroBitCount
                glyphs.append(UInt16(index * 64 + bit))
                rest &= rest - 1
            }
        }
        return glyphs
    }
}
