import Billing
import Foundation

/// The DATEV "EXTF" Buchungsstapel (format version 700, data category 21, category version 13) of a
/// journal (issue 22), after DATEV's published description (developer.datev.de, DATEV-Format:
/// header, Buchungsstapel, Zeichensatz): line 1 the header (31 fields), line 2 the 125 column names,
/// then one booking per line; `;` between fields, texts in double quotes (quotes doubled), decimal
/// comma without thousands separators, Windows-1252, CRLF.
///
/// Each journal transaction becomes rows against its pivot account (receivables, or the personal
/// debtor account; customer credit for a refund from credit): one row per other posting, where a
/// revenue posting carries its VAT (Umsatz = gross of the rate group) and
/// - on an automatic account (DATEV computes the VAT from the account) no BU key,
/// - on any other account the BU key of its rate (3 = USt 19 %, 2 = USt 7 %) so DATEV splits the VAT.
public struct DatevWriter: Sendable {
    /// DATEV's 125 column names of Buchungsstapel category version 13, in order.
    public static let columns: [String] = {
        var names = ["Umsatz (ohne Soll/Haben-Kz)", "Soll/Haben-Kennzeichen", "WKZ Umsatz", "Kurs", "Basis-Umsatz", "WKZ Basis-Umsatz",
                     "Konto", "Gegenkonto (ohne BU-Schlüssel)", "BU-Schlüssel", "Belegdatum", "Belegfeld 1", "Belegfeld 2", "Skonto",
                     "Buchungstext", "Postensperre", "Diverse Adressnummer", "Geschäftspartnerbank", "Sachverhalt", "Zinssperre", "Beleglink"]
        for index in 1...8 { names += ["Beleginfo - Art \(index)", "Beleginfo - Inhalt \(index)"] }
        names += ["KOST1 - Kostenstelle", "KOST2 - Kostenstelle", "Kost-Menge", "EU-Land u. UStID (Bestimmung)", "EU-Steuersatz (Bestimmung)",
                  "Abw. Versteuerungsart", "Sachverhalt L+L", "Funktionsergänzung L+L", "BU 49 Hauptfunktionstyp",
                  "BU 49 Hauptfunktionsnummer", "BU 49 Funktionsergänzung"]
        for index in 1...20 { names += ["Zusatzinformation - Art \(index)", "Zusatzinformation- Inhalt \(index)"] }
        names += ["Stück", "Gewicht", "Zahlweise", "Forderungsart", "Veranlagungsjahr", "Zugeordnete Fälligkeit", "Skontotyp",
                  "Auftragsnummer", "Buchungstyp", "USt-Schlüssel (Anzahlungen)", "EU-Land (Anzahlungen)", "Sachverhalt L+L (Anzahlungen)",
                  "EU-Steuersatz (Anzahlungen)", "Erlöskonto (Anzahlungen)", "Herkunft-Kz", "Buchungs GUID", "KOST-Datum",
                  "SEPA-Mandatsreferenz", "Skontosperre", "Gesellschaftername", "Beteiligtennummer", "Identifikationsnummer",
                  "Zeichnernummer", "Postensperre bis", "Bezeichnung SoBil-Sachverhalt", "Kennzeichen SoBil-Buchung", "Festschreibung",
                  "Leistungsdatum", "Datum Zuord. Steuerperiode", "Fälligkeit", "Generalumkehr (GU)", "Steuersatz", "Land",
                  "Abrechnungsreferenz", "BVV-Position", "EU-Land u. UStID (Ursprung)", "EU-Steuersatz (Ursprung)", "Abw. Skontokonto"]
        return names
    }()

    /// DATEV's limits: Belegfeld 1 (36), Buchungstext (60), Bezeichnung of the batch (30).
    public static let documentLength = 36, textLength = 60, titleLength = 30
    /// The currency of the books DATEV keeps (foreign currency needs a rate per booking we do not keep).
    public static let currency = "EUR"

    public let settings: DatevSettings
    public let chart: AccountChart
    public let from: Day
    public let to: Day
    /// The file's creation time (header field 6).
    public let created: Date

    public init(settings: DatevSettings, chart: AccountChart, from: Day, to: Day, created: Date) {
        self.settings = settings
        self.chart = chart
        self.from = from
        self.to = to
        self.created = created
    }

    /// The first day of the fiscal year `day` falls in.
    public func fiscalYearStart(containing day: Day) throws -> Day {
        let (month, dayOfMonth) = settings.fiscalYearStart
        let thisYear = try Day(year: day.year, month: month, day: dayOfMonth)
        return thisYear <= day ? thisYear : try Day(year: day.year - 1, month: month, day: dayOfMonth)
    }

    /// One booking line's fields (before encoding).
    struct Row {
        var amount: Money
        var debit: Bool
        var account: String
        var counter: String
        var taxKey: String
        var date: Day
        var document: String
        var text: String
    }

    /// The whole file, Windows-1252 encoded. Refuses (one line) what DATEV cannot take: missing
    /// consultant or client numbers, a period across fiscal years, other currencies than EUR,
    /// accounts longer than the account length allows, a VAT rate DATEV has no BU key for on a
    /// non-automatic account or on an automatic account of another rate.
    public func file(_ transactions: [JournalTransaction]) throws -> Data {
        guard let consultant = settings.consultant else {
            throw WorkflowError("the DATEV export needs the accountant's Beraternummer: invoice settings set datev_consultant NUMBER (1001-9999999)")
        }
        guard let client = settings.client else {
            throw WorkflowError("the DATEV export needs the Mandantennummer: invoice settings set datev_client NUMBER (1-99999)")
        }
        let yearStart = try fiscalYearStart(containing: from)
        let nextYear = yearStart.adding(years: 1)
        guard to < nextYear else {
            throw WorkflowError("DATEV takes one fiscal year per file: \(from) to \(to) crosses into the fiscal year starting \(nextYear) (fiscal_year_start \(settings.value(for: "fiscal_year_start") ?? "")); export each year on its own")
        }
        var rows: [Row] = []
        for transaction in transactions { rows += try self.rows(transaction) }

        var out = Data()
        out.reserveCapacity(256 + rows.count * 260)
        func line(_ fields: [String]) { out.append(DatevText.encode(fields.joined(separator: ";") + "\r\n")) }
        let chartCode: String = switch chart.chart { case .skr03: "03"; case .skr04: "04"; case .kmu: "" }
        let title = "Journal \(Self.compact(from))-\(Self.compact(to))"
        line([DatevText.quoted("EXTF"), "700", "21", DatevText.quoted("Buchungsstapel"), "13", Self.timestamp(created), "",
              DatevText.quoted("RE"), DatevText.quoted(""), DatevText.quoted(""), String(consultant), String(client),
              Self.compact(yearStart), String(settings.accountLength), Self.compact(from), Self.compact(to),
              DatevText.quoted(DatevText.cut(title, Self.titleLength)), DatevText.quoted(""), "1", "0", settings.lock ? "1" : "0",
              DatevText.quoted(Self.currency), "", DatevText.quoted(""), "", "", DatevText.quoted(chartCode), "", "",
              DatevText.quoted(""), DatevText.quoted("")])
        line(Self.columns.map(DatevText.quoted))
        for row in rows {
            var fields = [String](repeating: "", count: Self.columns.count)
            fields[0] = Self.umsatz(row.amount)
            fields[1] = DatevText.quoted(row.debit ? "S" : "H")
            fields[2] = DatevText.quoted(row.amount.currency.code)
            fields[6] = row.account
            fields[7] = row.counter
            fields[8] = row.taxKey.isEmpty ? "" : DatevText.quoted(row.taxKey)
            fields[9] = DatevSettings.twoDigits(row.date.dayOfMonth) + DatevSettings.twoDigits(row.date.month)
            fields[10] = DatevText.quoted(DatevText.document(row.document))
            fields[13] = DatevText.quoted(DatevText.cut(DatevText.transliterated(row.text), Self.textLength))
            line(fields)
        }
        return out
    }

    /// The rows of one transaction: each posting but the pivot's against the pivot, VAT folded into
    /// the revenue of its rate.
    func rows(_ transaction: JournalTransaction) throws -> [Row] {
        let postings = transaction.postings
        guard let pivotIndex = postings.firstIndex(where: { $0.account == chart.receivables && $0.role == .other })
                ?? postings.firstIndex(where: { $0.account == chart.customerCredit })
                ?? postings.indices.first else { return [] }
        for posting in postings where posting.amount.currency.code != Self.currency {
            throw WorkflowError("DATEV: \(transaction.document.isEmpty ? transaction.text : transaction.document) is in \(posting.amount.currency.code); the DATEV export writes EUR books only (a foreign currency needs an exchange rate per booking, which invoice does not keep): use --format csv or ledger for it")
        }
        let pivot = try accountNumber(postings[pivotIndex].account, customerID: transaction.customerID)
        var vatUsed = Set<Int>()
        var rows: [Row] = []
        for (index, posting) in postings.enumerated() where index != pivotIndex {
            var amount = posting.amount
            var taxKey = ""
            switch posting.role {
            case .vat(let rate):
                // Folded into the revenue of its rate when there is one (DATEV computes it from there).
                if postings.contains(where: { $0.role == .revenue(rate) }) { continue }
            case .revenue(let rate):
                if let vatIndex = postings.indices.first(where: { postings[$0].role == .vat(rate) && !vatUsed.contains($0) }) {
                    vatUsed.insert(vatIndex)
                    amount = try amount.adding(postings[vatIndex].amount)
                }
                taxKey = try self.taxKey(account: posting.account.number, rate: rate, document: transaction.document)
            case .other:
                break
            }
            guard !amount.isZero else { continue }
            // The pivot takes the other side of the posting: a credit to revenue is a debit to receivables.
            rows.append(Row(amount: Money(minorUnits: abs(amount.minorUnits), currency: amount.currency), debit: amount.minorUnits < 0,
                            account: pivot, counter: try accountNumber(posting.account, customerID: transaction.customerID),
                            taxKey: taxKey, date: transaction.date, document: transaction.document, text: transaction.text))
        }
        return rows
    }

    /// The BU key of a revenue row: none on an automatic account of that rate (or at 0 %), the
    /// Steuerschlüssel of the rate on other accounts.
    func taxKey(account: String, rate: Percentage, document: String) throws -> String {
        let automatic = settings.automaticAccounts ?? DatevSettings.chartAutomaticAccounts(chart.chart)
        if let automaticRate = automatic[account] {
            guard automaticRate == rate else {
                throw WorkflowError("DATEV: \(document) books \(rate) % revenue to \(account), DATEV's automatic account for \(automaticRate) %: set account_revenue_\(rate) to another account (or correct datev_automatic_accounts)")
            }
            return ""
        }
        if rate.isZero { return "" }
        switch rate.description {
        case "19": return "3"
        case "7": return "2"
        default:
            throw WorkflowError("DATEV: \(document) has \(rate) % VAT, for which DATEV has no BU key (only 19 % and 7 %): book it to an automatic account of that rate (account_revenue_\(rate) and datev_automatic_accounts)")
        }
    }

    /// The account as DATEV numbers it: a personal debtor account for receivables when chosen.
    func accountNumber(_ account: AccountChart.Account, customerID: Int64) throws -> String {
        let length = settings.accountLength
        if settings.personalDebtors && account == chart.receivables {
            var base: Int64 = 1
            for _ in 0..<length { base *= 10 }
            guard customerID > 0, customerID < 6 * base else {
                throw WorkflowError("DATEV: customer \(customerID) has no personal debtor account with a Sachkontenlänge of \(length) (debtors are \(base)-\(7 * base - 1)): raise datev_account_length or use datev_debtors collective")
            }
            return String(base + customerID)
        }
        guard !account.number.isEmpty, account.number.count <= length else {
            throw WorkflowError("DATEV: account \(account.number.isEmpty ? "(none)" : account.number) (\(account.name)) is longer than the Sachkontenlänge \(length) (datev_account_length)")
        }
        return account.number
    }

    /// `1234,50`: without sign, decimal comma, no thousands separators.
    static func umsatz(_ money: Money) -> String {
        money.decimalString.replacingOccurrences(of: ".", with: ",")
    }

    static func compact(_ day: Day) -> String { day.description.replacingOccurrences(of: "-", with: "") }

    /// YYYYMMDDHHMMSSFFF in UTC.
    static func timestamp(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let seconds = milliseconds / 1000
        let day = Day(daysSinceEpoch: Int(seconds / 86_400))
        let inDay = Int(seconds % 86_400)
        return compact(day) + [inDay / 3600, inDay / 60 % 60, inDay % 60].map(DatevSettings.twoDigits).joined()
            + String(format: "%03d", Int(milliseconds % 1000))
    }
}
