import Billing
import Store

extension Invoicing {
    /// An invoice paid in full before the reminder that billed a fee left (its mail still queued, deferred
    /// or failed: the mailing run cancels it, the invoice being paid) was never asked for that fee: its
    /// unpaid fee invoice is cancelled by a credit note (not mailed), and its own mail with it. A fee whose
    /// reminder was sent (or is being sent) stays owed.
    func waiveUnsentReminderFees(of invoiceID: Int64, today: Day) throws {
        for (level, feeID) in try store.reminderFees(invoiceID: invoiceID) {
            let fee = try store.invoice(id: feeID)
            guard fee.status == .open, fee.paid.isZero, fee.prepaid.isZero, fee.credited.isZero else { continue }
            let state = try store.mailState(idempotencyKey: Store.reminderMailKey(invoiceID: invoiceID, level: level))
            guard state != .sent, state != .sending else { continue }
            _ = try cancel(reference: String(feeID), today: today, noMail: true)
        }
    }

    /// Money paid to an invoice beyond its open amount (already booked as customer credit) settles the
    /// open fee invoices of its reminders, lowest level first, before it stays credit: each takes what
    /// it still owes as credit applied (prepaid, BT-113), the credit ledger says which fee it paid, and
    /// a fee invoice paid in full is paid (receipt queued). What is left stays the customer's credit.
    func settleReminderFees(of invoiceID: Int64, number: String, from surplus: Money, date: Day, today: Day) throws {
        var left = surplus
        for id in try store.reminderFeeInvoiceIDs(invoiceID: invoiceID) where left.minorUnits > 0 {
            var fee = try store.invoice(id: id)
            guard fee.status == .open || fee.status == .partiallyPaid else { continue }
            let used = min(left, fee.open)
            guard used.minorUnits > 0 else { continue }
            fee.prepaid = try fee.prepaid.adding(used)
            let feeNumber = fee.number ?? String(fee.id)
            try store.addCredit(customerID: fee.customerID, amount: -used,
                                reason: "applied to reminder fee invoice \(feeNumber) (paid with invoice \(number))",
                                invoiceID: fee.id, date: date)
            if fee.owed.minorUnits <= fee.paid.minorUnits { fee.status = .paid }
            try store.updateInvoice(fee, linesChanged: false)
            if fee.status == .paid { try watcher.invoiceBecamePaid(fee, on: date, recordedOn: today) }
            left = try left.subtracting(used)
        }
    }
}
