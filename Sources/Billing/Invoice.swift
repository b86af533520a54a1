/// How an invoice treats VAT.
public enum TaxMode: Sendable, Hashable {
    /// Prices are net; VAT is added per rate.
    case net
    /// Prices include VAT; VAT is extracted per rate.
    case gross
    /// No VAT is charged (exempt or reverse charge); the note says why.
    case exempt(note: String)

    public var name: String {
        switch self {
        case .net: "net"
        case .gross: "gross"
        case .exempt: "exempt"
        }
    }
}

/// The stored lifecycle state; `overdue` is derived from it and the date (see `Invoice.displayStatus(on:)`).
public enum InvoiceStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case draft
    case open
    case partiallyPaid = "partially_paid"
    case paid
    case cancelled

    public var isIssued: Bool { self != .draft }

    /// `overdue` when open or partially paid past the due date; otherwise the stored status.
    public func display(dueDate: Day?, on today: Day) -> String {
        if (self == .open || self == .partiallyPaid), let dueDate, dueDate < today { return "overdue" }
        return rawValue
    }

    /// What is still to pay on an invoice in this status: never negative, nothing for drafts and
    /// cancelled invoices (a surplus goes to the customer's credit balance).
    public func openAmount(payable: Money, paid: Money) -> Money {
        guard self != .cancelled, self != .draft, payable.minorUnits > paid.minorUnits else { return .zero(payable.currency) }
        return payable - paid
    }
}

/// A payment received against an invoice.
public struct Payment: Sendable, Hashable {
    public var amount: Money
    public var date: Day
    public var method: String
    public var reference: String

    public init(amount: Money, date: Day, method: String = "", reference: String = "") {
        self.amount = amount
        self.date = date
        self.method = method
        self.reference = reference
    }
}

/// An invoice: a draft until issued, then an accounting record that is never deleted.
public struct Invoice: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var number: String?
    public var customerID: Int64
    public var userID: Int64?
    public var title: String
    public var issueDate: Day?
    public var dueDate: Day?
    public var currency: Currency
    public var language: Language
    public var taxMode: TaxMode
    public var notes: String
    public var status: InvoiceStatus
    public var lines: [InvoiceLine]
    public var payments: [Payment]
    public var sentAt: Day?
    /// Cash-rounding increment in minor units for the payable total (5 for CHF 0.05); 1 means none.
    public var cashRoundingIncrement: Int64
    /// The VAT category chosen for the invoice; nil: S on taxed invoices (Z for 0 % lines), E when exempt.
    public var vatCategory: VATCategory? = nil

    public init(id: Int64 = 0, number: String? = nil, customerID: Int64, userID: Int64? = nil, title: String = "",
                issueDate: Day? = nil, dueDate: Day? = nil, currency: Currency, language: Language,
                taxMode: TaxMode = .net, notes: String = "", status: InvoiceStatus = .draft,
                lines: [InvoiceLine] = [], payments: [Payment] = [], sentAt: Day? = nil, cashRoundingIncrement: Int64 = 1) {
        self.id = id
        self.number = number
        self.customerID = customerID
        self.userID = userID
        self.title = title
        self.issueDate = issueDate
        self.dueDate = dueDate
        self.currency = currency
        self.language = language
        self.taxMode = taxMode
        self.notes = notes
        self.status = status
        self.lines = lines
        self.payments = payments
        self.sentAt = sentAt
        self.cashRoundingIncrement = cashRoundingIncrement
    }

    public var totals: InvoiceTotals { InvoiceTotals(self) }

    public var paid: Money {
        payments.reduce(Money.zero(currency)) { $0 + $1.amount }
    }

    /// What is still to pay (never negative; a surplus goes to the customer's credit balance).
    public var open: Money { status.openAmount(payable: totals.payable, paid: paid) }

    public func displayStatus(on today: Day) -> String { status.display(dueDate: dueDate, on: today) }

    public func validated() throws -> Invoice {
        var copy = self
        copy.title = try TextField.singleLine(title, field: "title")
        copy.notes = try TextField.multiLine(notes, field: "notes")
        if case .exempt(let note) = taxMode {
            let checked = try TextField.singleLine(note, field: "exemption note", required: true)
            copy.taxMode = .exempt(note: checked)
            if lines.contains(where: { !$0.vatRate.isZero }) {
                copy.lines = lines.map { var l = $0; l.vatRate = .zero; return l }
            }
        }
        try copy.checkVATCategory()
        copy.lines = try copy.lines.map { line in
            guard line.unitPrice.currency == currency else {
                throw BillingError("line '\(line.title)' is in \(line.unitPrice.currency), the invoice in \(currency)")
            }
            return try line.validated()
        }
        guard copy.lines.count <= 1000 else { throw BillingError("an invoice can have at most 1000 lines") }
        return copy
    }
}
