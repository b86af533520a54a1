import Billing
import Store

/// What the DATEV export's header and accounts need (issue 22): the consultant and client numbers the
/// accountant gives, the fiscal year start, the length of general ledger accounts, whether bookings go
/// to one collective receivables account or a personal debtor account per customer, whether the batch
/// is locked on import (Festschreibung), and which revenue accounts are DATEV automatic accounts
/// (Automatikkonten: DATEV computes their VAT, so they carry no BU key). Set with `invoice settings set`.
public struct DatevSettings: Sendable, Equatable {
    /// Beraternummer (1001–9999999); nil until set: the export refuses without it.
    public var consultant: Int?
    /// Mandantennummer (1–99999); nil until set.
    public var client: Int?
    /// Sachkontenlänge (4–8): digits of a general ledger account; personal accounts have one more.
    public var accountLength = 4
    /// Month and day the fiscal year (Wirtschaftsjahr) starts.
    public var fiscalYearStart = (month: 1, day: 1)
    /// A personal debtor account per customer (10^length + customer id) instead of the receivables account.
    public var personalDebtors = false
    /// Festschreibung: the batch is locked when imported.
    public var lock = false
    /// Automatic revenue accounts and the VAT rate DATEV computes on each; nil = the chart's.
    public var automaticAccounts: [String: Percentage]?

    public init() {}

    public static func == (lhs: DatevSettings, rhs: DatevSettings) -> Bool {
        lhs.consultant == rhs.consultant && lhs.client == rhs.client && lhs.accountLength == rhs.accountLength
            && lhs.fiscalYearStart == rhs.fiscalYearStart && lhs.personalDebtors == rhs.personalDebtors && lhs.lock == rhs.lock
            && lhs.automaticAccounts == rhs.automaticAccounts
    }

    public static let settings: [Operator.Setting] = [
        Operator.Setting(key: "datev_consultant", help: "DATEV Beraternummer of the accountant (1001-9999999), needed by export journal --format datev"),
        Operator.Setting(key: "datev_client", help: "DATEV Mandantennummer (1-99999), needed by export journal --format datev"),
        Operator.Setting(key: "datev_account_length", help: "DATEV Sachkontenlänge, digits of a general ledger account (4-8, default 4)"),
        Operator.Setting(key: "fiscal_year_start", help: "first day of the fiscal year, MM-DD (default 01-01)"),
        Operator.Setting(key: "datev_debtors", help: "collective (default: the receivables account) or personal (a debtor account 10^length + customer id each)"),
        Operator.Setting(key: "datev_lock", help: "yes: the DATEV batch is locked (festgeschrieben) on import; no (default)"),
        Operator.Setting(key: "datev_automatic_accounts", help: "DATEV automatic revenue accounts with their VAT rate, e.g. 8400:19,8300:7 (default: the chart's)"),
    ]

    public static func isDatevSetting(_ key: String) -> Bool { settings.contains { $0.key == key } }

    /// The chart's automatic accounts (SKR03/SKR04 standard: revenue 19 % and 7 %, and the tax-free
    /// revenue accounts for §13b services, intra-community supplies, exports and other exempt sales).
    public static func chartAutomaticAccounts(_ chart: AccountChart.Chart) -> [String: Percentage] {
        let pairs: [(String, String)]
        switch chart {
        case .skr03: pairs = [("8400", "19"), ("8300", "7"), ("8337", "0"), ("8125", "0"), ("8120", "0"), ("8100", "0")]
        case .skr04: pairs = [("4400", "19"), ("4300", "7"), ("4337", "0"), ("4125", "0"), ("4120", "0"), ("4100", "0")]
        case .kmu: pairs = []
        }
        var out: [String: Percentage] = [:]
        for (account, rate) in pairs { out[account] = try? Percentage(parsing: rate, field: "VAT") }
        return out
    }

    public func value(for key: String) -> String? {
        switch key {
        case "datev_consultant": consultant.map(String.init) ?? ""
        case "datev_client": client.map(String.init) ?? ""
        case "datev_account_length": String(accountLength)
        case "fiscal_year_start": Self.twoDigits(fiscalYearStart.month) + "-" + Self.twoDigits(fiscalYearStart.day)
        case "datev_debtors": personalDebtors ? "personal" : "collective"
        case "datev_lock": lock ? "yes" : "no"
        case "datev_automatic_accounts":
            automaticAccounts.map { $0.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",") } ?? "chart"
        default: nil
        }
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }

    public mutating func set(_ key: String, to raw: String) throws {
        let value = raw.trimmingCharacters(in: .whitespaces)
        func number(_ range: ClosedRange<Int>, _ what: String) throws -> Int {
            guard value.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(value), range.contains(n) else {
                throw WorkflowError("\(key): '\(raw)' is not a \(what) (\(range.lowerBound)-\(range.upperBound))")
            }
            return n
        }
        switch key {
        case "datev_consultant": consultant = value.isEmpty ? nil : try number(1001...9_999_999, "DATEV Beraternummer")
        case "datev_client": client = value.isEmpty ? nil : try number(1...99_999, "DATEV Mandantennummer")
        case "datev_account_length": accountLength = try number(4...8, "Sachkontenlänge")
        case "fiscal_year_start":
            let parts = value.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let month = Int(parts[0]), let day = Int(parts[1]),
                  (1...12).contains(month), (1...Day.daysIn(month: month, year: 2025)).contains(day) else {
                throw WorkflowError("fiscal_year_start: '\(raw)' is not a day of the year as MM-DD (e.g. 01-01 or 07-01)")
            }
            fiscalYearStart = (month, day)
        case "datev_debtors":
            switch value.lowercased() {
            case "collective": personalDebtors = false
            case "personal": personalDebtors = true
            default: throw WorkflowError("datev_debtors: '\(raw)' is neither collective nor personal")
            }
        case "datev_lock":
            switch value.lowercased() {
            case "yes", "1": lock = true
            case "no", "0": lock = false
            default: throw WorkflowError("datev_lock: '\(raw)' is neither yes nor no")
            }
        case "datev_automatic_accounts":
            if value.isEmpty || value == "chart" { automaticAccounts = nil; return }
            if value == "none" { automaticAccounts = [:]; return }
            var accounts: [String: Percentage] = [:]
            for item in value.split(separator: ",") {
                let pair = item.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, !pair[0].isEmpty, pair[0].count <= 9, pair[0].allSatisfy({ $0.isASCII && $0.isNumber }),
                      let rate = try? Percentage(parsing: pair[1], field: "VAT") else {
                    throw WorkflowError("datev_automatic_accounts: '\(item)' is not ACCOUNT:RATE (e.g. 8400:19,8300:7; none; chart)")
                }
                accounts[pair[0]] = rate
            }
            automaticAccounts = accounts
        default:
            throw WorkflowError("unknown DATEV setting '\(key)'")
        }
    }

    public static func load(from store: Store) throws -> DatevSettings {
        let stored = try store.settingValues()
        var result = DatevSettings()
        for setting in settings {
            if let value = stored[setting.key] { try result.set(setting.key, to: value) }
        }
        return result
    }

    @discardableResult
    public static func set(_ key: String, to value: String, in store: Store) throws -> DatevSettings {
        try store.write {
            var current = try load(from: store)
            try current.set(key, to: value)
            try store.storeCheckedSetting(key, current.value(for: key) ?? value)
            return current
        }
    }
}
