import Billing

/// How numbers, money and dates are written for one (language, currency, country), with no
/// dependency on the machine's locale, so every machine prints the same document.
///
/// | case | money | number | percent | date |
/// | --- | --- | --- | --- | --- |
/// | CHF (any language), or a customer in CH/LI | `CHF 1'234.50`, `EUR 1'234.50` | `1'234.5` | `8.1%` | per language |
/// | `de` (EUR, it) | `1.234,50 €` (other codes: `1.234,50 USD`) | `1.234,5` | `19 %` | `25.11.2026` |
/// | `fr` | `1 234,50 €` (`1 234,50 USD`) | `1 234,5` | `20 %` | `25/11/2026` |
/// | `it` | `1.234,50 €` (`1.234,50 USD`) | `1.234,5` | `22 %` | `25/11/2026` |
/// | `en` | `$1,234.50`, `€1,234.50`, `£1,234.50` (others: `JPY 1,235`) | `1,234.5` | `8.1%` | `November 25, 2026` |
///
/// Spaces inside amounts (French grouping, between code or sign and digits) are U+00A0 NO-BREAK
/// SPACE, so an amount never wraps; it is in Windows-1252 and prints in the PDF. Negative amounts
/// put the minus right before the digits: `-1.234,50 €`, `CHF -1'234.50`, `-$1,234.50`.
/// The number of decimals is the currency's exponent (JPY 0, KWD 3).
public struct LocaleFormat: Sendable, Hashable {
    public let language: Language
    public let decimalSeparator: String
    public let groupingSeparator: String
    /// Between a number and `%`: none in English and Swiss style, a no-break space otherwise.
    public let percentSeparator: String
    let swiss: Bool

    static let noBreakSpace = "\u{00A0}"

    /// The style for an invoice in `language` and `currency` to a customer in `country`.
    public init(language: Language, currency: Currency, country: Country? = nil) {
        self.language = language
        let swiss = currency.code == "CHF" || country?.code == "CH" || country?.code == "LI"
        self.swiss = swiss
        if swiss {
            (decimalSeparator, groupingSeparator, percentSeparator) = (".", "'", "")
            return
        }
        switch language {
        case .en: (decimalSeparator, groupingSeparator, percentSeparator) = (".", ",", "")
        case .de, .it: (decimalSeparator, groupingSeparator, percentSeparator) = (",", ".", LocaleFormat.noBreakSpace)
        case .fr: (decimalSeparator, groupingSeparator, percentSeparator) =
            (",", LocaleFormat.noBreakSpace, LocaleFormat.noBreakSpace)
        }
    }

    // MARK: Money

    /// The amount with its currency: `CHF 1'234.50`, `1.234,50 €`, `$1,234.50`.
    public func money(_ money: Money) -> String {
        let negative = money.minorUnits < 0
        let digits = number(magnitude: money.minorUnits.magnitude, scale: money.currency.exponent)
        let sign = negative ? "-" : ""
        let code = money.currency.code
        let space = LocaleFormat.noBreakSpace
        if swiss { return code + space + sign + digits }
        if language == .en {
            if let symbol = LocaleFormat.englishSymbols[code] { return sign + symbol + digits }
            return code + space + sign + digits
        }
        return sign + digits + space + (code == "EUR" ? "€" : code)
    }

    /// The amount without currency, for table columns: `1'234.50`, `1.234,50`.
    public func amount(_ money: Money) -> String {
        let digits = number(magnitude: money.minorUnits.magnitude, scale: money.currency.exponent)
        return money.minorUnits < 0 ? "-" + digits : digits
    }

    static let englishSymbols: [String: String] = ["USD": "$", "EUR": "€", "GBP": "£"]

    // MARK: Numbers

    /// A quantity with as many decimals as it has, trailing zeros removed: `1,5`, `1'000`, `2`.
    public func quantity(_ value: DecimalNumber) -> String {
        let normal = value.normalized
        let digits = number(magnitude: normal.significand.magnitude, scale: normal.scale)
        return normal.isNegative ? "-" + digits : digits
    }

    /// A rate or discount: `8.1%`, `19 %`, `20 %`.
    public func percentage(_ value: Percentage) -> String {
        quantity(value.value) + percentSeparator + "%"
    }

    /// Digits of `magnitude × 10^-scale` with grouping every three digits and the decimal separator.
    func number(magnitude: UInt64, scale: Int) -> String {
        var text = String(magnitude)
        if text.count <= scale { text = String(repeating: "0", count: scale - text.count + 1) + text }
        let split = text.index(text.endIndex, offsetBy: -scale)
        let whole = Array(text[..<split])
        let fraction = text[split...]
        var grouped = ""
        for (index, digit) in whole.enumerated() {
            if index > 0 && (whole.count - index) % 3 == 0 { grouped += groupingSeparator }
            grouped.append(digit)
        }
        return fraction.isEmpty ? grouped : grouped + decimalSeparator + fraction
    }

    // MARK: Dates

    /// `25.11.2026` (de), `25/11/2026` (fr, it), `November 25, 2026` (en).
    public func date(_ day: Day) -> String {
        let (year, month, dayOfMonth) = day.components
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        switch language {
        case .de: return "\(two(dayOfMonth)).\(two(month)).\(year)"
        case .fr, .it: return "\(two(dayOfMonth))/\(two(month))/\(year)"
        case .en: return "\(LocaleFormat.englishMonths[month - 1]) \(dayOfMonth), \(year)"
        }
    }

    static let englishMonths = ["January", "February", "March", "April", "May", "June", "July", "August",
                                "September", "October", "November", "December"]
}
