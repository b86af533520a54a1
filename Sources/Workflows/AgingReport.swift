import Billing
import Store

/// `invoice report aging` (issue 22): what each customer still owes on a day, per currency, in the
/// buckets accountants use — not yet due, 0–30, 31–60, 61–90 and more than 90 days past the due date.
/// The columns add up to the customer's open amount (Σ open of its issued invoices).
public struct AgingReport: Sendable {
    public static let buckets = ["current", "0-30", "31-60", "61-90", "over-90"]

    public struct Row: Sendable {
        public let customerID: Int64
        public let customer: String
        public let currency: Currency
        /// Open amounts per bucket, in the order of `buckets`.
        public var amounts: [Money]
        public var total: Money
    }

    public let date: Day
    public var rows: [Row]

    /// The bucket of an invoice due on `due`, on `date`.
    static func bucket(due: Day, on date: Day) -> Int {
        let late = date.daysSinceEpoch - due.daysSinceEpoch
        if late < 0 { return 0 }
        if late <= 30 { return 1 }
        if late <= 60 { return 2 }
        if late <= 90 { return 3 }
        return 4
    }

    public static func make(store: Store, on date: Day) throws -> AgingReport {
        var rows: [String: Row] = [:]
        try store.forEachInvoice(InvoiceFilter(kind: .invoice)) { summary in
            guard summary.status.isIssued, summary.open.minorUnits > 0, let due = summary.dueDate ?? summary.issueDate,
                  let issued = summary.issueDate, issued <= date else { return }
            let key = "\(summary.customerID) \(summary.currency.code)"
            let zero = Money.zero(summary.currency)
            var row = rows[key] ?? Row(customerID: summary.customerID, customer: summary.customerName, currency: summary.currency,
                                      amounts: Array(repeating: zero, count: buckets.count), total: zero)
            let index = bucket(due: due, on: date)
            row.amounts[index] = try row.amounts[index].adding(summary.open)
            row.total = try row.total.adding(summary.open)
            rows[key] = row
        }
        return AgingReport(date: date, rows: rows.values.sorted { ($0.customerID, $0.currency.code) < ($1.customerID, $1.currency.code) })
    }
}
