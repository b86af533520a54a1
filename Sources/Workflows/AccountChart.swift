import Billing
import Store

/// The accounts the journal export books to (issue 22): a chart's defaults (`accounts_chart`
/// skr03|skr04|kmu), each account overridable by its own setting. Account numbers are digits (DATEV
/// and the Swiss charts number them); the ledger export names accounts `NUMBER Name`.
public struct AccountChart: Sendable, Equatable {
    public enum Chart: String, Sendable, CaseIterable {
        case skr03, skr04, kmu
    }

    public var chart: Chart = .skr03
    /// Overrides by setting key (`account_receivables`, `account_revenue_19`, `account_vat_8.1`, …).
    public var overrides: [String: String] = [:]

    public init(chart: Chart = .skr03, overrides: [String: String] = [:]) {
        self.chart = chart
        self.overrides = overrides
    }

    public static let settings: [Operator.Setting] = [
        Operator.Setting(key: "accounts_chart", help: "the chart the journal export books to: skr03 (default), skr04 or kmu"),
        Operator.Setting(key: "account_receivables", help: "receivables (debtors) account, e.g. 1400 (SKR03)"),
        Operator.Setting(key: "account_bank", help: "bank account payments arrive on and refunds leave from"),
        Operator.Setting(key: "account_customer_credit", help: "customer credit held on account (a liability)"),
        Operator.Setting(key: "account_rounding", help: "cash rounding differences"),
        Operator.Setting(key: "account_fees", help: "revenue of reminder fee invoices"),
        Operator.Setting(key: "account_revenue_RATE", help: "revenue at a VAT rate, e.g. account_revenue_19; 0 %: account_revenue_AE|K|G|E|Z|O"),
        Operator.Setting(key: "account_vat_RATE", help: "VAT payable at a rate, e.g. account_vat_8.1"),
    ]

    /// Whether `key` is one of the account settings (the per-rate ones by their prefix).
    public static func isAccountSetting(_ key: String) -> Bool {
        key == "accounts_chart" || key.hasPrefix("account_revenue_") || key.hasPrefix("account_vat_")
            || ["account_receivables", "account_bank", "account_customer_credit", "account_rounding", "account_fees"].contains(key)
    }

    public static func load(from store: Store) throws -> AccountChart {
        var result = AccountChart()
        for (key, value) in try store.settingValues() where isAccountSetting(key) { try result.set(key, to: value) }
        return result
    }

    /// Checks and stores one account setting; returns the chart as it now is.
    @discardableResult
    public static func set(_ key: String, to value: String, in store: Store) throws -> AccountChart {
        try store.write {
            var current = try load(from: store)
            try current.set(key, to: value)
            try store.storeCheckedSetting(key, current.value(for: key) ?? value)
            return current
        }
    }

    mutating func set(_ key: String, to value: String) throws {
        if key == "accounts_chart" {
            guard let chart = Chart(rawValue: value.lowercased()) else {
                throw WorkflowError("accounts_chart: '\(value)' is not a chart: use skr03, skr04 or kmu")
            }
            self.chart = chart
            return
        }
        if key.hasPrefix("account_revenue_") || key.hasPrefix("account_vat_") {
            let suffix = String(key.drop(while: { $0 != "_" }).dropFirst().drop(while: { $0 != "_" }).dropFirst())
            let isCategory = key.hasPrefix("account_revenue_") && VATCategory(rawValue: suffix.uppercased()) != nil
            guard isCategory || ((try? Percentage(parsing: suffix, field: "VAT")) != nil && !suffix.isEmpty) else {
                throw WorkflowError("\(key): '\(suffix)' is neither a VAT rate (19, 8.1) nor, for revenue, a category (AE, K, G, E, Z, O)")
            }
        }
        guard !value.isEmpty, value.count <= 9, value.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw WorkflowError("\(key): '\(value)' is not an account number (1 to 9 digits)")
        }
        overrides[key] = value
    }

    public func value(for key: String) -> String? {
        if key == "accounts_chart" { return chart.rawValue }
        return overrides[key] ?? defaults[key]
    }

    /// An account: its number and what the ledger export calls it.
    public struct Account: Sendable, Hashable {
        public let number: String
        public let name: String
        public var ledgerName: String { "\(number) \(name)" }
    }

    private func account(_ key: String, _ name: String) -> Account { Account(number: value(for: key) ?? "", name: name) }

    public var receivables: Account { account("account_receivables", "Receivables") }
    public var bank: Account { account("account_bank", "Bank") }
    public var customerCredit: Account { account("account_customer_credit", "Customer credit") }
    public var rounding: Account { account("account_rounding", "Cash rounding") }
    public var fees: Account { account("account_fees", "Reminder fees") }

    /// Revenue at `rate` (category for 0 %: reverse charge, intra-community, export, exempt…).
    public func revenue(rate: Percentage, category: VATCategory) -> Account {
        if rate.isZero {
            let key = "account_revenue_\(category.rawValue)"
            if let number = overrides[key] ?? defaults[key] { return Account(number: number, name: "Revenue \(category.rawValue)") }
        }
        let key = "account_revenue_\(rate.description)"
        return Account(number: overrides[key] ?? defaults[key] ?? defaults["account_revenue"] ?? "", name: "Revenue \(rate.description)%")
    }

    /// VAT payable at `rate`.
    public func vat(rate: Percentage) -> Account {
        let key = "account_vat_\(rate.description)"
        return Account(number: overrides[key] ?? defaults[key] ?? defaults["account_vat"] ?? "", name: "VAT payable \(rate.description)%")
    }

    /// The chart's defaults (SKR03/SKR04 from DATEV's standard charts, KMU from the Swiss KMU chart;
    /// rounding and fee accounts are a choice of ours: set your own).
    var defaults: [String: String] {
        switch chart {
        case .skr03:
            return ["account_receivables": "1400", "account_bank": "1200", "account_customer_credit": "1718",
                    "account_rounding": "2450", "account_fees": "8900",
                    "account_revenue": "8400", "account_revenue_19": "8400", "account_revenue_7": "8300",
                    "account_revenue_AE": "8337", "account_revenue_K": "8125", "account_revenue_G": "8120",
                    "account_revenue_E": "8100", "account_revenue_Z": "8100", "account_revenue_O": "8100",
                    "account_vat": "1770", "account_vat_19": "1776", "account_vat_7": "1771"]
        case .skr04:
            return ["account_receivables": "1200", "account_bank": "1800", "account_customer_credit": "3272",
                    "account_rounding": "6969", "account_fees": "4830",
                    "account_revenue": "4400", "account_revenue_19": "4400", "account_revenue_7": "4300",
                    "account_revenue_AE": "4337", "account_revenue_K": "4125", "account_revenue_G": "4120",
                    "account_revenue_E": "4100", "account_revenue_Z": "4100", "account_revenue_O": "4100",
                    "account_vat": "3800", "account_vat_19": "3806", "account_vat_7": "3801"]
        case .kmu:
            return ["account_receivables": "1100", "account_bank": "1020", "account_customer_credit": "2030",
                    "account_rounding": "6940", "account_fees": "3400",
                    "account_revenue": "3400", "account_revenue_G": "3400", "account_revenue_E": "3400",
                    "account_vat": "2200"]
        }
    }
}
