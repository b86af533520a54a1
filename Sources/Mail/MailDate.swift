import Foundation

/// Formats dates as RFC 5322 `date-time` in UTC, e.g. `Tue, 25 Nov 2025 13:00:00 +0000`.
///
/// Built from Gregorian UTC components with fixed English names, so the result never depends on
/// the process locale (a known bug in other Swift mailers that send `Do., 18 Juli`).
public enum MailDate: Sendable {
    private static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func string(from date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let weekday = days[((c.weekday ?? 1) - 1 + 7) % 7]
        let month = months[((c.month ?? 1) - 1 + 12) % 12]
        func two(_ value: Int?) -> String {
            let v = value ?? 0
            return v < 10 ? "0\(v)" : "\(v)"
        }
        let year = c.year ?? 1970
        let yearText = year < 1000 ? String(repeating: "0", count: 4 - String(year).count) + String(year) : String(year)
        return "\(weekday), \(two(c.day)) \(month) \(yearText) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }
}
