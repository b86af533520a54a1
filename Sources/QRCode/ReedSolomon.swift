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

    /// The generator for `degree` error-correction codewords (QR codes use 7…30), built once.
    static func generator(degree: Int) -> ReedSolomon {
        generators.indices.contains(degree) ? generators[degree] : ReedSolomon(degree: degree)
    }

    private static let generators: [ReedSolomon] = (0...30).map { ReedSolomon(degree: max($0, 1)) }

    /// The error-correction codewords for `data`: polynomial division with log/antilog tables,
    /// shifting the remainder in place.
    func remainder(_ data: ArraySlice<UInt8>) -> [UInt8] {
        let degree = divisor.count
        var result = [UInt8](repeating: 0, count: degree)
        let divisorLogs = divisor.map { ReedSolomon.logarithms[Int($0)] }
        result.withUnsafeMutableBufferPointer { result in
            ReedSolomon.exponentials.withUnsafeBufferPointer { exp in
                for byte in data {
                    let factor = byte ^ result[0]
                    for i in 0..<degree - 1 { result[i] = result[i + 1] }
                    result[degree - 1] = 0
                    guard factor != 0 else { continue }
                    let logFactor = Int(ReedSolomon.logarithms[Int(factor)])
                    for i in 0..<degree where divisor[i] != 0 {
                        result[i] ^= exp[Int(divisorLogs[i]) + logFactor]
                    }
                }
            }
        }
        return result
    }

    /// 2^i in GF(256) for i in 0 ..< 510 (doubled, so a sum of two logarithms needs no modulo).
    static let exponentials: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 510)
        var value: UInt8 = 1
        for i in 0..<255 {
            table[i] = value
            table[i + 255] = value
            value = multiply(value, 2)
        }
        return table
    }()

    /// log₂ of each non-zero element of GF(256) (entry 0 unused).
    static let logarithms: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 256)
        for i in 0..<255 { table[Int(exponentials[i])] = UInt8(i) }
        return table
    }()

    /// Multiplication in GF(256), bit by bit (builds the tables).
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= Int((y >> UInt8(i)) & 1) * Int(x)
        }
        return UInt8(z & 0xFF)
    }
}
