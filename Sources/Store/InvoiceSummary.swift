import Billing

/// An invoice as listings show it: header and stored totals, without lines (cheap to stream).
public struct InvoiceSummary: Sendable, Hashable {
    public var id: Int64
    public var number: String?
    public var customerID: Int64
    public var customerName: String
    public var title: String
    public var issueDate: Day?
    public var dueDate: Day?
    public var currency: Currency
    public var language: Language
    public var taxMode: String
    public var status: InvoiceStatus
    public var net: Money
    public var vatGroups: [VATGroup]
    public var vat: Money
    public var gross: Money
    public var rounding: Money
    public var total: Money
    public var paid: Money
    public var kind: DocumentKind = .invoice
    public var prepaid: Money
    public var credited: Money
    /// For a credit note: the number of the invoice it credits.
    public var precedingNumber: String?
    public var refunded: Money

    /// total − prepaid − credited − paid, never below 0 (see `Invoice.open`).
    public var open: Money { status.openAmount(payable: total - prepaid - credited, paid: paid) }

    public func displayStatus(on today: Day) -> String { status.display(dueDate: dueDate, on: today) }
}

/// Which invoices a listing or a batch takes.
public struct InvoiceFilter: Sendable {
    public var statuses: [InvoiceStatus] = []
    /// Open or partially paid with a due date before this day.
    public var overdueOn: Day?
    public var customerID: Int64?
    public var issuedSince: Day?
    public var numbers: [String] = []
    public var limit: Int?
    /// Only invoices or only credit notes; nil lists both.
    public var kind: DocumentKind?
    /// Only invoices with an id above this one (the API's cursor pagination).
    public var afterID: Int64?

    public init(statuses: [InvoiceStatus] = [], overdueOn: Day? = nil, customerID: Int64? = nil,
                issuedSince: Day? = nil, numbers: [String] = [], limit: Int? = nil, kind: DocumentKind? = nil) {
        self.kind = kind
        self.statuses = statuses
        self.overdueOn = overdueOn
        self.customerID = customerID
        self.issuedSince = issuedSince
        self.numbers = numbers
        self.limit = limit
    }
}
