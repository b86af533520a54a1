import Billing

extension Store {
    /// The settings row that remembers the day of the latest `invoice run` (not an operator setting:
    /// `Operator` ignores keys it does not know).
    static let lastRunKey = "state.last_run"

    /// The day of the latest `invoice run`, nil before the first.
    public func lastRunDay() throws -> Day? {
        try guarded {
            guard let text = try connection.first("SELECT value FROM settings WHERE key = ?", [.text(Store.lastRunKey)], { $0.text(0) })
            else { return nil }
            return try Day(parsing: text)
        }
    }

    /// Records `day` as the latest run's day (never moves it back).
    public func recordRun(on day: Day) throws {
        try write {
            if let last = try lastRunDay(), last >= day { return }
            try connection.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               [.text(Store.lastRunKey), .text(day.description)])
        }
    }
}
