/// The CRC-32 of PNG chunks and of the Factur-X file identifier (ISO 3309, polynomial 0xEDB88320).
///
/// Slicing-by-8 (eight derived tables, eight bytes a step): the same checksum as the byte-at-a-time
/// table, several times faster on the whole PDFs the Factur-X identifier covers.
enum CRC32 {
    /// `tables[k * 256 + i]`: table 0 is the classic byte table; table k advances table k − 1 by one zero byte.
    private static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for value in 0..<256 {
            var crc = UInt32(value)
            for _ in 0..<8 { crc = crc & 1 == 1 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
            t[value] = crc
        }
        for k in 1..<8 {
            for value in 0..<256 {
                let previous = t[(k - 1) * 256 + value]
                t[k * 256 + value] = (previous >> 8) ^ t[Int(previous & 0xFF)]
            }
        }
        return t
    }()

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { data in
            tables.withUnsafeBufferPointer { t in
                var crc: UInt32 = 0xFFFF_FFFF
                var i = 0
                let count = data.count
                while i + 8 <= count {
                    let one = crc ^ (UInt32(data[i]) | UInt32(data[i + 1]) << 8 | UInt32(data[i + 2]) << 16 | UInt32(data[i + 3]) << 24)
                    let two = UInt32(data[i + 4]) | UInt32(data[i + 5]) << 8 | UInt32(data[i + 6]) << 16 | UInt32(data[i + 7]) << 24
                    crc = t[7 * 256 + Int(one & 0xFF)] ^ t[6 * 256 + Int((one >> 8) & 0xFF)]
                        ^ t[5 * 256 + Int((one >> 16) & 0xFF)] ^ t[4 * 256 + Int(one >> 24)]
                        ^ t[3 * 256 + Int(two & 0xFF)] ^ t[2 * 256 + Int((two >> 8) & 0xFF)]
                        ^ t[256 + Int((two >> 16) & 0xFF)] ^ t[Int(two >> 24)]
                    i += 8
                }
                while i < count {
                    crc = t[Int((crc ^ UInt32(data[i])) & 0xFF)] ^ (crc >> 8)
                    i += 1
                }
                return crc ^ 0xFFFF_FFFF
            }
        }
    }
}
