import Billing
import Store

/// `invoice report vat` (issue 22): net and VAT per currency, VAT category and rate of the documents
/// issued in a period (the agreed basis, "vereinbart"; the received basis is `received`), credit notes netted (they count negative in
/// the period they are issued in). Reverse charge (AE) and intra-community (K) bases carry no VAT and
/// are rows of their own, as the returns list them separately.
public struct VATReport: Sendable {
    public struct Row: Sendable, Equatable {
        public let currency: Currency
        public let category: VATCategory
        public let rate: Percentage
        public var net: Money
        public var vat: Money
        public var documents: Int
    }

    public let from: Day
    public let to: Day
    public var rows: [Row]

    public static func invoiced(store: Store, from: Day, to: Day) throws -> VATReport {
        var rows: [String: Row] = [:]
        try store.forEachIssuedDocumentID(from: from, to: to) { id in
            let invoice = try store.invoice(id: id)
            let sign: Int64 = invoice.isCreditNote ? -1 : 1
            for group in invoice.totals.vatGroups {
                let category = Journal.category(of: invoice, rate: group.rate)
                let key = "\(invoice.currency.code) \(category.rawValue) \(group.rate)"
                var row = rows[key] ?? Row(currency: invoice.currency, category: category, rate: group.rate,
                                          net: .zero(invoice.currency), vat: .zero(invoice.currency), documents: 0)
                row.net = try row.net.adding(Money(minorUnits: sign * group.base.minorUnits, currency: invoice.currency))
                row.vat = try row.vat.adding(Money(minorUnits: sign * group.amount.minorUnits, currency: invoice.currency))
                row.documents += 1
                rows[key] = row
            }
        }
        return VATReport(from: from, to: to, rows: sorted(rows))
    }

    /// Rows by currency, category (S, Z, E, AE, K, G, O) and rate.
    static func sorted(_ rows: [String: Row]) -> [Row] {
        let order = VATCategory.allCases
        return rows.values.sorted {
            ($0.currency.code, order.firstIndex(of: $0.category) ?? 0, $1.rate.description) < ($1.currency.code, order.firstIndex(of: $1.category) ?? 0, $0.rate.description)
        }
    }
}
