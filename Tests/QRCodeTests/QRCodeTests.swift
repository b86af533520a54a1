import Foundation
import QRCode
import Testing

@Suite(.serialized)
struct QRCodeTests {
    @Test func shortMediumAndLongUTF8PayloadsDecodeToTheExactBytes() throws {
        let decoder = try QRDecoder()
        defer { decoder.remove() }
        let long = String(repeating: "Zürich – Grüezi 🇨🇭 invoice CW-2026-00004; ", count: 20)
        let payloads = ["A", "Hello, world!", "https://example.com/invoice/CW-2026-00004?x=1&y=2",
                        "SPC\n0200\n1\nCH4431999123000889012\nS\nMüller & Söhne AG\nBahnhofstrasse\n1\n8001\nZürich\nCH",
                        String(long.prefix(while: { _ in true }).reduce(into: "") { text, character in
                            if text.utf8.count + String(character).utf8.count <= 900 { text.append(character) }
                        })]
        for (index, payload) in payloads.enumerated() {
            let code = try QRCode(text: payload, errorCorrection: .medium)
            let decoded = try decoder.decode(code, name: "payload\(index)")
            #expect(decoded == Array(payload.utf8), "payload \(index), version \(code.version), mask \(code.mask)")
        }
    }

    // Mutation (mutants.tsv qr-version-level-low): QRCode.version(forByteCount:) weighs every level's capacity as level L's → 15
    // bytes at M get version 1 → fails (the encoder, which uses it, then traps: the run fails).
    // (`<` for `<=` is no mutation here: byte mode needs 4 + 8|16 + 8n bits, never a multiple of 8.)
    @Test func theVersionForAByteCountIsTheOneTheEncoderChooses() throws {
        // Byte-mode capacities at level M (ISO/IEC 18004 table 7): 14 bytes fill version 1, 997 version 25.
        #expect(QRCode.version(forByteCount: 14, errorCorrection: .medium) == 1)
        #expect(QRCode.version(forByteCount: 15, errorCorrection: .medium) == 2)
        #expect(QRCode.version(forByteCount: 997, errorCorrection: .medium) == 25)
        #expect(QRCode.version(forByteCount: 998, errorCorrection: .medium) == 26)
        #expect(QRCode.version(forByteCount: 2331, errorCorrection: .medium) == 40)
        #expect(QRCode.version(forByteCount: 2332, errorCorrection: .medium) == nil)
        #expect(QRCode.version(forByteCount: 10, errorCorrection: .medium, minimumVersion: 14) == 14)
        #expect(QRCode.version(forByteCount: 10, minimumVersion: 41) == nil)
        for count in stride(from: 0, through: 1_000, by: 37) {
            for level in [QRErrorCorrection.low, .medium, .quartile, .high] {
                let code = try QRCode(bytes: [UInt8](repeating: 0x41, count: count), errorCorrection: level, mask: 0)
                #expect(QRCode.version(forByteCount: count, errorCorrection: level) == code.version, "\(count) bytes at \(level)")
            }
        }
    }

    @Test func everyMaskDecodes() throws {
        let decoder = try QRDecoder()
        defer { decoder.remove() }
        for mask in 0..<8 {
            let payload = "Mask \(mask): Rechnung 2026-00004 über CHF 1'234.50"
            let code = try QRCode(text: payload, errorCorrection: .medium, minimumVersion: 5, mask: mask)
            #expect(code.mask == mask)
            #expect(try decoder.decode(code, name: "mask\(mask)") == Array(payload.utf8), "mask \(mask)")
        }
    }

    // Mutation (mutants.tsv qr-template-below): QRMatrix(version:) copies the template of the version below (templates[number − 2])
    // → sizes and patterns are wrong → zbarimg decodes nothing and this test fails (checked).
    @Test func everyVersionDecodesAtLevelM() throws {
        let decoder = try QRDecoder()
        defer { decoder.remove() }
        for version in 1...40 {
            let payload = "Version \(version) " + String(repeating: "x", count: version * 3)
            let code = try QRCode(text: payload, errorCorrection: .medium, minimumVersion: version)
            #expect(code.version == version)
            #expect(code.size == version * 4 + 17)
            #expect(try decoder.decode(code, moduleSize: 2, name: "v\(version)") == Array(payload.utf8),
                    "version \(version), mask \(code.mask)")
        }
    }

    @Test func fullSymbolsDecodeAtEveryLevel() throws {
        let decoder = try QRDecoder()
        defer { decoder.remove() }
        // The largest byte payload each level holds in a few versions (ISO/IEC 18004 table 7).
        let capacities: [(QRErrorCorrection, Int, Int)] = [
            (.low, 1, 17), (.medium, 1, 14), (.quartile, 1, 11), (.high, 1, 7),
            (.medium, 10, 213), (.medium, 25, 997), (.low, 15, 520), (.quartile, 20, 482), (.high, 30, 742),
        ]
        for (level, version, capacity) in capacities {
            let bytes = (0..<capacity).map { UInt8(($0 * 37 + 11) % 95 + 32) }
            let code = try QRCode(bytes: bytes, errorCorrection: level)
            #expect(code.version == version, "\(level) \(capacity) bytes")
            #expect(try decoder.decode(code, moduleSize: 2, name: "full\(level)\(version)") == bytes,
                    "\(level) version \(version)")
            let more = try QRCode(bytes: bytes + [65], errorCorrection: level)
            #expect(more.version == version + 1)
        }
    }

    @Test func aSwissQRBillMaximumFitsByVersion25AtLevelM() throws {
        let code = try QRCode(bytes: [UInt8](repeating: 0x41, count: 997), errorCorrection: .medium)
        #expect(code.version == 25)
    }

    @Test func tooMuchDataAndBadParametersAreErrors() {
        #expect(throws: QRCodeError.self) { try QRCode(bytes: [UInt8](repeating: 0, count: 2_332), errorCorrection: .medium) }
        #expect(throws: QRCodeError.self) { try QRCode(text: "x", mask: 8) }
        #expect(throws: QRCodeError.self) { try QRCode(text: "x", minimumVersion: 41) }
    }

    @Test func theSameInputGivesTheSameSymbol() throws {
        #expect(try QRCode(text: "stable") == QRCode(text: "stable"))
        #expect(try QRCode(text: "stable").isDark(x: -1, y: 0) == false)
    }
}
