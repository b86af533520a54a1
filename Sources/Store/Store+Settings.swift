import Billing
import Database

extension Store {
    /// The operator and its settings, defaults where nothing was set.
    public func loadOperator() throws -> Operator {
        try guarded {
            var result = Operator()
            let pairs = try connection.query("SELECT key, value FROM settings ORDER BY key") { ($0.text(0), $0.text(1)) }
            let stored = Dictionary(pairs, uniquingKeysWith: { _, last in last })
            for setting in Operator.settings where !setting.key.hasPrefix("number_") {
                if let value = stored[setting.key] { try result.set(setting.key, to: value) }
            }
            // The pattern and its reset rule are checked together: each alone may be invalid in between.
            result.numberFormat = try InvoiceNumberFormat(
                pattern: stored["number_format"] ?? InvoiceNumberFormat.default.pattern,
                resetsYearly: (stored["number_reset"] ?? "yearly") == "yearly")
            return result
        }
    }

    /// Checks and stores one setting; returns the operator as it now is.
    @discardableResult
    public func setSetting(_ key: String, to value: String) throws -> Operator {
        try write {
            var current = try loadOperator()
            try current.set(key, to: value, checkingInputLimits: true)
            // Store the normalized text so `settings show` prints what is in force.
            let normalized = current.value(for: key) ?? value
            try connection.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               [.text(key), .text(normalized)])
            noteChanged("setting:\(key)")
            if key == "number_format" || key == "number_reset" {
                try connection.run("INSERT INTO settings (key, value) VALUES ('number_reset', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                                   [.text(current.numberFormat.resetsYearly ? "yearly" : "never")])
            }
            return current
        }
    }
}

extension Store {
    /// Every stored setting by key (the operator's and the others' alike).
    public func settingValues() throws -> [String: String] {
        try guarded {
            let pairs = try connection.query("SELECT key, value FROM settings ORDER BY key") { ($0.text(0), $0.text(1)) }
            return Dictionary(pairs, uniquingKeysWith: { _, last in last })
        }
    }

    /// Stores a setting that its owner (e.g. `MailSettings` in Workflows) has already checked and normalized.
    public func storeCheckedSetting(_ key: String, _ value: String) throws {
        try write {
            try connection.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                               [.text(key), .text(value)])
            noteChanged("setting:\(key)")
        }
    }
}
