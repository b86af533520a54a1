/// Reed–Solomon error correction over GF(256) with the QR code's polynomial x⁸+x⁴+x³+x²+1 (0x11D).
struct ReedSolomon: Sendable {
    /// The generator polynomial's coefficients, highest power first, leading 1 left out.
    let divisor: [UInt8]

    init(degree: Int) {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = ReedSolomon.multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = ReedSolomon.multiply(root, 0x02)
        }
        divisor = result
    }

    /// The error-correction codewords for `data`.
    func remainder(_ data: ArraySlice<UInt8>) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count {
                result[i] ^= ReedSolomon.multiply(divisor[i], factor)
            }
        }
        return result
    }

    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }
}
