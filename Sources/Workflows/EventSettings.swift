import Billing
import Store

/// How events reach the operator's app: attempts, backoff, the answer timeout, and how early
/// `trial.ending` is sent. Stored in the settings table, set with `invoice settings set`.
public struct EventSettings: Sendable, Hashable {
    /// Attempts before a delivery is `failed`: with the default backoff the last one is about three
    /// days after the first (60 s, 2 min, … doubling up to 8 h, ±20 %: 17 waits ≈ 72 h).
    public var maxAttempts = 18
    public var backoffBase = 60
    public var backoffCap = 28_800
    /// Seconds an endpoint has to answer (Standard Webhooks advises 15–30).
    public var timeout = 15
    /// `trial.ending` is written this many days before a trial's last day (Stripe: 3).
    public var trialEndingDays = 3

    public init() {}

    public static let settings: [Operator.Setting] = [
        Operator.Setting(key: "event_max_attempts", help: "delivery attempts of an event before it fails (default 18, about 3 days)"),
        Operator.Setting(key: "event_backoff", help: "event retry backoff base and cap in seconds (default 60,28800)"),
        Operator.Setting(key: "event_timeout", help: "seconds an endpoint has to answer (default 15)"),
        Operator.Setting(key: "trial_ending_days", help: "days before a trial ends that trial.ending is sent (default 3)"),
    ]

    public static func isEventSetting(_ key: String) -> Bool { settings.contains { $0.key == key } }

    public func value(for key: String) -> String? {
        switch key {
        case "event_max_attempts": String(maxAttempts)
        case "event_backoff": "\(backoffBase),\(backoffCap)"
        case "event_timeout": String(timeout)
        case "trial_ending_days": String(trialEndingDays)
        default: nil
        }
    }

    public mutating func set(_ key: String, to raw: String) throws {
        let value = raw.trimmingCharacters(in: .whitespaces)
        switch key {
        case "event_max_attempts":
            guard let n = Int(value), (1...50).contains(n) else { throw WorkflowError("event_max_attempts must be between 1 and 50") }
            maxAttempts = n
        case "event_backoff":
            let parts = value.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let base = parts[0], let cap = parts[1], base >= 1, cap >= base, cap <= 604_800 else {
                throw WorkflowError("event_backoff must be base,cap in seconds with 1 ≤ base ≤ cap ≤ 604800, e.g. 60,28800")
            }
            backoffBase = base
            backoffCap = cap
        case "event_timeout":
            guard let n = Int(value), (1...120).contains(n) else { throw WorkflowError("event_timeout must be between 1 and 120 seconds") }
            timeout = n
        case "trial_ending_days":
            guard let n = Int(value), (0...60).contains(n) else { throw WorkflowError("trial_ending_days must be between 0 and 60") }
            trialEndingDays = n
        default:
            throw WorkflowError("unknown event setting '\(key)'")
        }
    }

    /// The wait after `attempts` attempts: base × 2^(attempts−1), at most the cap, ±20 % jitter; nil
    /// when they are used up.
    public func delay(afterAttempts attempts: Int, using generator: inout some RandomNumberGenerator) -> Int? {
        guard attempts < maxAttempts else { return nil }
        let exponent = min(max(attempts - 1, 0), 30)
        let ceiling = min(backoffCap, backoffBase * (1 << exponent))
        let spread = max(0, ceiling / 5)
        return max(1, ceiling + Int.random(in: -spread...spread, using: &generator))
    }

    public static func load(from store: Store) throws -> EventSettings {
        let stored = try store.settingValues()
        var result = EventSettings()
        for setting in settings {
            if let value = stored[setting.key] { try result.set(setting.key, to: value) }
        }
        return result
    }

    @discardableResult
    public static func set(_ key: String, to value: String, in store: Store) throws -> EventSettings {
        try store.write {
            var current = try load(from: store)
            try current.set(key, to: value)
            try store.storeCheckedSetting(key, current.value(for: key) ?? value)
            return current
        }
    }
}
