import CPostgres
import Database

/// The current row of a PostgreSQL result in text format, read as the store's `Row`.
///
/// Every value arrives as text. Integers are parsed exactly: a NUMERIC such as `SUM(amount)` reads
/// as its integer when its fraction is zero (`1234.00`), and a value with a fraction, out of the
/// 64-bit range or not a number at all is refused, never rounded: `int` then records the failure and
/// the connection throws it as soon as the closure reading the row returns (the store's row readers
/// do not throw, and money must not come back silently wrong). BYTEA columns arrive hex-escaped
/// (`\x…`, the connection sets `bytea_output = hex`) and `blob` decodes them.
final class PostgresRow: RowSource {
    var result: OpaquePointer?
    var row: Int32 = 0
    /// The first value this row could not convert, thrown by the connection after the reader returns.
    var failure: DatabaseError?

    init() {}

    var columnCount: Int { result.map { Int(PQnfields($0)) } ?? 0 }

    func isNull(_ index: Int) -> Bool {
        guard let result, index < columnCount else { return true }
        return PQgetisnull(result, row, Int32(index)) == 1
    }

    private func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8>? {
        guard let result, index < columnCount, PQgetisnull(result, row, Int32(index)) == 0,
              let value = PQgetvalue(result, row, Int32(index)) else { return nil }
        let count = Int(PQgetlength(result, row, Int32(index)))
        return UnsafeRawPointer(value).withMemoryRebound(to: UInt8.self, capacity: count) {
            UnsafeBufferPointer(start: $0, count: count)
        }
    }

    func int(_ index: Int) -> Int64 {
        guard let value = bytes(index) else { return 0 }
        if let parsed = Self.exactInteger(value) { return parsed }
        let text = String(decoding: value, as: UTF8.self)
        let name = result.flatMap { PQfname($0, Int32(index)) }.map { String(cString: $0) } ?? "column \(index)"
        if failure == nil {
            failure = DatabaseError(
                kind: .other, code: "22003",
                message: "\(name) is \(text), which is not a whole number the store can read exactly")
        }
        return 0
    }

    func text(_ index: Int) -> String {
        guard let value = bytes(index) else { return "" }
        return String(decoding: value, as: UTF8.self)
    }

    func blob(_ index: Int) -> [UInt8] {
        guard let value = bytes(index), let result else { return [] }
        guard PQftype(result, Int32(index)) == Self.byteaOID else { return Array(value) }
        guard let decoded = Self.decodeHex(value) else {
            if failure == nil {
                failure = DatabaseError(kind: .other, code: "22P03", message: "a bytea value is not hex-escaped")
            }
            return []
        }
        return decoded
    }

    static let byteaOID: Oid = 17
    static let boolOID: Oid = 16

    /// `-12`, `+7`, `1234.000` → the integer; `1.5`, `1e3`, `99999999999999999999`, `abc` → nil.
    /// Booleans (`t`/`f`) read as 1/0, as SQLite's integers do.
    static func exactInteger(_ text: UnsafeBufferPointer<UInt8>) -> Int64? {
        if text.count == 1 {
            if text[0] == UInt8(ascii: "t") { return 1 }
            if text[0] == UInt8(ascii: "f") { return 0 }
        }
        var i = 0
        var negative = false
        if i < text.count, text[i] == UInt8(ascii: "-") || text[i] == UInt8(ascii: "+") {
            negative = text[i] == UInt8(ascii: "-"); i += 1
        }
        guard i < text.count else { return nil }
        // Accumulate negatively so Int64.min parses too.
        var value: Int64 = 0
        var digits = 0
        while i < text.count, text[i] >= UInt8(ascii: "0"), text[i] <= UInt8(ascii: "9") {
            let digit = Int64(text[i] - UInt8(ascii: "0"))
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = next; digits += 1; i += 1
        }
        guard digits > 0 else { return nil }
        if i < text.count, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < text.count, text[i] == UInt8(ascii: "0") { i += 1 }
        }
        guard i == text.count else { return nil }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// Decodes PostgreSQL's hex bytea output `\x0a1b…`.
    static func decodeHex(_ text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count >= 2, text.count % 2 == 0, text[0] == UInt8(ascii: "\\"), text[1] == UInt8(ascii: "x") else {
            return nil
        }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: return nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity((text.count - 2) / 2)
        var i = 2
        while i < text.count {
            guard let high = nibble(text[i]), let low = nibble(text[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }

    /// Encodes bytes as a bytea hex literal `\x…` (text format input).
    static func encodeHex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
