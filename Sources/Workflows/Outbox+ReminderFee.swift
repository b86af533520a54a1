import Billing
import Documents
import Store

/// Reminder fees are billed (issue 17 item 7): the fee a reminder asks for is an invoice of its own.
extension Outbox {
    /// The fee invoice of reminder `level` of `invoice`: issued now (once per reminder, inside the savepoint
    /// that queues the reminder, so it exists exactly when the reminder does) and its own mail queued;
    /// nil when the level has no fee. One line "Reminder fee: 2nd reminder for invoice …" at the fee of
    /// `reminder_fees`, tax category O (outside the scope of VAT: a reminder fee is compensation for late
    /// payment, not a supply — Swiss and German practice), in the invoice's language, to its addressee.
    public func reminderFeeInvoice(level: Int, of invoice: Invoice, store: Store, today: Day) throws -> Invoice? {
        if let id = try store.reminderFeeInvoiceID(invoiceID: invoice.id, level: level) { return try store.invoice(id: id) }
        guard let fee = try store.loadOperator().reminderFee(level: level, currency: invoice.currency) else { return nil }
        let labels = renderer.labels(invoice.language)
        let number = invoice.number ?? String(invoice.id)
        var draft = InvoiceDraft(title: labels["reminderFeeTitle"], language: invoice.language)
        draft.vatCategory = .outsideScope
        draft.exemptionReason = labels["reminderFeeVAT"]
        draft.lines = [InvoiceLine(title: labels.text("reminderFeeLine\(level)", ["number": number]), quantity: DecimalNumber(1),
                                   unitPrice: fee, vatRate: .zero)]
        if let user = invoice.userID, try store.users(customerID: invoice.customerID).contains(where: { $0.id == user }) {
            draft.userID = user
        }
        let issued = try Invoicing(store: store, outbox: self).create(customerReference: String(invoice.customerID), draft,
                                                                      issue: true, today: today)
        try store.addReminderFee(invoiceID: invoice.id, level: level, feeInvoiceID: issued.id)
        if issued.status == .open || issued.status == .partiallyPaid {
            try queueDocumentMail(invoice: issued, store: store, today: today)
        }
        return issued
    }
}
