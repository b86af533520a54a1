import Billing
import Database

/// Reminder fees (issue 17): the fee a reminder asks for is billed by an invoice of its own, linked to
/// the overdue invoice and the reminder level that asked for it.
extension Store {
    /// Links `feeInvoiceID` to reminder `level` of `invoiceID` (once per reminder).
    public func addReminderFee(invoiceID: Int64, level: Int, feeInvoiceID: Int64) throws {
        try write {
            try connection.run("INSERT INTO reminder_fees (invoice_id, level, fee_invoice_id) VALUES (?, ?, ?)",
                               [.integer(invoiceID), .integer(Int64(level)), .integer(feeInvoiceID)])
        }
    }

    /// The fee invoice of reminder `level` of `invoiceID`, if one was issued.
    public func reminderFeeInvoiceID(invoiceID: Int64, level: Int) throws -> Int64? {
        try guarded {
            try connection.first("SELECT fee_invoice_id FROM reminder_fees WHERE invoice_id = ? AND level = ?",
                                 [.integer(invoiceID), .integer(Int64(level))]) { $0.int(0) }
        }
    }

    /// The fee invoices of `invoiceID`'s reminders, lowest level first.
    public func reminderFeeInvoiceIDs(invoiceID: Int64) throws -> [Int64] {
        try guarded {
            try connection.query("SELECT fee_invoice_id FROM reminder_fees WHERE invoice_id = ? ORDER BY level",
                                 [.integer(invoiceID)]) { $0.int(0) }
        }
    }
}
