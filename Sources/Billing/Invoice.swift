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
    /// A credit note once numbered: a document of its own, nothing to pay on it.
    case issued

    public var isIssued: Bool { self != .draft }

    /// `overdue` when open or partially paid past the due date; otherwise the stored status.
    public func display(dueDate: Day?, on today: Day) -> String {
        if (self == .open || self == .partiallyPaid), let dueDate, dueDate < today { return "overdue" }
        return rawValue
    }

    /// What is still to pay on an invoice in this status: never negative, nothing for drafts,
    /// cancelled invoices and credit notes (a surplus goes to the customer's credit balance).
    /// `payable` is what the customer owes in all: total − prepaid − credited.
    public func openAmount(payable: Money, paid: Money) -> Money {
        guard self == .open || self == .partiallyPaid || self == .paid, payable.minorUnits > paid.minorUnits else {
            return .zero(payable.currency)
        }
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

/// Which document a row of the invoices table is: an invoice (UNTDID 1001 code 380) or a credit
/// note (381) that credits part or all of an issued invoice.
public enum DocumentKind: String, Sendable, Hashable, Codable, CaseIterable {
    case invoice
    case creditNote = "credit_note"

    /// The EN 16931 document type code (BT-3).
    public var typeCode: String {
        switch self {
        case .invoice: "380"
        case .creditNote: "381"
        }
    }
}

/// The invoice a credit note credits (EN 16931 BG-3 "preceding invoice reference": BT-25 number, BT-26 date).
public struct PrecedingInvoice: Sendable, Hashable {
    public var id: Int64
    public var number: String
    public var issueDate: Day?

    public init(id: Int64, number: String, issueDate: Day?) {
        self.id = id
        self.number = number
        self.issueDate = issueDate
    }
}

/// An invoice or a credit note: a draft until issued, then an accounting record that is never deleted.
///
/// Money on an invoice: `totals.payable` is the total (gross + cash rounding, BT-112 + BT-114);
/// `prepaid` (BT-113) is customer credit applied when it was issued; `credited` is the sum of its
/// credit notes; `paid` the payments received. `open` = total − prepaid − credited − paid, never below 0.
/// A credit note has positive lines and totals, `preceding` names the invoice it credits, and
/// `refunded` is the part of it paid back to the customer (Stripe's `refund_amount`); the rest
/// reduced what was due on the invoice or went to the customer's credit balance.
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
    public var kind: DocumentKind
    /// Customer credit applied when the invoice was issued (EN 16931 BT-113, "paid amount").
    public var prepaid: Money
    /// Sum of the credit notes issued against this invoice (zero for credit notes).
    public var credited: Money
    /// For a credit note: the invoice it credits.
    public var preceding: PrecedingInvoice?
    /// For a credit note: why it was issued (printed on it).
    public var creditReason: String
    /// For a credit note: how much of it was paid back to the customer.
    public var refunded: Money

    /// A rounding (BT-114) stated rather than computed from `cashRoundingIncrement`: a credit note that
    /// reverses an invoice's cash rounding credits it as rounding, never as taxable net.
    public var statedRounding: Money? = nil

    public var isCreditNote: Bool { kind == .creditNote }
    /// The VAT category chosen for the invoice; nil: S on taxed invoices (Z for 0 % lines), E when exempt.
    public var vatCategory: VATCategory? = nil
    /// The buyer's purchase order (order number) it bills, printed as "Your order" and sent as EN 16931
    /// BT-13; empty for none. A credit note carries its invoice's.
    public var purchaseOrder: String = ""

    public init(id: Int64 = 0, number: String? = nil, customerID: Int64, userID: Int64? = nil, title: String = "",
                issueDate: Day? = nil, dueDate: Day? = nil, currency: Currency, language: Language,
                taxMode: TaxMode = .net, notes: String = "", status: InvoiceStatus = .draft,
                lines: [InvoiceLine] = [], payments: [Payment] = [], sentAt: Day? = nil, cashRoundingIncrement: Int64 = 1,
                kind: DocumentKind = .invoice, prepaid: Money? = nil, credited: Money? = nil,
                preceding: PrecedingInvoice? = nil, creditReason: String = "", refunded: Money? = nil) {
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
        self.kind = kind
        self.prepaid = prepaid ?? .zero(currency)
        self.credited = credited ?? .zero(currency)
        self.preceding = preceding
        self.creditReason = creditReason
        self.refunded = refunded ?? .zero(currency)
    }

    public var totals: InvoiceTotals { InvoiceTotals(self) }

    /// The sum of the payments (kept representable: `Invoicing.recordPayment` refuses one that would not be).
    public var paid: Money {
        Money(minorUnits: Int64(clamping: payments.reduce(Int128(0)) { $0 + Int128($1.amount.minorUnits) }), currency: currency)
    }

    /// What the customer owes on it in all: total − prepaid − credited (before payments).
    public var owed: Money { totals.payable - prepaid - credited }

    /// What is still to pay: total − prepaid − credited − paid, never negative (a surplus goes to the
    /// customer's credit balance); zero for drafts, cancelled invoices and credit notes.
    public var open: Money { status.openAmount(payable: owed, paid: paid) }

    /// The part of the total a credit note may still credit: total − credited.
    public var creditable: Money {
        guard kind == .invoice, status.isIssued, status != .cancelled else { return .zero(currency) }
        let rest = totals.payable - credited
        return rest.minorUnits > 0 ? rest : .zero(currency)
    }

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
        _ = try InvoiceTotals(checking: copy)
        return copy
    }
}
