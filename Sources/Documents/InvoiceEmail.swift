import Billing

/// Which mail about an invoice: the invoice itself, a payment reminder (level 1–3), the receipt,
/// or a credit note (the document itself, like an invoice mail).
public enum InvoiceEmailKind: Sendable, Hashable {
    case invoice
    case reminder(level: Int)
    case receipt
    case creditNote

    /// The template base name under `email/`: `invoice`, `reminder` or `receipt`.
    public var templateName: String {
        switch self {
        case .invoice: "invoice"
        case .reminder: "reminder"
        case .receipt: "receipt"
        case .creditNote: "credit_note"
        }
    }
}

/// What an invoice mail needs beyond the invoice document.
public struct InvoiceEmailContext: Sendable {
    public var document: InvoiceDocument
    public var kind: InvoiceEmailKind
    /// The amount still open; defaults to `invoice.open`.
    public var openAmount: Money?
    /// The due date the mail names; defaults to the invoice's.
    public var dueDate: Day?
    /// For a receipt: the payment being confirmed; defaults to the latest payment.
    public var payment: Payment?
    /// For a reminder: the reminder fee it states (billed by its own invoice; the overdue invoice is not
    /// changed); nil: none.
    public var reminderFee: Money?
    /// For a reminder: the number of the invoice that bills its fee.
    public var reminderFeeInvoice: String?
    /// For a reminder: what to pay, the open amount and every reminder fee still open; nil: open + fee.
    public var amountToPay: Money?
    /// For a receipt: the plan and module periods the payment activated, each named with its dates.
    public var activated: [ActivatedPeriod]

    public init(document: InvoiceDocument, kind: InvoiceEmailKind, openAmount: Money? = nil, dueDate: Day? = nil,
                payment: Payment? = nil, reminderFee: Money? = nil, reminderFeeInvoice: String? = nil, amountToPay: Money? = nil,
                activated: [ActivatedPeriod] = []) {
        self.reminderFeeInvoice = reminderFeeInvoice
        self.amountToPay = amountToPay
        self.activated = activated
        self.document = document
        self.kind = kind
        self.openAmount = openAmount
        self.dueDate = dueDate
        self.payment = payment
        self.reminderFee = reminderFee
    }
}

/// A rendered mail: one-line subject, plain text and HTML bodies.
public struct RenderedEmail: Sendable, Hashable {
    public var subject: String
    public var text: String
    public var html: String
}
