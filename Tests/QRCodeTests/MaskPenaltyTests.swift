@testable import QRCode
import Testing

/// The bit-parallel mask penalty against a plain module-by-module reading of ISO/IEC 18004
/// §7.8.3, for every mask of symbols of many sizes.
@Suite struct MaskPenaltyTests {
    /// N1 + N2 + N3 + N4, one module at a time; outside the symbol counts as light for N3.
    static func referencePenalty(_ code: QRCode) -> Int {
        let n = code.size
        func dark(_ x: Int, _ y: Int) -> Bool { code.isDark(x: x, y: y) }
        var score = 0
        for transpose in [false, true] {
            for line in 0..<n {
                let modules = (0..<n).map { transpose ? dark(line, $0) : dark($0, line) }
                var run = 1
                for i in 1...n {
                    if i < n, modules[i] == modules[i - 1] {
                        run += 1
                    } else {
                        if run >= 5 { score += 3 + (run - 5) }
                        run = 1
                    }
                }
                let padded = [Bool](repeating: false, count: 4) + modules + [Bool](repeating: false, count: 4)
                let before: [Bool] = [false, false, false, false, true, false, true, true, true, false, true]
                let after = Array(before.reversed())
                for start in 0...(padded.count - 11) {
                    let window = Array(padded[start..<start + 11])
                    if window == before { score += 40 }
                    if window == after { score += 40 }
                }
            }
        }
        for y in 0..<n - 1 {
            for x in 0..<n - 1 where dark(x, y) == dark(x + 1, y) && dark(x, y) == dark(x, y + 1)
                && dark(x, y) == dark(x + 1, y + 1) {
                score += 3
            }
        }
        var darkCount = 0
        for y in 0..<n { for x in 0..<n where dark(x, y) { darkCount += 1 } }
        let total = n * n
        let k = (abs(darkCount * 20 - total * 10) + total - 1) / total - 1
        return score + max(k, 0) * 10
    }

    // Mutation (mutants.tsv qr-n3-no-mirror): the N3 window misses its mirror (`after`) → penalties differ from the reference
    // and this test fails. Mutation (mutants.tsv qr-run-start-weight): linePenalty's N1 drops the `2 ×` for run starts → fails.
    // Mutation (mutants.tsv qr-n1-padded): linePenalty's N1 takes `same` within `padded` instead of `insidePairs` → light
    // runs reach into the padding → fails (checked).
    @Test func everyMaskScoresAsTheReferenceReadingOfTheStandard() throws {
        let payloads: [(String, QRErrorCorrection)] = [
            ("A", .low), ("Hello, world!", .medium), (String(repeating: "0123456789", count: 7), .quartile),
            ("SPC\n0200\n1\nCH4431999123000889012\nS\nMüller & Söhne AG\nBahnhofstrasse\n1\n8001\nZürich\nCH", .medium),
            (String(repeating: "Zürich – Grüezi invoice CW-2026-00004; ", count: 12), .medium),
            (String(repeating: "x", count: 300), .high), (String(repeating: "\u{1}", count: 120), .medium),
            (String(repeating: "QR-bill ", count: 124), .medium),
        ]
        for (payload, level) in payloads {
            let bytes = Array(payload.utf8)
            let chosen = try QRCode(bytes: bytes, errorCorrection: level)
            let ours = QRCode.maskPenalties(bytes: bytes, errorCorrection: level, version: chosen.version)
            var reference: [Int] = []
            for mask in 0..<8 {
                reference.append(Self.referencePenalty(try QRCode(bytes: bytes, errorCorrection: level,
                                                                  minimumVersion: chosen.version, mask: mask)))
            }
            #expect(ours == reference, "version \(chosen.version) \(level)")
            #expect(chosen.mask == reference.indices.min { reference[$0] < reference[$1] })
        }
    }

    // Mutation (mutants.tsv qr-mask-row-wrong): a mask's row pattern table built for the wrong row (y + 1) → modules differ from
    // the formula and this test fails.
    @Test func maskedModulesFollowTheMaskFormulas() throws {
        let bytes = Array("Masks: Rechnung CW-2026-00004".utf8)
        let plain = try QRCode(bytes: bytes, errorCorrection: .medium, minimumVersion: 7, mask: 0)
        for mask in 1..<8 {
            let masked = try QRCode(bytes: bytes, errorCorrection: .medium, minimumVersion: 7, mask: mask)
            var differences = 0
            // Away from function patterns both symbols hold the same data, each with its own mask.
            for y in 9..<plain.size - 9 {
                for x in 9..<plain.size - 9 where x != 6 && y != 6 {
                    let data0 = plain.isDark(x: x, y: y) != QRMask.inverts(0, x: x, y: y)
                    let dataM = masked.isDark(x: x, y: y) != QRMask.inverts(mask, x: x, y: y)
                    if data0 != dataM { differences += 1 }
                }
            }
            // Alignment patterns are function modules the masks skip: a few dozen at most.
            #expect(differences < 60, "mask \(mask): \(differences) data modules differ")
        }
    }
}
