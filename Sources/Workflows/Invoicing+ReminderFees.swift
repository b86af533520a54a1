import Billing
import Store

extension Invoicing {
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
