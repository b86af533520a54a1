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
            note.issueDate = today
            note.status = .issued
            note.refunded = refund ? rest : .zero(invoice.currency)
            note = try store.insertInvoice(note)
            try store.recordBilledTo(invoiceID: note.id, customer: try store.customer(id: note.customerID),
                                     addressee: try note.userID.map { try store.user(id: $0) })
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
                    _ = refundID
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
            let refundID = try store.addRefund(customerID: customer.id, amount: amount, date: date, reference: reference,
                                               creditNoteID: nil, eventID: nil)
            try store.addCredit(customerID: customer.id, amount: -amount,
                                reason: "refund" + (reference.isEmpty ? "" : " \(reference)"), invoiceID: nil, date: date,
                                refundID: refundID)
            return try store.creditBalance(customerID: customer.id, currency: amount.currency)
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
                                  method: "webhook", paymentReference: eventID, eventID: eventID, today: today)
            guard !outcome.duplicate, try store.markUnmatchedAssigned(eventID: eventID, invoiceID: invoice.id) else {
                throw WorkflowError("payment \(eventID) was assigned already")
            }
            try store.finishWebhookEvent(id: eventID, status: "assigned", result: "{\"status\":\"assigned\"}")
            return outcome
        }
    }
}
