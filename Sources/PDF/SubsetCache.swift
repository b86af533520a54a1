import Synchronization

/// The embedded subsets one font has made, by the set of glyphs drawn: the invoices of a batch
/// mostly draw the same glyphs, and building a subset (outlines, `loca`, checksums) and its
/// `/W` widths and `ToUnicode` CMap cost more than laying out the page that uses it.
///
/// Bounded: at most `capacity` glyph sets are kept; when full, the oldest half is dropped, so a
/// batch whose every document draws different glyphs costs what it did without the cache.
final class SubsetCache: Sendable {
    static let capacity = 64

    private struct State {
        var entries: [GlyphSet: EmbeddedSubset] = [:]
        var order: [GlyphSet] = []
    }

    private let state = Mutex(State())

    /// How many glyph sets are kept, and how many the eviction order remembers (the same, at most
    /// `capacity`): what the bound promises, for its tests.
    var held: (entries: Int, order: Int) { state.withLock { ($0.entries.count, $0.order.count) } }

    /// The cached subset for `drawn`, else `make(drawn)`, remembered.
    func subset(_ drawn: GlyphSet, make: (GlyphSet) -> EmbeddedSubset) -> EmbeddedSubset {
        if let cached = state.withLock({ $0.entries[drawn] }) { return cached }
        // Made outside the lock: two threads may both make the same subset once, never wait on each other.
        let made = make(drawn)
        state.withLock { state in
            guard state.entries[drawn] == nil else { return }
            if state.order.count >= Self.capacity {
                let dropped = state.order.prefix(Self.capacity / 2)
                for glyphs in dropped { state.entries[glyphs] = nil }
                state.order.removeFirst(dropped.count)
            }
            state.entries[drawn] = made
            state.order.append(drawn)
        }
        return made
    }
}

/// One font's subset with what a document writes for it besides object numbers: its name with
/// the subset tag, the CIDFont's `/W` entries and the `ToUnicode` CMap.
struct EmbeddedSubset: Sendable {
    let subset: FontSubset
    /// `KDQXBE+LiberationSans`
    let name: String
    /// The entries of `/W [0 [ … ]]`, one width per CID.
    let widths: ByteBuffer
    let toUnicode: ByteBuffer
}
