/// How issued invoices are numbered: a pattern such as `INV-{YYYY}-{SEQ:5}` and whether the counter
/// starts again each year.
///
/// Tokens: `{YYYY}` year, `{YY}` two-digit year, `{MM}` month, `{SEQ}` the counter, `{SEQ:n}` the
/// counter padded to n digits. The pattern must contain one `{SEQ}` so numbers are unique.
public struct InvoiceNumberFormat: Sendable, Hashable {
    public let pattern: String
    public let resetsYearly: Bool

    public static let `default` = InvoiceNumberFormat(checkedPattern: "INV-{YYYY}-{SEQ:5}", resetsYearly: true)

    public static let creditNoteDefault = InvoiceNumberFormat(checkedPattern: "CN-{YYYY}-{SEQ:5}", resetsYearly: true)

    /// A credit-note format: it resets yearly exactly when the pattern holds a year.
    public init(creditNotePattern pattern: String) throws {
        try self.init(pattern: pattern, resetsYearly: pattern.contains("{YYYY}") || pattern.contains("{YY}"))
    }

    init(checkedPattern: String, resetsYearly: Bool) {
        pattern = checkedPattern
        self.resetsYearly = resetsYearly
    }

    public init(pattern: String, resetsYearly: Bool) throws {
        let checked = try TextField.singleLine(pattern, field: "invoice number format", required: true, maxLength: 60)
        var seqCount = 0
        var rest = Substring(checked)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw BillingError("invoice number format '\(pattern)' has an unclosed '{'")
            }
            let token = rest[rest.index(after: open)..<close]
            switch token {
            case "YYYY", "YY", "MM": break
            case "SEQ": seqCount += 1
            default:
                if token.hasPrefix("SEQ:"), let width = Int(token.dropFirst(4)), (1...12).contains(width) {
                    seqCount += 1
                } else {
                    throw BillingError("invoice number format '\(pattern)': unknown token {\(token)}; use {YYYY}, {YY}, {MM}, {SEQ} or {SEQ:n}")
                }
            }
            rest = rest[rest.index(after: close)...]
        }
        guard seqCount == 1 else { throw BillingError("invoice number format '\(pattern)' needs exactly one {SEQ} or {SEQ:n}") }
        if resetsYearly && !checked.contains("{YYYY}") && !checked.contains("{YY}") {
            throw BillingError("invoice number format '\(pattern)' resets yearly, so it must contain {YYYY} or {YY}")
        }
        self.pattern = checked
        self.resetsYearly = resetsYearly
    }

    /// The counter a number on `day` draws from: one per year when resetting yearly, else one for all.
    public func counterScope(on day: Day) -> String { resetsYearly ? String(day.year) : "all" }

    public func number(sequence: Int64, on day: Day) -> String {
        var out = ""
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            out += rest[..<open]
            let token = rest[rest.index(after: open)..<close]
            switch token {
            case "YYYY": out += Day.pad(day.year, 4)
            case "YY": out += Day.pad(day.year % 100, 2)
            case "MM": out += Day.pad(day.month, 2)
            case "SEQ": out += String(sequence)
            default: out += Day.pad(Int(sequence), Int(token.dropFirst(4)) ?? 1)
            }
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
