import Billing
import Database

/// Invoice facts the bookings and the scheduled run ask for: numbers, overdue counts, credit balances.
extension Store {
    /// The number of an issued invoice (nil for drafts or unknown ids).
    public func invoiceNumber(id: Int64) throws -> String? {
        try guarded { try connection.first("SELECT number FROM invoices WHERE id = ?", [.integer(id)]) { $0.optionalText(0) } ?? nil }
    }

    /// Open or partially paid invoices with a due date before `day` (overdue is derived, never stored).
    public func overdueInvoiceCount(on day: Day) throws -> Int64 {
        try guarded {
            try connection.scalarInt("SELECT count(*) FROM invoices WHERE status IN ('open', 'partially_paid') AND due_date < ?",
                                     [.text(day.description)])
        }
    }

    /// The customer's credit balance per currency (only currencies with a non-zero balance).
    public func creditBalances(customerID: Int64) throws -> [Money] {
        try guarded {
            try connection.query("""
                SELECT currency, sum(amount) FROM credit_ledger WHERE customer_id = ? GROUP BY currency
                HAVING sum(amount) <> 0 ORDER BY currency
                """, [.integer(customerID)]) { Money(minorUnits: $0.int(1), currency: try Currency(code: $0.text(0))) }
        }
    }
}
