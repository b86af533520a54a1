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

    var penalty: Int {
        var score = 0
        for line in 0..<size {
            let row = (0..<size).map { self[$0, line] }
            let column = (0..<size).map { self[line, $0] }
            score += QRMatrix.runPenalty(row) + QRMatrix.finderLikePenalty(row)
            score += QRMatrix.runPenalty(column) + QRMatrix.finderLikePenalty(column)
        }
        for y in 0..<size - 1 {
            for x in 0..<size - 1 {
                let colour = self[x, y]
                if colour == self[x + 1, y], colour == self[x, y + 1], colour == self[x + 1, y + 1] { score += 3 }
            }
        }
        let darkCount = dark.reduce(0) { $0 + ($1 ? 1 : 0) }
        let total = size * size
        let k = (abs(darkCount * 20 - total * 10) + total - 1) / total - 1
        score += max(k, 0) * 10
        return score
    }

    /// N1: 3 + (length − 5) for every run of five or more modules of one colour.
    private static func runPenalty(_ line: [Bool]) -> Int {
        var score = 0, run = 0
        var previous: Bool?
        for module in line {
            if module == previous {
                run += 1
            } else {
                if run >= 5 { score += run - 2 }
                run = 1
                previous = module
            }
        }
        if run >= 5 { score += run - 2 }
        return score
    }

    private static let finderLeft: [Bool] = [false, false, false, false, true, false, true, true, true, false, true]
    private static let finderRight: [Bool] = [true, false, true, true, true, false, true, false, false, false, false]

    /// N3: 40 for every 1:1:3:1:1 pattern with four light modules on one side (outside the symbol counts as light).
    private static func finderLikePenalty(_ line: [Bool]) -> Int {
        let padded = [Bool](repeating: false, count: 4) + line + [Bool](repeating: false, count: 4)
        var score = 0
        for start in 0...(padded.count - 11) {
            let window = padded[start..<start + 11]
            if window.elementsEqual(finderLeft) || window.elementsEqual(finderRight) { score += 40 }
        }
        return score
    }
}
