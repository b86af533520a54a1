import Billing
import SQLite

extension Store {
    /// The operator and its settings, defaults where nothing was set.
    public func loadOperator() throws -> Operator {
        try guarded {
            var result = Operator()
            let pairs = try connection.query("SELECT key, value FROM settings ORDER BY key") { ($0.text(0), $0.text(1)) }
            // number_format before number_reset would be checked against the wrong reset; apply in a fixed order.
            let order = Operator.settings.map(\.key)
            for key in order {
                if let value = pairs.first(where: { $0.0 == key })?.1 {
                    try? result.set(key, to: value)
                }
            }
            return result
        }
    }

    /// Checks and stores one setting; returns the operator as it now is.
    @discardableResult
    public func setSetting(_ key: String, to value: String) throws -> Operator {
        try write {
            var current = try loadOperator()
            try current.set(key, to: value)
            // Store the normalized text so `settings show` prints what is in force.
            let normalized = current.value(for: key) ?? value
            try connection.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               [.text(key), .text(normalized)])
            if key == "number_format" || key == "number_reset" {
                try connection.run("INSERT INTO settings (key, value) VALUES ('number_reset', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   [.text(current.numberFormat.resetsYearly ? "yearly" : "never")])
            }
            return current
        }
    }
}
