import Billing
import Foundation
import Store

/// How invoice mail leaves: the SMTP relay, its credentials' whereabouts and the retry policy.
/// Kept apart from the billing core's `Operator` (who bills, and how): stored in the same settings
/// table and set with the same `invoice settings set`.
public struct MailSettings: Sendable, Hashable {
    /// `smtp://host:port` (STARTTLS required unless loopback) or `smtps://host:port`; empty = no mail server.
    public var smtpURL = ""
    public var smtpUser = ""
    /// A file holding the SMTP password (the password itself never goes into the database or argv).
    public var smtpPasswordFile = ""
    /// A PEM file of trusted CAs for the relay's certificate (checked when set); empty = the system store.
    public var smtpCAFile = ""
    public var maxAttempts = 8
    /// Backoff bounds in seconds: the n-th retry waits a random time up to min(cap, base × 2^(n-1)).
    public var backoffBase = 60
    public var backoffCap = 21_600

    public init() {}

    public static let settings: [Operator.Setting] = [
        Operator.Setting(key: "smtp_url", help: "mail server: smtp://host:587 (STARTTLS) or smtps://host:465; empty: mail waits in the Outbox"),
        Operator.Setting(key: "smtp_user", help: "SMTP user name (env INVOICE_SMTP_USER overrides)"),
        Operator.Setting(key: "smtp_password_file", help: "file holding the SMTP password (or env INVOICE_SMTP_PASSWORD)"),
        Operator.Setting(key: "smtp_ca_file", help: "PEM file of the CA that signed a private relay's certificate; empty: the system store"),
        Operator.Setting(key: "mail_max_attempts", help: "attempts before a message fails (default 8)"),
        Operator.Setting(key: "mail_backoff", help: "retry backoff base and cap in seconds, e.g. 60,21600"),
    ]

    public static func isMailSetting(_ key: String) -> Bool { settings.contains { $0.key == key } }

    public var retryPolicy: RetryPolicy { RetryPolicy(maxAttempts: maxAttempts, baseSeconds: backoffBase, capSeconds: backoffCap) }

    public func value(for key: String) -> String? {
        switch key {
        case "smtp_url": smtpURL
        case "smtp_user": smtpUser
        case "smtp_password_file": smtpPasswordFile
        case "smtp_ca_file": smtpCAFile
        case "mail_max_attempts": String(maxAttempts)
        case "mail_backoff": "\(backoffBase),\(backoffCap)"
        default: nil
        }
    }

    /// Sets one mail setting from its text form, checking it; unknown keys and bad values throw.
    public mutating func set(_ key: String, to raw: String) throws {
        let value = try TextField.singleLine(raw, field: key, maxLength: 300)
        switch key {
        case "smtp_url":
            guard value.isEmpty || value.hasPrefix("smtp://") || value.hasPrefix("smtps://") else {
                throw WorkflowError("smtp_url must start with smtp:// or smtps://")
            }
            guard !value.contains("@") else {
                throw WorkflowError("smtp_url must not contain a user or password; use smtp_user and smtp_password_file")
            }
            smtpURL = value
        case "smtp_user": smtpUser = value
        case "smtp_password_file": smtpPasswordFile = value
        case "smtp_ca_file": smtpCAFile = value
        case "mail_max_attempts":
            guard let n = Int(value), (1...50).contains(n) else { throw WorkflowError("mail_max_attempts must be between 1 and 50") }
            maxAttempts = n
        case "mail_backoff":
            let parts = value.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let base = parts[0], let cap = parts[1], base >= 1, cap >= base, cap <= 604_800 else {
                throw WorkflowError("mail_backoff must be base,cap in seconds with 1 ≤ base ≤ cap ≤ 604800, e.g. 60,21600")
            }
            backoffBase = base
            backoffCap = cap
        default:
            throw WorkflowError("unknown mail setting '\(key)'")
        }
    }

    /// The mail settings stored in `store`, defaults where nothing was set.
    public static func load(from store: Store) throws -> MailSettings {
        let stored = try store.settingValues()
        var result = MailSettings()
        for setting in settings {
            if let value = stored[setting.key] { try result.set(setting.key, to: value) }
        }
        return result
    }

    /// Checks and stores one mail setting; returns the settings as they now are.
    @discardableResult
    public static func set(_ key: String, to value: String, in store: Store) throws -> MailSettings {
        try store.write {
            var current = try load(from: store)
            try current.set(key, to: value)
            try store.storeCheckedSetting(key, current.value(for: key) ?? value)
            return current
        }
    }
}
