import Foundation
import Billing
import Store

/// What issuing a credit note did.
public struct CreditNoteOutcome: Sendable, Hashable {
    /// The numbered credit note.
    public let creditNote: Invoice
    /// The credited invoice as it now is (cancelled when credited in full).
    public let invoice: Invoice
    /// The part that reduced what was still due on the invoice.
    public let reducedDue: Money
    /// The part that went to the customer's credit balance.
    public let toCredit: Money
    /// The part recorded as paid back to the customer.
    public let refunded: Money
    /// What crediting in full did to the bookings the invoice paid for (their periods end or are void).
    public var accessChanges: [String] = []
}

extension Invoicing {
    /// Issues a credit note against an issued invoice, in one transaction, from the credit-note
    /// counter. Its amount first reduces what is still due on the invoice; the rest (money already
    /// paid or prepaid) goes to the customer's credit, or with `refund` is recorded as paid back.
    /// Credited in full, the invoice is cancelled and the bookings it pays for react as to a cancellation.
    ///
    /// With a sender address, the credit note's mail is queued at once (unless `noMail`); a mail
    /// problem never fails the credit note: the next `invoice run` queues it or reports why not.
    public func creditNote(reference: String, _ request: CreditNoteRequest, reason: String, refund: Bool, today: Day,
                           refundReference: String = "", eventID: String? = nil, noMail: Bool = false) throws -> CreditNoteOutcome {
        try store.write {
            var invoice = try store.invoice(reference: reference)
            let name = invoice.number ?? String(invoice.id)
            let previous = try store.creditNotes(invoiceID: invoice.id)
            var note: Invoice
            do {
                note = try CreditNoteBuilder.creditNote(for: invoice, previous: previous, request: request, reason: reason,
                                                        lineTitle: Labels.creditNoteLine(invoice.language, invoice: name))
            } catch let error as BillingError {
                throw WorkflowError(error.description)
            }
            let amount = note.totals.payable
            let openBefore = invoice.open
            let reducedDue = min(amount, openBefore)
            let rest = amount - reducedDue
            if refund && rest.isZero {
                throw WorkflowError("nothing was paid on invoice \(name) beyond what is due; a credit note on it reduces the amount due, there is nothing to refund")
            }
            let op = try store.loadOperator()
            let sequence = try store.nextSequence(scope: "cn:" + op.creditNoteNumberFormat.counterScope(on: today))
            note.number = op.creditNoteNumberFormat.number(sequence: sequence, on: today)
            note.purchaseOrder = invoice.purchaseOrder
            note.issueDate = today
            note.status = .issued
            note.refunded = refund ? rest : .zero(invoice.currency)
            note = try store.insertInvoice(note)
            try store.recordBilledTo(invoiceID: note.id, customer: try store.customer(id: note.customerID),
                                     addressee: try note.userID.map { try store.user(id: $0) })
            try store.recordSoldBy(invoiceID: note.id, seller: op)
            try EventLog(store: store).invoice(.creditNoteIssued, id: note.id, today: today)
            if noMail {
                try store.setNoMail(invoiceID: note.id, true)
            } else if let outbox = watcher.outbox, try outbox.hasSender(store: store) {
                do {
                    try store.isolated { _ = try outbox.queueDocumentMail(invoice: note, store: store, today: today) }
                } catch {
                    // Left for the scheduled run's sweep, which retries it and reports the reason.
                }
            }
            let noteNumber = note.number ?? ""
            if rest.minorUnits > 0 {
                if refund {
                    let refundID = try store.addRefund(customerID: invoice.customerID, amount: rest, date: today,
                                                       reference: refundReference, creditNoteID: note.id, eventID: eventID)
                    try EventLog(store: store).refund(customerID: invoice.customerID, amount: rest, date: today,
                                                      reference: refundReference, key: String(refundID))
                } else {
                    try store.addCredit(customerID: invoice.customerID, amount: rest,
                                        reason: "credit note \(noteNumber) for invoice \(name)", invoiceID: note.id, date: today)
                }
            }
            let statusBefore = invoice.status
            invoice.credited = invoice.credited + amount
            if invoice.creditable.isZero {
                invoice.status = .cancelled
            } else if statusBefore == .open || statusBefore == .partiallyPaid {
                invoice.status = invoice.open.isZero ? .paid : (invoice.paid.isZero ? .open : .partiallyPaid)
            }
            try store.updateInvoice(invoice, linesChanged: false)
            var accessChanges: [String] = []
            if invoice.status == .cancelled {
                accessChanges = try watcher.invoiceWasCancelled(invoice, on: today, paidPeriodsEnd: statusBefore == .paid)
            } else if statusBefore != .paid, invoice.status == .paid {
                try watcher.invoiceBecamePaid(invoice, on: today)
            }
            var outcome = CreditNoteOutcome(creditNote: note, invoice: invoice, reducedDue: reducedDue,
                                            toCredit: refund ? .zero(invoice.currency) : rest, refunded: refund ? rest : .zero(invoice.currency))
            outcome.accessChanges = accessChanges
            return outcome
        }
    }

    /// Pays customer credit back: never more than the balance. Returns the new balance.
    public func refund(customerReference: String, amount: Money, date: Day, reference: String, today: Day) throws -> Money {
        try store.write {
            let customer = try store.customer(reference: customerReference)
            guard amount.minorUnits > 0 else { throw WorkflowError("a refund must be more than zero") }
            guard date <= today.adding(days: 1) else { throw WorkflowError("refund date \(date) is after tomorrow") }
            let reference = try TextField.singleLine(reference, field: "refund reference", maxLength: 140)
            let balance = try store.creditBalance(customerID: customer.id, currency: amount.currency)
            guard amount <= balance else {
                throw WorkflowError("customer \(customer.id) (\(customer.company)) has \(balance) credit; a refund of \(amount) would take it below zero")
            }
            // Bounded like a payment date: money cannot leave before it was on account. The credit held
            // on the refund's date (the ledger up to that day) must cover it, so a refund is never dated
            // before the credit it pays back arose, nor after tomorrow.
            let ledger = try store.creditLedger(customerID: customer.id).filter { $0.amount.currency == amount.currency }
            let heldThen = ledger.filter { $0.date <= date }.reduce(Money.zero(amount.currency)) { $0 + $1.amount }
            guard amount <= heldThen else {
                let first = ledger.filter { $0.amount.minorUnits > 0 }.map(\.date).min()
                throw WorkflowError("refund date \(date) is before customer \(customer.id) held \(amount) of credit (\(heldThen) on that day"
                                    + (first.map { "; credit arose from \($0)" } ?? "") + "); date the refund when the money left, up to tomorrow")
            }
            let refundID = try store.addRefund(customerID: customer.id, amount: amount, date: date, reference: reference,
                                               creditNoteID: nil, eventID: nil)
            try store.addCredit(customerID: customer.id, amount: -amount,
                                reason: "refund" + (reference.isEmpty ? "" : " \(reference)"), invoiceID: nil, date: date,
                                refundID: refundID)
            try EventLog(store: store).refund(customerID: customer.id, amount: amount, date: date, reference: reference,
                                              key: String(refundID))
            return try store.creditBalance(customerID: customer.id, currency: amount.currency)
        }
    }

    /// A payment recorded by hand in a currency other than its invoice's: money is never refused, so it
    /// is kept as unmatched (as the webhook keeps one), under a new id `pay-…` the operator assigns
    /// with `invoice payments assign ID NUMBER` once it is clear which invoice of that currency it pays,
    /// or pays back. Nothing else changes. Returns the id.
    public func keepUnmatched(invoiceReference: String, amount: Money, date: Day, reference: String, today: Day) throws -> String {
        try store.write {
            let target = try store.paymentTarget(reference: invoiceReference)
            let name = target.number ?? String(target.id)
            guard target.kind == .invoice else {
                throw WorkflowError("\(name) is a credit note; payments go to the invoice it credits")
            }
            guard amount.minorUnits > 0 else { throw WorkflowError("a payment must be more than zero") }
            guard let issued = target.issueDate else {
                throw WorkflowError("invoice \(target.id) is a draft; issue it before recording payments", conflict: true)
            }
            try Invoicing.checkPaymentDate(date, issued: issued, today: today)
            let reference = try TextField.singleLine(reference, field: "payment reference", maxLength: 140)
            let id = "pay-" + UUID().uuidString.lowercased().prefix(13).replacingOccurrences(of: "-", with: "")
            let reason = "invoice \(name) is in \(target.currency), the payment in \(amount.currency)"
                + (reference.isEmpty ? "" : " (reference \(reference))")
            try store.addUnmatchedPayment(eventID: id, invoiceNumber: name, amount: amount, paidOn: date, reason: reason)
            try EventLog(store: store).unmatchedPayment(eventID: id, invoiceNumber: name, amount: amount, date: date, reason: reason)
            return id
        }
    }

    /// Applies a payment kept as unmatched to an invoice, as `pay` would have; once only.
    public func assignUnmatched(eventID: String, invoiceReference: String, today: Day) throws -> PaymentOutcome {
        try store.write {
            guard let unmatched = try store.unmatchedPayment(eventID: eventID) else {
                throw WorkflowError("no unmatched payment with event id '\(eventID)'; see invoice payments unmatched")
            }
            guard unmatched.assignedInvoiceID == nil else {
                throw WorkflowError("payment \(eventID) was assigned already")
            }
            let invoice = try store.invoice(reference: invoiceReference)
            let outcome = try pay(reference: String(invoice.id), amount: unmatched.amount, date: unmatched.paidOn,
                                  method: eventID.hasPrefix("bank-") ? "bank" : "webhook", paymentReference: eventID,
                                  eventID: eventID, today: today)
            guard !outcome.duplicate, try store.markUnmatchedAssigned(eventID: eventID, invoiceID: invoice.id) else {
                throw WorkflowError("payment \(eventID) was assigned already")
            }
            try store.finishWebhookEvent(id: eventID, status: "assigned", result: "{\"status\":\"assigned\"}")
            return outcome
        }
    }
}
