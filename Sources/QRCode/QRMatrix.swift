/// The module grid while a symbol is being drawn, as bit rows: which modules are dark and which
/// belong to function patterns (finders, timing, alignment, format and version information).
///
/// Every row and every column is a `ModuleLine` of 192 bits, the module at `x` in bit `x + 4`:
/// four light bits pad each side, so patterns that may reach past the edge (N3) read light
/// there. Rows and columns are both kept, so masking and the penalty of ISO/IEC 18004 §7.8.3
/// work on whole lines with shifts, ANDs and population counts instead of module by module.
struct QRMatrix: Sendable {
    let size: Int
    private(set) var rows: [ModuleLine]
    private(set) var columns: [ModuleLine]
    private var functionRows: [ModuleLine]
    private var functionColumns: [ModuleLine]
    /// Bits 4 … size + 3: the modules inside the symbol.
    let inside: ModuleLine
    /// Bits 0 … size + 7: the symbol and its light padding.
    private let padded: ModuleLine
    /// Starts of 11-bit windows inside `padded`: 0 … size − 3.
    private let windowStarts: ModuleLine
    /// Starts of 2×2 blocks: x from 0 to size − 2, at bits 4 … size + 2.
    private let blockStarts: ModuleLine
    /// Bits i whose next bit i + 1 is inside the symbol as well: 4 … size + 2 (as `blockStarts`).
    private var insidePairs: ModuleLine { blockStarts }

    /// A grid with `version`'s function patterns drawn (format area reserved), data modules light:
    /// a copy of the version's template for versions 1–25 (every QR-bill), drawn afresh beyond.
    init(version: QRVersion) {
        if version.number <= QRMatrix.templates.count {
            self = QRMatrix.templates[version.number - 1]
        } else {
            self.init(drawing: version)
        }
    }

    /// Versions 1–25 with their function patterns, drawn once on first use (~1 ms): every code of
    /// a version starts from the same grid. Immutable once made.
    private static let templates: [QRMatrix] = (1...25).map { QRMatrix(drawing: QRVersion(number: $0)) }

    private init(drawing version: QRVersion) {
        size = version.size
        rows = Array(repeating: ModuleLine(), count: size)
        columns = rows
        functionRows = rows
        functionColumns = rows
        inside = ModuleLine(ones: 4..<size + 4)
        padded = ModuleLine(ones: 0..<size + 8)
        windowStarts = ModuleLine(ones: 0..<size - 2)
        blockStarts = ModuleLine(ones: 4..<size + 3)
        drawFunctionPatterns(version)
    }

    subscript(x: Int, y: Int) -> Bool { rows[y][x + 4] }

    /// Every module, row by row.
    var modules: [Bool] {
        var result = [Bool](repeating: false, count: size * size)
        let size = self.size
        result.withUnsafeMutableBufferPointer { out in
            for (y, row) in rows.enumerated() {
                var index = y * size
                for bit in 4..<size + 4 {
                    let word = bit < 64 ? row.w0 : bit < 128 ? row.w1 : row.w2
                    out[index] = (word >> UInt64(bit & 63)) & 1 != 0
                    index += 1
                }
            }
        }
        return result
    }

    private mutating func set(_ x: Int, _ y: Int, _ isDark: Bool) {
        rows[y][x + 4] = isDark
        columns[x][y + 4] = isDark
    }

    private mutating func setFunction(_ x: Int, _ y: Int, _ isDark: Bool) {
        set(x, y, isDark)
        functionRows[y][x + 4] = true
        functionColumns[x][y + 4] = true
    }

    // MARK: Function patterns

    private mutating func drawFunctionPatterns(_ version: QRVersion) {
        for i in 0..<size {
            setFunction(6, i, i % 2 == 0)
            setFunction(i, 6, i % 2 == 0)
        }
        drawFinder(3, 3)
        drawFinder(size - 4, 3)
        drawFinder(3, size - 4)
        let positions = version.alignmentPositions
        let last = positions.count - 1
        for i in positions.indices {
            for j in positions.indices where !(i == 0 && j == 0) && !(i == 0 && j == last) && !(i == last && j == 0) {
                drawAlignment(positions[i], positions[j])
            }
        }
        drawFormatBits(errorCorrection: .medium, mask: 0)  // reserves the area; redrawn with the real mask
        drawVersion(version)
    }

    private mutating func drawFinder(_ x: Int, _ y: Int) {
        for dy in -4...4 {
            for dx in -4...4 {
                let distance = max(abs(dx), abs(dy))
                let xx = x + dx, yy = y + dy
                if (0..<size).contains(xx), (0..<size).contains(yy) {
                    setFunction(xx, yy, distance != 2 && distance != 4)
                }
            }
        }
    }

    private mutating func drawAlignment(_ x: Int, _ y: Int) {
        for dy in -2...2 {
            for dx in -2...2 {
                setFunction(x + dx, y + dy, max(abs(dx), abs(dy)) != 1)
            }
        }
    }

    /// The 15 format bits (level, mask, BCH(15,5), XOR 0x5412) in both copies, and the dark module.
    mutating func drawFormatBits(errorCorrection: QRErrorCorrection, mask: Int) {
        let data = errorCorrection.formatBits << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        let bits = (data << 10 | remainder) ^ 0x5412
        func bit(_ i: Int) -> Bool { (bits >> i) & 1 != 0 }
        for i in 0...5 { setFunction(8, i, bit(i)) }
        setFunction(8, 7, bit(6))
        setFunction(8, 8, bit(7))
        setFunction(7, 8, bit(8))
        for i in 9..<15 { setFunction(14 - i, 8, bit(i)) }
        for i in 0..<8 { setFunction(size - 1 - i, 8, bit(i)) }
        for i in 8..<15 { setFunction(8, size - 15 + i, bit(i)) }
        setFunction(8, size - 8, true)
    }

    /// The 18 version bits (BCH(18,6)) in both 6 × 3 blocks, from version 7.
    private mutating func drawVersion(_ version: QRVersion) {
        guard version.number >= 7 else { return }
        var remainder = version.number
        for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
        let bits = version.number << 12 | remainder
        for i in 0..<18 {
            let isDark = (bits >> i) & 1 != 0
            let a = size - 11 + i % 3, b = i / 3
            setFunction(a, b, isDark)
            setFunction(b, a, isDark)
        }
    }

    // MARK: Data

    /// Places the codewords in the zig-zag of two-module columns from the bottom-right corner,
    /// into the rows; the columns are then rebuilt from the rows in one pass.
    mutating func drawCodewords(_ codewords: [UInt8]) {
        var index = 0
        let bitCount = codewords.count * 8
        let size = self.size
        rows.withUnsafeMutableBufferPointer { rows in
            functionRows.withUnsafeBufferPointer { functions in
                var right = size - 1
                while right >= 1 {
                    if right == 6 { right = 5 }
                    let upward = (right + 1) & 2 == 0
                    for vertical in 0..<size {
                        let y = upward ? size - 1 - vertical : vertical
                        for j in 0..<2 {
                            let x = right - j
                            guard !functions[y][x + 4], index < bitCount else { continue }
                            if (codewords[index >> 3] >> UInt8(7 - (index & 7))) & 1 != 0 { rows[y][x + 4] = true }
                            index += 1
                        }
                    }
                    right -= 2
                }
            }
        }
        rebuildColumns()
    }

    /// The columns as the transpose of the rows.
    private mutating func rebuildColumns() {
        var columns = [ModuleLine](repeating: ModuleLine(), count: size)
        for (y, row) in rows.enumerated() {
            for wordIndex in 0..<3 {
                var rest = wordIndex == 0 ? row.w0 : wordIndex == 1 ? row.w1 : row.w2
                while rest != 0 {
                    let bit = wordIndex * 64 + rest.trailingZeroBitCount
                    columns[bit - 4][y + 4] = true
                    rest &= rest - 1
                }
            }
        }
        self.columns = columns
    }

    /// The dark modules merged into horizontal runs, row by row: (x, y, length).
    var darkRuns: [(x: Int, y: Int, length: Int)] {
        var runs: [(x: Int, y: Int, length: Int)] = []
        runs.reserveCapacity(size * size / 4)
        for (y, row) in rows.enumerated() {
            // A run starts where a dark bit follows a light one and ends before the next light one.
            var starts = row & ~(row << 1), ends = row & ~(row >> 1)
            while let start = starts.removeLowest(), let end = ends.removeLowest() {
                runs.append((start - 4, y, end - start + 1))
            }
        }
        return runs
    }

    /// Inverts every data module that `mask` selects; applying it twice undoes it.
    mutating func apply(mask: Int) {
        let rowPatterns = QRMask.rowPatterns[mask], columnPatterns = QRMask.columnPatterns[mask]
        for index in 0..<size {
            rows[index] ^= rowPatterns[index % QRMask.period] & ~functionRows[index] & inside
            columns[index] ^= columnPatterns[index % QRMask.period] & ~functionColumns[index] & inside
        }
    }

    // MARK: Penalty (ISO/IEC 18004 §7.8.3)

    /// The mask penalty of ISO/IEC 18004 §7.8.3: N1 runs, N2 2×2 blocks, N3 finder-like patterns,
    /// N4 dark/light balance, each counted over whole lines at once.
    var penalty: Int {
        let n = size
        var score = 0
        var darkCount = 0
        for index in 0..<n {
            let row = rows[index]
            score += linePenalty(row)
            score += linePenalty(columns[index])
            darkCount += row.nonzeroBitCount
            if index + 1 < n {
                let next = rows[index + 1]
                let same = ~(row ^ next) & ~(row ^ (row >> 1)) & ~(next ^ (next >> 1)) & blockStarts
                score += 3 * same.nonzeroBitCount
            }
        }
        let total = n * n
        let k = (abs(darkCount * 20 - total * 10) + total - 1) / total - 1
        return score + max(k, 0) * 10
    }

    /// N1 (3 + (length − 5) for every run of five or more modules of one colour) and N3 (40 for
    /// every 11-module window light×4 + 1:1:3:1:1, or its mirror; outside the symbol is light)
    /// of one row or column.
    @inline(__always)
    private func linePenalty(_ dark: ModuleLine) -> Int {
        // N1 for both colours at once: bit i of `same` says module i + 1 has the colour of module i
        // (both inside), so five equal modules from i are four `same` bits from i. Runs of the two
        // colours never touch in `five` (the window across a colour change is not all same).
        let same = ~(dark ^ (dark >> 1)) & insidePairs
        let five = same & (same >> 1) & (same >> 2) & (same >> 3)
        var score = five.nonzeroBitCount + 2 * (five & ~(five << 1)).nonzeroBitCount
        let padLight = ~dark & padded
        // 1011101 starting at each bit, and four light modules starting at each bit.
        let core = dark & (padLight >> 1) & (dark >> 2) & (dark >> 3) & (dark >> 4) & (padLight >> 5) & (dark >> 6)
        // Most lines hold no 1011101 at all: then there is nothing to look for around it.
        guard core.w0 | core.w1 | core.w2 != 0 else { return score }
        let fourLight = padLight & (padLight >> 1) & (padLight >> 2) & (padLight >> 3)
        let before = fourLight & (core >> 4)  // light×4 then 1011101
        let after = core & (fourLight >> 7)   // 1011101 then light×4
        score += 40 * ((before & windowStarts).nonzeroBitCount + (after & windowStarts).nonzeroBitCount)
        return score
    }
}

extension QRMatrix {
    /// N1 for the runs of one colour's bits: a run of L ≥ 5 has L − 4 five-module starts and
    /// one first start, so it scores L − 2 = 3 + (L − 5).
    @inline(__always)
    static func runPenalty(_ colour: ModuleLine) -> Int {
        let five = colour & (colour >> 1) & (colour >> 2) & (colour >> 3) & (colour >> 4)
        return five.nonzeroBitCount + 2 * (five & ~(five << 1)).nonzeroBitCount
    }
}

/// The eight data masks as bit patterns: the pattern of a row depends only on its index modulo
/// 12 (the masks repeat every 2, 3, 4 or 6 modules), and likewise for columns.
enum QRMask {
    static let period = 12

    /// Whether `mask` inverts the module in column `x`, row `y`.
    static func inverts(_ mask: Int, x: Int, y: Int) -> Bool {
        switch mask {
        case 0: (x + y) % 2 == 0
        case 1: y % 2 == 0
        case 2: x % 3 == 0
        case 3: (x + y) % 3 == 0
        case 4: (x / 3 + y / 2) % 2 == 0
        case 5: x * y % 2 + x * y % 3 == 0
        case 6: (x * y % 2 + x * y % 3) % 2 == 0
        default: ((x + y) % 2 + x * y % 3) % 2 == 0
        }
    }

    /// `rowPatterns[mask][y % 12]`: the modules `mask` inverts in row y, bit x + 4.
    static let rowPatterns: [[ModuleLine]] = (0..<8).map { mask in
        (0..<period).map { y in
            var line = ModuleLine()
            for x in 0..<ModuleLine.bitCount - 4 where inverts(mask, x: x, y: y) { line[x + 4] = true }
            return line
        }
    }

    /// `columnPatterns[mask][x % 12]`: the modules `mask` inverts in column x, bit y + 4.
    static let columnPatterns: [[ModuleLine]] = (0..<8).map { mask in
        (0..<period).map { x in
            var line = ModuleLine()
            for y in 0..<ModuleLine.bitCount - 4 where inverts(mask, x: x, y: y) { line[y + 4] = true }
            return line
        }
    }
}

/// 192 bits: one row or column of modules (at most 177) with padding; bit i is bit i % 64 of word i / 64.
struct ModuleLine: Sendable, Hashable {
    static let bitCount = 192
    var w0: UInt64 = 0
    var w1: UInt64 = 0
    var w2: UInt64 = 0

    init() {}

    init(ones range: Range<Int>) {
        for bit in range where bit >= 0 && bit < Self.bitCount { self[bit] = true }
    }

    subscript(bit: Int) -> Bool {
        get {
            let word = bit < 64 ? w0 : bit < 128 ? w1 : w2
            return word >> UInt64(bit & 63) & 1 != 0
        }
        set {
            let mask: UInt64 = 1 << UInt64(bit & 63)
            switch bit >> 6 {
            case 0: w0 = newValue ? w0 | mask : w0 & ~mask
            case 1: w1 = newValue ? w1 | mask : w1 & ~mask
            default: w2 = newValue ? w2 | mask : w2 & ~mask
            }
        }
    }

    var nonzeroBitCount: Int { w0.nonzeroBitCount + w1.nonzeroBitCount + w2.nonzeroBitCount }

    /// Clears the lowest set bit and returns its index; nil when no bit is set.
    @inline(__always)
    mutating func removeLowest() -> Int? {
        if w0 != 0 {
            defer { w0 &= w0 - 1 }
            return w0.trailingZeroBitCount
        }
        if w1 != 0 {
            defer { w1 &= w1 - 1 }
            return 64 + w1.trailingZeroBitCount
        }
        if w2 != 0 {
            defer { w2 &= w2 - 1 }
            return 128 + w2.trailingZeroBitCount
        }
        return nil
    }

    /// Bit i of the result is bit i + k of `line` (0 < k < 64): looks k modules ahead.
    @inline(__always)
    static func >> (line: ModuleLine, k: Int) -> ModuleLine {
        let s = UInt64(k), back = UInt64(64 - k)
        var result = ModuleLine()
        result.w0 = line.w0 >> s | line.w1 << back
        result.w1 = line.w1 >> s | line.w2 << back
        result.w2 = line.w2 >> s
        return result
    }

    /// Bit i of the result is bit i − k of `line` (0 < k < 64): looks k modules back.
    @inline(__always)
    static func << (line: ModuleLine, k: Int) -> ModuleLine {
        let s = UInt64(k), back = UInt64(64 - k)
        var result = ModuleLine()
        result.w0 = line.w0 << s
        result.w1 = line.w1 << s | line.w0 >> back
        result.w2 = line.w2 << s | line.w1 >> back
        return result
    }

    @inline(__always)
    static func & (a: ModuleLine, b: ModuleLine) -> ModuleLine {
        var result = a
        result.w0 &= b.w0
        result.w1 &= b.w1
        result.w2 &= b.w2
        return result
    }

    @inline(__always)
    static func ^ (a: ModuleLine, b: ModuleLine) -> ModuleLine {
        var result = a
        result.w0 ^= b.w0
        result.w1 ^= b.w1
        result.w2 ^= b.w2
        return result
    }

    @inline(__always)
    static func ^= (a: inout ModuleLine, b: ModuleLine) {
        a.w0 ^= b.w0
        a.w1 ^= b.w1
        a.w2 ^= b.w2
    }

    @inline(__always)
    static prefix func ~ (a: ModuleLine) -> ModuleLine {
        var result = a
        result.w0 = ~a.w0
        result.w1 = ~a.w1
        result.w2 = ~a.w2
        return result
    }
}
