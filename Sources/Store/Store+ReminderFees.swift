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

    /// The fee invoices of `invoiceID`'s reminders with their levels, lowest level first.
    public func reminderFees(invoiceID: Int64) throws -> [(level: Int, feeInvoiceID: Int64)] {
        try guarded {
            try connection.query("SELECT level, fee_invoice_id FROM reminder_fees WHERE invoice_id = ? ORDER BY level",
                                 [.integer(invoiceID)]) { (level: Int($0.int(0)), feeInvoiceID: $0.int(1)) }
        }
    }

    /// The state of the mail queued under `idempotencyKey`, nil when none was.
    public func mailState(idempotencyKey: String) throws -> QueuedMail.State? {
        try guarded {
            try connection.first("SELECT state FROM mail_queue WHERE idempotency_key = ?", [.text(idempotencyKey)]) { row -> QueuedMail.State in
                guard let state = QueuedMail.State(rawValue: row.text(0)) else { throw StoreError("corrupt mail state '\(row.text(0))'") }
                return state
            }
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
