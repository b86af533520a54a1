/// The seller: who issues the invoices, and the settings that shape them.
public struct Operator: Sendable, Hashable {
    public var company: String = ""
    public var street: String = ""
    public var building: String = ""
    public var postcode: String = ""
    public var town: String = ""
    public var country: Country? = nil
    public var vatID: String = ""
    public var email: String = ""
    public var phone: String = ""
    /// BT-34: where the seller receives e-invoices, `SCHEME:ID` (EAS code, e.g. `9930:DE811907980`);
    /// empty: derived from the VAT id where EAS has a scheme for it, else the email as `EM`.
    public var electronicAddress: String = ""
    public var website: String = ""
    public var iban: String = ""
    public var qrIBAN: String = ""
    /// The bank's BIC (SWIFT code), printed with the IBAN on invoices outside CHF.
    public var bic: String = ""
    public var logoPath: String = ""
    /// The logo of an issued document as it was on its issue date (then `logoPath` is empty); nil: the
    /// file at `logoPath` (drafts, and the settings themselves).
    public var frozenLogo: FrozenLogo? = nil
    public var currency: Currency? = nil
    public var language: Language = .en
    public var numberFormat: InvoiceNumberFormat = .default
    /// How credit notes are numbered, from a counter of their own (resets yearly when the pattern has a year).
    public var creditNoteNumberFormat: InvoiceNumberFormat = .creditNoteDefault
    public var paymentTermsDays: Int = 30
    /// Cash-rounding increments in minor units per currency code (CHF → 5).
    public var cashRounding: [String: Int64] = ["CHF": 5]
    /// Days before a period ends that its renewal invoice is made.
    public var renewalLeadDays: Int = 7
    /// Days after a renewal invoice's due date that an unpaid booking is stopped.
    public var graceDays: Int = 14
    /// Days after the due date that reminders 1, 2 and 3 are due.
    public var reminderDays: [Int] = [7, 21, 35]
    /// Optional reminder fees per currency code: minor units for levels 1, 2 and 3 (none by default).
    /// Billed by a fee invoice issued with the reminder (Workflows, issue 17); never added to the overdue invoice.
    public var reminderFees: [String: [Int64]] = [:]

    public init() {}

    /// The fee stated on reminder `level` of an invoice in `currency`; nil when there is none (or it is 0).
    public func reminderFee(level: Int, currency: Currency) -> Money? {
        guard let fees = reminderFees[currency.code], (1...fees.count).contains(level), fees[level - 1] > 0 else { return nil }
        return Money(minorUnits: fees[level - 1], currency: currency)
    }

    public func cashRoundingIncrement(for currency: Currency) -> Int64 { cashRounding[currency.code] ?? 1 }

    /// The due date for an invoice issued on `day`: issue date + payment terms.
    public func dueDate(issuedOn day: Day) -> Day { day.adding(days: paymentTermsDays) }
}
