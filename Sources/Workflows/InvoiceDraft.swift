import Billing

/// What the operator asks for when adding or editing an invoice; nil fields stay as they are.
public struct InvoiceDraft: Sendable {
    public var title: String?
    public var userID: Int64?
    public var taxMode: TaxMode?
    public var notes: String?
    /// Replaces all lines when set.
    public var lines: [InvoiceLine]?
    /// Lines appended to the existing ones.
    public var addedLines: [InvoiceLine] = []
    public var language: Language?
    /// `--tax-category`: the VAT category; `exemptionReason` its note (E, AE, K, G, O).
    public var vatCategory: VATCategory?
    public var exemptionReason: String?
    /// `--purchase-order REF`: the buyer's order it bills (BT-13); empty removes it.
    public var purchaseOrder: String?

    public init(title: String? = nil, userID: Int64? = nil, taxMode: TaxMode? = nil, notes: String? = nil,
                lines: [InvoiceLine]? = nil, addedLines: [InvoiceLine] = [], language: Language? = nil) {
        self.title = title
        self.userID = userID
        self.taxMode = taxMode
        self.notes = notes
        self.lines = lines
        self.addedLines = addedLines
        self.language = language
    }
}
