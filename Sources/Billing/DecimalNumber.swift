/// An exact decimal: `significand × 10^-scale`. Quantities, percentages and rates are these,
/// never binary floating point, so "7.7" is exactly 7.7.
public struct DecimalNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let significand: Int64
    public let scale: Int

    public init(significand: Int64, scale: Int) {
        self.significand = significand
        self.scale = scale
    }

    public init(_ integer: Int) { self.init(significand: Int64(integer), scale: 0) }

    public static let zero = DecimalNumber(0)

    /// Parses a plain decimal with a point (`1.5`, `-3`, `0.075`), allowing at most `maxScale` decimals.
    /// One format only: digits, optionally a point followed by digits, optionally a leading minus
    /// (whether a negative makes sense is the field's own rule). No spaces, plus sign, comma, or a
    /// point without digits on both sides (`" 1.00"`, `"+1"`, `"1,00"`, `".5"`, `"1."` are refused).
    /// `field` names the input in the error message.
    public init(parsing raw: String, maxScale: Int, field: String) throws {
        var digits = Substring(raw)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        let pieces = digits.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = pieces[0]
        let fraction = pieces.count > 1 ? pieces[1] : ""
        guard !whole.isEmpty, pieces.count == 1 || !fraction.isEmpty,
              (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber })
        else {
            throw BillingError("\(field) '\(raw)' is not a number; write digits with an optional point, such as 12.50 "
                               + "(no spaces, sign or comma)")
        }
        guard fraction.count <= maxScale else {
            throw BillingError(maxScale == 0
                ? "\(field) '\(raw)' must be a whole number"
                : "\(field) '\(raw)' has more than \(maxScale) decimal\(maxScale == 1 ? "" : "s")")
        }
        let trimmedWhole = whole.drop(while: { $0 == "0" })
        guard trimmedWhole.count + fraction.count <= 17, let value = Int64(String(whole.isEmpty ? "0" : whole) + fraction)
        else { throw BillingError("\(field) '\(raw)' is too large") }
        self.init(significand: negative ? -value : value, scale: fraction.count)
    }

    public var isNegative: Bool { significand < 0 }
    public var isZero: Bool { significand == 0 }

    /// The value scaled to `target` decimals (target ≥ scale), as a 128-bit integer.
    func scaled(to target: Int) -> Int128 {
        var value = Int128(significand)
        for _ in scale..<max(scale, target) { value *= 10 }
        return value
    }

    public static func < (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
        let s = max(lhs.scale, rhs.scale)
        return lhs.scaled(to: s) < rhs.scaled(to: s)
    }

    public static func == (lhs: DecimalNumber, rhs: DecimalNumber) -> Bool {
        let s = max(lhs.scale, rhs.scale)
        return lhs.scaled(to: s) == rhs.scaled(to: s)
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(normalized.significand); hasher.combine(normalized.scale) }

    /// The same value with trailing zero decimals removed (7.70 → 7.7, 8.0 → 8).
    public var normalized: DecimalNumber {
        var s = significand, sc = scale
        while sc > 0 && s % 10 == 0 { s /= 10; sc -= 1 }
        return DecimalNumber(significand: s, scale: sc)
    }

    /// Plain text with a point, trailing zeros removed: `7.7`, `1.5`, `19`.
    public var description: String { DecimalNumber.format(normalized.significand, scale: normalized.scale) }

    static func format(_ significand: Int64, scale: Int) -> String {
        let negative = significand < 0
        var digits = String(significand.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

/// Integer division rounding half away from zero ("half-up" as accountants and EN 16931 tools use it).
@inlinable
public func divideRoundingHalfUp(_ numerator: Int128, _ denominator: Int128) -> Int128 {
    precondition(denominator > 0)
    let q = numerator / denominator, r = numerator % denominator
    if r.magnitude * 2 >= denominator.magnitude { return numerator < 0 ? q - 1 : q + 1 }
    return q
}
