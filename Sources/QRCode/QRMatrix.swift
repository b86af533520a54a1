/// The module grid while a symbol is being drawn: which modules are dark and which belong to
/// function patterns (finders, timing, alignment, format and version information).
struct QRMatrix: Sendable {
    let size: Int
    private(set) var dark: [Bool]
    private(set) var isFunction: [Bool]

    init(version: QRVersion) {
        size = version.size
        dark = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
        drawFunctionPatterns(version)
    }

    subscript(x: Int, y: Int) -> Bool { dark[y * size + x] }

    private mutating func setFunction(_ x: Int, _ y: Int, _ isDark: Bool) {
        dark[y * size + x] = isDark
        isFunction[y * size + x] = true
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

    /// Places the codewords in the zig-zag of two-module columns from the bottom-right corner.
    mutating func drawCodewords(_ codewords: [UInt8]) {
        var index = 0
        let bitCount = codewords.count * 8
        var right = size - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            let upward = (right + 1) & 2 == 0
            for vertical in 0..<size {
                for j in 0..<2 {
                    let x = right - j
                    let y = upward ? size - 1 - vertical : vertical
                    if !isFunction[y * size + x], index < bitCount {
                        dark[y * size + x] = (codewords[index >> 3] >> UInt8(7 - (index & 7))) & 1 != 0
                        index += 1
                    }
                }
            }
            right -= 2
        }
    }

    /// Inverts every data module that `mask` selects; applying it twice undoes it.
    mutating func apply(mask: Int) {
        for y in 0..<size {
            for x in 0..<size where !isFunction[y * size + x] {
                let invert = switch mask {
                case 0: (x + y) % 2 == 0
                case 1: y % 2 == 0
                case 2: x % 3 == 0
                case 3: (x + y) % 3 == 0
                case 4: (x / 3 + y / 2) % 2 == 0
                case 5: x * y % 2 + x * y % 3 == 0
                case 6: (x * y % 2 + x * y % 3) % 2 == 0
                default: ((x + y) % 2 + x * y % 3) % 2 == 0
                }
                if invert { dark[y * size + x].toggle() }
            }
        }
    }

    // MARK: Penalty (ISO/IEC 18004 §7.8.3)

    /// The mask penalty of ISO/IEC 18004 §7.8.3: N1 runs, N2 2×2 blocks, N3 finder-like patterns,
    /// N4 dark/light balance. Computed in one pass per line without allocating: it runs for all
    /// eight masks of every symbol.
    var penalty: Int {
        dark.withUnsafeBufferPointer { modules in
            let n = size
            var score = 0
            var runs: [Int] = []
            runs.reserveCapacity(n + 2)
            for line in 0..<n {
                score += QRMatrix.linePenalty(modules, start: line * n, step: 1, count: n, runs: &runs)
                score += QRMatrix.linePenalty(modules, start: line, step: n, count: n, runs: &runs)
            }
            for y in 0..<n - 1 {
                for x in 0..<n - 1 {
                    let colour = modules[y * n + x]
                    if colour == modules[y * n + x + 1], colour == modules[(y + 1) * n + x],
                       colour == modules[(y + 1) * n + x + 1] { score += 3 }
                }
            }
            var darkCount = 0
            for module in modules where module { darkCount += 1 }
            let total = n * n
            let k = (abs(darkCount * 20 - total * 10) + total - 1) / total - 1
            return score + max(k, 0) * 10
        }
    }

    /// N1 (3 + (length − 5) for every run of five or more modules of one colour) and N3 (40 for every
    /// 11-module window light×4 + 1:1:3:1:1, or its mirror; outside the symbol counts as light) for
    /// one row or column, read from `start` in steps of `step`.
    ///
    /// Works on run lengths: `runs` gets the line's runs with four light modules added on each side,
    /// so even indices are light and odd ones dark. A window matches exactly where a dark run of 3
    /// has light 1, dark 1 on one side and light 1, dark 1 then light ≥ 4 (or, mirrored, ≥ 1 dark
    /// then light 1, dark 3, light 1, dark 1, light ≥ 4) around it.
    private static func linePenalty(_ modules: UnsafeBufferPointer<Bool>, start: Int, step: Int, count: Int,
                                    runs: inout [Int]) -> Int {
        var score = 0
        runs.removeAll(keepingCapacity: true)
        let first = modules[start]
        if first { runs.append(4) }
        var current = first
        var length = 0
        var index = start
        for _ in 0..<count {
            let module = modules[index]
            if module == current {
                length += 1
            } else {
                if length >= 5 { score += length - 2 }
                runs.append(length)
                current = module
                length = 1
            }
            index += step
        }
        if length >= 5 { score += length - 2 }
        runs.append(length)
        if !first { runs[0] += 4 }
        if current { runs.append(4) } else { runs[runs.count - 1] += 4 }
        var centre = 1
        while centre + 1 < runs.count {
            if runs[centre] == 3, runs[centre - 1] == 1, runs[centre + 1] == 1, centre >= 3 {
                // light ≥ 4, dark 1, light 1, [dark 3], light 1, dark ≥ 1
                if runs[centre - 2] == 1, runs[centre - 3] >= 4, centre + 2 < runs.count { score += 40 }
                // dark ≥ 1, light 1, [dark 3], light 1, dark 1, light ≥ 4
                if centre + 3 < runs.count, runs[centre + 2] == 1, runs[centre + 3] >= 4 { score += 40 }
            }
            centre += 2
        }
        return score
    }
}
