import Billing
import Store

/// The received basis ("vereinnahmt", issue 22): a document's net and VAT count in proportion to the
/// money that settles it, in the period that money moves.
/// - An invoice is settled by its payments (on their dates; a surplus beyond what it still owes is
///   customer credit, not its consideration) and by customer credit applied to it (prepaid, on the
///   day it was applied). A credit note that reduced what it still owed reduces what can settle it.
/// - A credit note counts negative for the part of it that went back to the customer as money (paid
///   back, or credited to the balance), on its issue date; the part that only reduced an open amount
///   counts nowhere (that money never came).
/// - Credit on account (overpayments) counts when it is applied to an invoice; paying it back counts
///   nothing (it never counted).
/// - Each settlement takes its share of every net, VAT and rounding amount of the document by
///   `ProportionalShare` on the cumulative settled amount: exact to the cent, the shares of all
///   settlements add up to the document's figures once it is settled in full.
extension VATReport {
    public static func received(store: Store, from: Day, to: Day) throws -> VATReport {
        var rows: [String: Row] = [:]
        try store.forEachIssuedDocumentID(from: Day(daysSinceEpoch: -1_000_000), to: to) { id in
            let document = try store.invoice(id: id)
            let totals = document.totals
            let total = totals.payable.minorUnits
            guard total != 0 else { return }
            // Settlement events (date, cumulative settled) of the document.
            var events: [(date: Day, settled: Int64)] = []
            if document.isCreditNote {
                let returned = min(try store.creditNoteReturned(creditNoteID: id), total)
                guard returned > 0, let issued = document.issueDate else { return }
                events.append((issued, returned))
            } else {
                var prepaid = try store.prepaidApplications(invoiceID: id)
                let applied = prepaid.reduce(Int64(0)) { $0 + $1.amount }
                if applied != document.prepaid.minorUnits, let issued = document.issueDate {
                    prepaid.append((issued, document.prepaid.minorUnits - applied))
                }
                let reducedByNotes = try store.creditNotes(invoiceID: id).reduce(Int64(0)) { sum, note in
                    sum + note.totals.payable.minorUnits - min(try store.creditNoteReturned(creditNoteID: note.id), note.totals.payable.minorUnits)
                }
                let paymentRoom = max(0, total - document.prepaid.minorUnits - reducedByNotes)
                var moves: [(date: Day, prepaid: Int64, paid: Int64)] = prepaid.map { ($0.date, $0.amount, 0) }
                moves += document.payments.map { ($0.date, 0, $0.amount.minorUnits) }
                moves = moves.enumerated().sorted { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }.map(\.element)
                var prepaidSoFar: Int64 = 0, paidSoFar: Int64 = 0
                for move in moves {
                    prepaidSoFar += move.prepaid
                    paidSoFar += move.paid
                    events.append((move.date, min(total, prepaidSoFar + min(max(paidSoFar, 0), paymentRoom))))
                }
            }
            // The document's amounts: net and VAT per rate group, then the rounding.
            var parts: [Int64] = []
            for group in totals.vatGroups { parts += [group.base.minorUnits, group.amount.minorUnits] }
            parts.append(totals.rounding.minorUnits)
            let sign: Int64 = document.isCreditNote ? -1 : 1
            var before = parts.map { _ in Int64(0) }
            var previous: Int64 = 0
            for event in events {
                let now = ProportionalShare.allocate(parts, total: total, settled: event.settled)
                defer { before = now; previous = event.settled }
                guard event.date >= from, event.date <= to, event.settled != previous else { continue }
                for (index, group) in totals.vatGroups.enumerated() {
                    let net = now[2 * index] - before[2 * index], vat = now[2 * index + 1] - before[2 * index + 1]
                    let category = Journal.category(of: document, rate: group.rate)
                    let key = "\(document.currency.code) \(category.rawValue) \(group.rate)"
                    var row = rows[key] ?? Row(currency: document.currency, category: category, rate: group.rate,
                                              net: .zero(document.currency), vat: .zero(document.currency), documents: 0)
                    row.net = try row.net.adding(Money(minorUnits: sign * net, currency: document.currency))
                    row.vat = try row.vat.adding(Money(minorUnits: sign * vat, currency: document.currency))
                    row.documents += 1
                    rows[key] = row
                }
            }
        }
        return VATReport(from: from, to: to, rows: sorted(rows))
    }
}
