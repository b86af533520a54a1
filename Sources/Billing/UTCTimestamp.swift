/// The one timestamp format: ISO 8601 in UTC to the second, `2026-11-25T13:05:00Z`. Rows are
/// stamped with it and listings show it. (Mail `Date:` headers and PDF dates have formats of
/// their own, fixed by their standards.)
public enum UTCTimestamp: Sendable {
    /// The timestamp of `seconds` since 1970-01-01T00:00:00Z (negative: before).
    public static func string(epochSeconds seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : -((-seconds + 86_399) / 86_400)
        let day = Day(daysSinceEpoch: Int(days))
        let rest = Int(seconds - days * 86_400)
        func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        return "\(day)T\(pad(rest / 3600)):\(pad(rest / 60 % 60)):\(pad(rest % 60))Z"
    }
}
