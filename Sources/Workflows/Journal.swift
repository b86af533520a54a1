import Billing
import Foundation
import Store

/// One business event as balanced double-entry postings (issue 22): an issued invoice or credit note,
/// a payment, a refund, a credit movement. Amounts are signed: positive debits, negative credits;
/// per currency they add up to zero.
public struct JournalTransaction: Sendable {
    public struct Posting: Sendable {
        /// What a posting is to an invoice: DATEV books revenue gross (with its VAT) on one row.
        public enum Role: Sendable, Equatable {
            case other
            case revenue(Percentage)
            case vat(Percentage)
        }

        public let account: AccountChart.Account
        public let amount: Money
        public var role: Role = .other
    }

    public let date: Day
    /// The document it belongs to (DATEV's Belegfeld 1): the invoice or credit note number.
    public let document: String
    public let text: String
    /// The customer the event belongs to (DATEV's personal debtor account).
    public let customerID: Int64
    public var postings: [Posting]
}

/// Builds the journal of a period from the store, with the accounts of `chart`:
/// - an invoice: receivables (payable total) against revenue per VAT rate and category, VAT payable
///   per rate and cash rounding; a reminder fee invoice books its revenue to the fee account; a credit
///   note the same reversed;
/// - a payment: bank against receivables (Belegfeld = the invoice's number, so DATEV clears it);
/// - a credit note paid back: receivables against bank;
/// - a credit movement: customer credit against receivables (overpayments, credit notes to the
///   balance, prepaid amounts applied at issue) or, for a refund from credit, against bank.
/// Unmatched provider payments are booked when they are assigned to an invoice (as its payment).
public struct Journal {
    public let store: Store
    public let chart: AccountChart

    public init(store: Store, chart: AccountChart) {
        self.store = store
        self.chart = chart
    }

    /// Every transaction of `from…to`, in date order (documents first on a day, then money movements).
    public func transactions(from: Day, to: Day) throws -> [JournalTransaction] {
        var out: [JournalTransaction] = []
        var companies: [Int64: String] = [:]
        func company(_ id: Int64) throws -> String {
            if let known = companies[id] { return known }
            let name = try store.customer(id: id).company
            companies[id] = name
            return name
        }
        try store.forEachIssuedDocumentID(from: from, to: to) { id in out.append(try document(id: id, company: company)) }
        try store.forEachPayment(from: from, to: to) { received in
            let amount = received.payment.amount
            out.append(JournalTransaction(date: received.payment.date, document: received.invoiceNumber,
                                          text: "Payment \(received.invoiceNumber)" + (received.payment.reference.isEmpty ? "" : " \(received.payment.reference)"),
                                          customerID: received.customerID,
                                          postings: [.init(account: chart.bank, amount: amount), .init(account: chart.receivables, amount: -amount)]))
        }
        try store.forEachCreditNoteRefund(from: from, to: to) { refund in
            out.append(JournalTransaction(date: refund.date, document: refund.creditNoteNumber,
                                          text: "Refund \(refund.creditNoteNumber)" + (refund.reference.isEmpty ? "" : " \(refund.reference)"),
                                          customerID: refund.customerID,
                                          postings: [.init(account: chart.receivables, amount: refund.amount), .init(account: chart.bank, amount: -refund.amount)]))
        }
        try store.forEachCreditMovement(from: from, to: to) { movement in
            guard !movement.amount.isZero else { return }
            let counter = movement.isRefund ? chart.bank : chart.receivables
            out.append(JournalTransaction(date: movement.date, document: movement.document,
                                          text: "Credit \(try company(movement.customerID)): \(movement.reason)", customerID: movement.customerID,
                                          postings: [.init(account: counter, amount: movement.amount),
                                                     .init(account: chart.customerCredit, amount: -movement.amount)]))
        }
        // Stable: within a day documents stay before the money that follows them.
        return out.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
    }

    /// The VAT category of a document's rate group: the invoice's own, else S (taxed) or Z (0 %), E when exempt.
    static func category(of invoice: Invoice, rate: Percentage) -> VATCategory {
        if let category = invoice.vatCategory { return category }
        if case .exempt = invoice.taxMode { return .exempt }
        return rate.isZero ? .zeroRated : .standard
    }

    /// The postings of one issued invoice or credit note, from its stored totals.
    func document(id: Int64, company: (Int64) throws -> String) throws -> JournalTransaction {
        let invoice = try store.invoice(id: id)
        let totals = invoice.totals
        let number = invoice.number ?? ""
        let sign: Int64 = invoice.isCreditNote ? -1 : 1
        let currency = invoice.currency
        func signed(_ money: Money) -> Money { Money(minorUnits: money.minorUnits * sign, currency: currency) }
        let isFee = try store.isReminderFeeInvoice(id: id)
        var postings: [JournalTransaction.Posting] = [.init(account: chart.receivables, amount: signed(totals.payable))]
        for group in totals.vatGroups {
            let category = Journal.category(of: invoice, rate: group.rate)
            let revenue = isFee ? chart.fees : chart.revenue(rate: group.rate, category: category)
            if !group.base.isZero { postings.append(.init(account: revenue, amount: -signed(group.base), role: .revenue(group.rate))) }
            if !group.amount.isZero { postings.append(.init(account: chart.vat(rate: group.rate), amount: -signed(group.amount), role: .vat(group.rate))) }
        }
        if !totals.rounding.isZero { postings.append(.init(account: chart.rounding, amount: -signed(totals.rounding))) }
        let balance = postings.reduce(Int64(0)) { $0 + $1.amount.minorUnits }
        guard balance == 0 else {
            throw WorkflowError("\(number) does not balance in the journal (off by \(Money(minorUnits: balance, currency: currency))): its stored totals disagree with its lines")
        }
        let what = invoice.isCreditNote ? "Credit note" : (isFee ? "Reminder fee invoice" : "Invoice")
        let date = invoice.issueDate ?? Day(daysSinceEpoch: 0)
        return JournalTransaction(date: date, document: number, text: "\(what) \(number) \(try company(invoice.customerID))",
                                  customerID: invoice.customerID, postings: postings)
    }
}
