/// The operator's settings as `KEY VALUE` text, the form `invoice settings` and the database use.
extension Operator {
    public struct Setting: Sendable {
        public let key: String
        public let help: String

        public init(key: String, help: String) {
            self.key = key
            self.help = help
        }
    }

    public static let settings: [Setting] = [
        Setting(key: "company", help: "company name on every invoice"),
        Setting(key: "street", help: "street"),
        Setting(key: "building", help: "building number"),
        Setting(key: "postcode", help: "postcode"),
        Setting(key: "town", help: "town"),
        Setting(key: "country", help: "ISO 3166 alpha-2 country code"),
        Setting(key: "vat_id", help: "VAT id, printed on invoices"),
        Setting(key: "email", help: "sender address of invoice mails"),
        Setting(key: "phone", help: "phone number (XRechnung needs it: seller contact telephone, BT-42)"),
        Setting(key: "electronic_address", help: "where you receive e-invoices, SCHEME:ID with an EAS code (BT-34, e.g. 9930:DE811907980 or 0088:4000001000005); empty: from the VAT id"),
        Setting(key: "website", help: "website"),
        Setting(key: "iban", help: "bank account (IBAN) for payments"),
        Setting(key: "qr_iban", help: "QR-IBAN for Swiss QR bills with QR references"),
        Setting(key: "bic", help: "the bank's BIC (SWIFT code), printed with the IBAN on EUR and other non-CHF invoices"),
        Setting(key: "logo", help: "path of a PNG or JPEG logo"),
        Setting(key: "currency", help: "default currency for new customers (ISO 4217)"),
        Setting(key: "language", help: "default language: en, de, fr or it"),
        Setting(key: "number_format", help: "invoice number pattern, e.g. INV-{YYYY}-{SEQ:5}"),
        Setting(key: "number_reset", help: "yearly or never: when the invoice counter starts again"),
        Setting(key: "credit_note_number_format", help: "credit note number pattern, e.g. CN-{YYYY}-{SEQ:5} (own counter; yearly reset when it has a year)"),
        Setting(key: "payment_terms", help: "days from issue to due date"),
        Setting(key: "cash_rounding", help: "payable-total rounding per currency, e.g. CHF:0.05,SEK:1"),
        Setting(key: "renewal_days", help: "days before a period ends that its renewal invoice is made"),
        Setting(key: "grace_days", help: "days past due before an unpaid renewal stops the booking"),
        Setting(key: "reminder_days", help: "dunning d1,d2,d3, e.g. 7,21,35: reminder 1 d1 days past due (only for an invoice that was sent), reminder 2 d2-d1 days after reminder 1 was sent, reminder 3 d3-d2 days after reminder 2 was sent"),
        Setting(key: "reminder_fees", help: "optional fee per reminder 1, 2, 3, billed by a fee invoice issued with the reminder (outside the scope of VAT), never added to the overdue invoice, per currency: CHF 0,10.00,20.00; EUR 0,8.00,15.00 (without a code: the default currency); none: no fees"),
    ]

    public func value(for key: String) -> String? {
        switch key {
        case "company": company
        case "street": street
        case "building": building
        case "postcode": postcode
        case "town": town
        case "country": country?.code ?? ""
        case "vat_id": vatID
        case "email": email
        case "phone": phone
        case "electronic_address": electronicAddress
        case "website": website
        case "iban": iban
        case "qr_iban": qrIBAN
        case "bic": bic
        case "logo": logoPath
        case "currency": currency?.code ?? ""
        case "language": language.rawValue
        case "number_format": numberFormat.pattern
        case "number_reset": numberFormat.resetsYearly ? "yearly" : "never"
        case "credit_note_number_format": creditNoteNumberFormat.pattern
        case "payment_terms": String(paymentTermsDays)
        case "cash_rounding":
            cashRounding.keys.sorted().compactMap { code -> String? in
                guard let currency = try? Currency(code: code), let increment = cashRounding[code] else { return nil }
                return "\(code):\(Money(minorUnits: increment, currency: currency).decimalString)"
            }.joined(separator: ",")
        case "renewal_days": String(renewalLeadDays)
        case "grace_days": String(graceDays)
        case "reminder_days": reminderDays.map(String.init).joined(separator: ",")
        case "reminder_fees":
            reminderFees.keys.sorted().compactMap { code -> String? in
                guard let currency = try? Currency(code: code), let fees = reminderFees[code] else { return nil }
                return "\(code) " + fees.map { Money(minorUnits: $0, currency: currency).decimalString }.joined(separator: ",")
            }.joined(separator: "; ")
        default: nil
        }
    }

    /// Sets one setting from its text form, checking it; unknown keys and bad values throw.
    ///
    /// `checkingInputLimits` adds the limits new input must meet (the seller's name and address
    /// within `AddressLimits`, cash rounding in real cash steps); values stored before those limits
    /// existed still load without it.
    public mutating func set(_ key: String, to raw: String, checkingInputLimits: Bool = false) throws {
        let value = try TextField.singleLine(raw, field: key,
                                             maxLength: checkingInputLimits ? AddressLimits.limit(forSetting: key) ?? 300 : 300)
        func days(_ max: Int) throws -> Int {
            guard let n = Int(value), (0...max).contains(n) else {
                throw BillingError("\(key) must be a whole number of days between 0 and \(max)")
            }
            return n
        }
        switch key {
        case "company": company = value
        case "street": street = value
        case "building": building = value
        case "postcode": postcode = value
        case "town": town = value
        case "country": country = value.isEmpty ? nil : try Country(code: value)
        case "vat_id": vatID = value
        case "email": email = value.isEmpty ? "" : try TextField.email(value, field: "email")
        case "phone": phone = value
        case "electronic_address": electronicAddress = try Operator.checkedElectronicAddress(value, field: key)
        case "website": website = value
        case "iban": iban = try Operator.checkedIBAN(value, field: "iban")
        case "qr_iban": qrIBAN = try Operator.checkedIBAN(value, field: "qr_iban")
        case "bic": bic = try Operator.checkedBIC(value)
        case "logo": logoPath = value
        case "currency": currency = value.isEmpty ? nil : try Currency(code: value)
        case "language": language = try Language(code: value)
        case "number_format":
            numberFormat = try InvoiceNumberFormat(pattern: value, resetsYearly: numberFormat.resetsYearly)
        case "number_reset":
            guard value == "yearly" || value == "never" else { throw BillingError("number_reset must be yearly or never") }
            numberFormat = try InvoiceNumberFormat(pattern: numberFormat.pattern, resetsYearly: value == "yearly")
        case "credit_note_number_format": creditNoteNumberFormat = try InvoiceNumberFormat(creditNotePattern: value)
        case "payment_terms": paymentTermsDays = try days(365)
        case "cash_rounding":
            var table: [String: Int64] = [:]
            for item in value.split(separator: ",") where !item.isEmpty {
                let pair = item.split(separator: ":", maxSplits: 1)
                guard pair.count == 2 else { throw BillingError("cash_rounding must look like CHF:0.05,SEK:1") }
                let currency = try Currency(code: String(pair[0]).trimmingSpaces)
                let step = try Money(parsing: String(pair[1]).trimmingSpaces, currency: currency, field: "cash rounding step")
                guard step.minorUnits > 0 else { throw BillingError("cash rounding step must be positive") }
                guard !checkingInputLimits || Operator.isCashStep(step.minorUnits) else {
                    throw BillingError("cash rounding step \(String(pair[1]).trimmingSpaces) for \(currency.code) is not a coin or note step; use 1, 2 or 5 times a power of ten of the minor unit (e.g. 0.05, 0.10, 0.20, 0.50, 1)")
                }
                table[currency.code] = step.minorUnits
            }
            cashRounding = table
        case "renewal_days": renewalLeadDays = try days(60)
        case "grace_days": graceDays = try days(365)
        case "reminder_days":
            let levels = value.split(separator: ",").map { Int(String($0).trimmingSpaces) }
            guard levels.count == 3, let list = levels as? [Int], list.allSatisfy({ (1...365).contains($0) }),
                  list[0] < list[1], list[1] < list[2]
            else { throw BillingError("reminder_days must be three increasing day counts, e.g. 7,21,35") }
            reminderDays = list
        case "reminder_fees": reminderFees = try Operator.parsedReminderFees(value, defaultCurrency: currency)
        default:
            throw BillingError("unknown setting '\(key)'; see 'invoice settings show' for the keys")
        }
    }

    /// `CHF 0,10.00,20.00; EUR 0,8.00,15.00`: per currency the fees of reminders 1, 2 and 3 (exact amounts in
    /// that currency, none negative); a list without a code is in `defaultCurrency`; empty or `none`: no fees.
    static func parsedReminderFees(_ value: String, defaultCurrency: Currency?) throws -> [String: [Int64]] {
        if value.isEmpty || value.lowercased() == "none" { return [:] }
        let example = "e.g. CHF 0,10.00,20.00; EUR 0,8.00,15.00"
        var table: [String: [Int64]] = [:]
        for entry in value.split(separator: ";").map({ String($0).trimmingSpaces }) where !entry.isEmpty {
            let parts = entry.split(separator: " ", maxSplits: 1).map { String($0).trimmingSpaces }
            let currency: Currency
            let list: String
            if parts.count == 2, parts[0].first?.isLetter == true {
                currency = try Currency(code: parts[0])
                list = parts[1]
            } else if let defaultCurrency, parts[0].first?.isLetter != true {
                currency = defaultCurrency
                list = entry
            } else {
                throw BillingError("reminder_fees '\(entry)' names no currency and no default currency is set; write the currency: \(example)")
            }
            let amounts = list.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
            guard amounts.count == 3 else {
                throw BillingError("reminder_fees needs three amounts per currency, one per reminder level (0 for none): \(example)")
            }
            let fees = try amounts.map { try Money(parsing: $0, currency: currency, field: "reminder fee") }
            guard fees.allSatisfy({ $0.minorUnits >= 0 }) else { throw BillingError("a reminder fee cannot be negative: \(example)") }
            guard table[currency.code] == nil else { throw BillingError("reminder_fees names \(currency.code) twice") }
            table[currency.code] = fees.map(\.minorUnits)
        }
        return table
    }

    /// `SCHEME:ID` with a 4-digit EAS scheme, or `EM:address`; empty stays empty.
    public static func checkedElectronicAddress(_ value: String, field: String) throws -> String {
        if value.isEmpty { return "" }
        guard let colon = value.firstIndex(of: ":"), value.index(after: colon) < value.endIndex else {
            throw BillingError("\(field) '\(value)' must be SCHEME:ID with a 4-digit EAS scheme (such as 9930:DE811907980) or EM:address")
        }
        let scheme = value[..<colon]
        guard scheme == "EM" || (scheme.count == 4 && scheme.allSatisfy({ $0.isASCII && $0.isNumber })) else {
            throw BillingError("\(field) '\(value)' must be SCHEME:ID with a 4-digit EAS scheme (such as 9930:DE811907980) or EM:address")
        }
        return value
    }

    /// A BIC (ISO 9362): bank code (4 letters), country (2 letters), location (2), branch (3, optional).
    static func checkedBIC(_ raw: String) throws -> String {
        let bic = raw.filter { $0 != " " }.uppercased()
        if bic.isEmpty { return "" }
        let isAlphanumeric = bic.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard bic.count == 8 || bic.count == 11, isAlphanumeric, bic.prefix(6).allSatisfy({ $0.isLetter }) else {
            throw BillingError("bic '\(raw)' is not a BIC (8 or 11 letters and digits, e.g. UBSWCHZH80A)")
        }
        return bic
    }

    /// Checks an IBAN's form and ISO 7064 mod-97 checksum; spaces are allowed and removed.
    static func checkedIBAN(_ raw: String, field: String) throws -> String {
        let iban = raw.filter { $0 != " " }.uppercased()
        if iban.isEmpty { return "" }
        guard (15...34).contains(iban.count), iban.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
              iban.prefix(2).allSatisfy({ $0.isLetter })
        else { throw BillingError("\(field) '\(raw)' is not an IBAN") }
        let rearranged = iban.dropFirst(4) + iban.prefix(4)
        var remainder = 0
        for ch in rearranged {
            let digits = ch.isNumber ? String(ch) : String(Int(ch.asciiValue ?? 0) - 55)
            for d in digits { remainder = (remainder * 10 + (d.wholeNumberValue ?? 0)) % 97 }
        }
        guard remainder == 1 else { throw BillingError("\(field) '\(raw)' has a wrong check digit") }
        return iban
    }
}

extension Operator {
    /// A real cash step: 1, 2 or 5 times a power of ten minor units (0.01, 0.05, 0.10, 0.20, 0.50, 1,
    /// 5, 10 …), the denominations coins and notes come in. 0.03 or 0.07 would round a payable total to
    /// an amount no one can pay in cash.
    static func isCashStep(_ minorUnits: Int64) -> Bool {
        var rest = minorUnits
        while rest >= 10 && rest % 10 == 0 { rest /= 10 }
        return rest == 1 || rest == 2 || rest == 5
    }
}
