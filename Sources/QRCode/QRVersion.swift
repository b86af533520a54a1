/// The capacity and geometry of one QR code version (1…40), from ISO/IEC 18004 tables 1, 9 and E.1.
struct QRVersion: Sendable, Hashable {
    let number: Int

    static let range = 1...40

    /// Modules per side.
    var size: Int { number * 4 + 17 }

    /// Modules left for data and error correction after every function pattern.
    var rawDataModules: Int {
        var result = (16 * number + 128) * number + 64
        if number >= 2 {
            let alignments = number / 7 + 2
            result -= (25 * alignments - 10) * alignments - 55
            if number >= 7 { result -= 36 }
        }
        return result
    }

    var rawCodewords: Int { rawDataModules / 8 }

    func eccCodewordsPerBlock(_ level: QRErrorCorrection) -> Int {
        QRVersion.eccPerBlock[level.rawValue][number]
    }

    func blocks(_ level: QRErrorCorrection) -> Int {
        QRVersion.blockCount[level.rawValue][number]
    }

    func dataCodewords(_ level: QRErrorCorrection) -> Int {
        rawCodewords - eccCodewordsPerBlock(level) * blocks(level)
    }

    /// Bits of the character count in byte mode.
    var byteCountBits: Int { number <= 9 ? 8 : 16 }

    /// Centre coordinates of the alignment patterns, on both axes.
    var alignmentPositions: [Int] {
        guard number > 1 else { return [] }
        let count = number / 7 + 2
        let step = (number * 8 + count * 3 + 5) / (count * 4 - 4) * 2
        var positions: [Int] = []
        var position = size - 7
        while positions.count < count - 1 {
            positions.insert(position, at: 0)
            position -= step
        }
        return [6] + positions
    }

    // Indexed [level][version]; index 0 is unused.
    private static let eccPerBlock: [[Int]] = [
        [-1, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28, 28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26, 26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28],
        [-1, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30, 28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
        [-1, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28, 30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30],
    ]

    private static let blockCount: [[Int]] = [
        [-1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8, 8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25],
        [-1, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16, 17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49],
        [-1, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20, 23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68],
        [-1, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25, 25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81],
    ]
}
