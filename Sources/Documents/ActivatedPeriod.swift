import Billing

/// A plan or module period that a payment activated, as the receipt names it: the product, its kind
/// (worded in the invoice's language: "Business Tarif", "Forfait Business") and the days it runs.
public struct ActivatedPeriod: Sendable, Hashable {
    public let productName: String
    public let kind: ProductKind
    public let start: Day
    /// nil: open-ended (a one-time module).
    public let end: Day?

    public init(productName: String, kind: ProductKind, start: Day, end: Day?) {
        self.productName = productName
        self.kind = kind
        self.start = start
        self.end = end
    }
}
