import Billing
import Store

extension PaidStatusWatcher {
    /// Gives back the unused value of a replaced booking that its successor's invoice could not absorb
    /// (an upgrade credit larger than the new price, or a credit recomputed upwards) by **credit notes on
    /// the invoices that paid it**, as Stripe credits unused time: gross, at the VAT rate the customer paid,
    /// so revenue and VAT are reversed on a document and the customer's credit receives what was paid
    /// (net + VAT), never a net amount with the VAT kept.
    ///
    /// `amount` is in the tax mode of the new price (`inGross`); the credit notes are in the old invoices'
    /// mode. The latest paid period is credited first, each never beyond its own unused part nor beyond
    /// what its invoice has left to credit; what no invoice can take (credited already by earlier credit
    /// notes) is not given twice: it is recorded in the booking's history.
    /// Returns the numbers of the credit notes issued.
    @discardableResult
    func creditUnused(_ amount: Money, inGross: Bool, of replaced: Booking, from start: Day, paidOn: Day,
                      upgradeInvoice number: String) throws -> [String] {
        guard amount.minorUnits > 0 else { return [] }
        guard let oldPrice = replaced.price else {
            try store.addCredit(customerID: replaced.customerID, amount: amount,
                                reason: "unused part of a replaced booking beyond invoice \(number)", invoiceID: nil, date: paidOn)
            return []
        }
        let rate = oldPrice.vatRate
        // In the old invoices' mode (what `Bookings.unusedCredit` converted from).
        var left = amount
        if inGross && !oldPrice.isGross { left = Proration.net(ofGross: amount, rate: rate) }
        if !inGross && oldPrice.isGross { left = Proration.gross(ofNet: amount, rate: rate) }
        let customer = try store.customer(id: replaced.customerID)
        let labels = Bookings(store: store, outbox: outbox).labels(for: customer)
        let invoicing = Invoicing(store: store, outbox: outbox)
        var notes: [String] = []
        let periods = try store.periods(bookingID: replaced.id).filter { $0.state == .paid }.sorted { $0.start > $1.start }
        for period in periods where left.minorUnits > 0 {
            let unused = Proration.credit(paid: period.paidAmount, periodStart: period.start, periodEnd: period.end, from: start)
            // Never beyond what that invoice has left to credit (earlier credit notes gave part of it back).
            let creditable = try store.invoice(id: period.invoiceID).creditable
            let room = oldPrice.isGross ? creditable : Proration.net(ofGross: creditable, rate: rate)
            let share = min(unused, left, room)
            guard share.minorUnits > 0 else { continue }
            let title = labels.text("bookingCredit", [
                "product": labels.product(replaced.productName, kind: replaced.kind),
                "start": labels.date(max(start, period.start)), "end": labels.date(period.end)])
            let line = InvoiceLine(title: title, quantity: DecimalNumber(1), unitPrice: share, vatRate: rate)
            do {
                let outcome = try store.isolated {
                    try invoicing.creditNote(reference: String(period.invoiceID), .lines([line]),
                                             reason: "unused part credited: replaced by the booking of invoice \(number)",
                                             refund: false, today: paidOn)
                }
                notes.append(outcome.creditNote.number ?? "")
                left = left - share
            } catch is WorkflowError {
                continue  // That invoice has nothing left to credit at this rate; the rest is booked below.
            }
        }
        if left.minorUnits > 0 {
            // Its invoices were credited already (money went back by earlier credit notes): nothing is left
            // to give, and crediting it again would create money. Recorded, never silently dropped.
            try store.logBookingEvent(bookingID: replaced.id, date: paidOn, action: "unused value not credited",
                                      detail: "\(left.decimalString) of the unused part beyond invoice \(number): the invoices that paid it were credited already")
        }
        if !notes.isEmpty {
            try store.logBookingEvent(bookingID: replaced.id, date: paidOn, action: "unused value credited",
                                      detail: "credit note\(notes.count == 1 ? "" : "s") \(notes.joined(separator: ", ")) (gross, to the customer's credit): replaced by the booking of invoice \(number)")
        }
        return notes
    }
}
