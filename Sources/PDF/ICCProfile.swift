import Foundation

/// A minimal sRGB ICC profile (ICC.1 version 2.1, display class), written by code: the sRGB primaries
/// adapted to D50 (Bradford) and the sRGB tone curve as a 1024-entry table. What a PDF/A output intent
/// needs (`/N 3`), without shipping a profile file.
enum ICCProfile: Sendable {
    static let sRGB: [UInt8] = build()

    private static func build() -> [UInt8] {
        func u32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
        func u16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
        func sig(_ s: String) -> [UInt8] { Array(s.utf8) }
        /// s15Fixed16Number from ten-thousandths (exact integers, no floating point for the colorants).
        func s15(_ tenThousandths: Int) -> [UInt8] { u32(UInt32(bitPattern: Int32((tenThousandths * 65_536 + 5_000) / 10_000))) }
        func xyz(_ x: Int, _ y: Int, _ z: Int) -> [UInt8] { sig("XYZ ") + u32(0) + s15(x) + s15(y) + s15(z) }
        func text(_ t: String) -> [UInt8] { sig("text") + u32(0) + Array(t.utf8) + [0] }
        func desc(_ t: String) -> [UInt8] {
            sig("desc") + u32(0) + u32(UInt32(t.utf8.count + 1)) + Array(t.utf8) + [0]
                + u32(0) + u32(0) + u16(0) + [0] + [UInt8](repeating: 0, count: 67)
        }
        // The sRGB transfer function (IEC 61966-2-1), sampled at 1024 points.
        var curve = sig("curv") + u32(0) + u32(1024)
        for index in 0..<1024 {
            let v = Double(index) / 1023
            let linear = v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
            curve += u16(UInt16(min(65_535, max(0, (linear * 65_535).rounded()))))
        }
        let tags: [(String, [UInt8])] = [
            ("desc", desc("sRGB IEC61966-2.1")),
            ("cprt", text("No copyright, use freely")),
            ("wtpt", xyz(9642, 10_000, 8249)),
            ("rXYZ", xyz(4361, 2225, 139)),
            ("gXYZ", xyz(3851, 7169, 971)),
            ("bXYZ", xyz(1431, 606, 7141)),
            ("rTRC", curve), ("gTRC", curve), ("bTRC", curve),
        ]
        // Tag data after the header (128 bytes) and the table (4 + 12 per tag); the three curves share one copy.
        var data: [UInt8] = []
        var table: [UInt8] = u32(UInt32(tags.count))
        var placed: [[UInt8]: (UInt32, UInt32)] = [:]
        let dataStart = 128 + 4 + 12 * tags.count
        for (name, bytes) in tags {
            let (offset, size): (UInt32, UInt32)
            if let known = placed[bytes] {
                (offset, size) = known
            } else {
                while data.count % 4 != 0 { data.append(0) }
                offset = UInt32(dataStart + data.count)
                size = UInt32(bytes.count)
                data += bytes
                placed[bytes] = (offset, size)
            }
            table += sig(name) + u32(offset) + u32(size)
        }
        while data.count % 4 != 0 { data.append(0) }
        let total = UInt32(dataStart + data.count)
        var header = u32(total) + u32(0) + u32(0x0210_0000) + sig("mntr") + sig("RGB ") + sig("XYZ ")
        header += u16(2026) + u16(1) + u16(1) + u16(0) + u16(0) + u16(0)
        header += sig("acsp") + u32(0) + u32(0) + u32(0) + u32(0) + u32(0) + u32(0) + u32(0)
        header += s15(9642) + s15(10_000) + s15(8249)
        header += u32(0)
        header += [UInt8](repeating: 0, count: 128 - header.count)
        return header + table + data
    }
}
