import Billing
import Database

/// Differences between an upgrade credit as invoiced and as due on the day the upgrade took effect,
/// waiting for the customer's next plan or module invoice (never settled silently).
extension Store {
    /// One amount the customer owes (positive) on the next invoice, as a line of its own.
    public struct BookingAdjustment: Sendable, Hashable {
        public var id: Int64
        public var customerID: Int64
        public var bookingID: Int64
        public var amount: Money
        public var vatRate: Percentage
        public var isGross: Bool
        public var title: String
        public var createdOn: Day
        public var invoiceID: Int64?
    }

    public func addBookingAdjustment(customerID: Int64, bookingID: Int64, amount: Money, vatRate: Percentage, isGross: Bool,
                                     title: String, on day: Day) throws {
        try write {
            try connection.run("""
                INSERT INTO booking_adjustments (customer_id, booking_id, currency, amount, vat_rate, gross, title, created_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(customerID), .integer(bookingID), .text(amount.currency.code), .integer(amount.minorUnits),
                      .text(vatRate.description), .integer(isGross ? 1 : 0), .text(title), .text(day.description)])
        }
    }

    /// The adjustments of a customer not yet on an invoice, oldest first.
    public func openBookingAdjustments(customerID: Int64) throws -> [BookingAdjustment] {
        try guarded {
            try connection.query("""
                SELECT id, customer_id, booking_id, currency, amount, vat_rate, gross, title, created_on, invoice_id
                FROM booking_adjustments WHERE customer_id = ? AND invoice_id IS NULL ORDER BY id
                """, [.integer(customerID)]) { row in
                let currency = try Currency(code: row.text(3))
                return BookingAdjustment(id: row.int(0), customerID: row.int(1), bookingID: row.int(2),
                                         amount: Money(minorUnits: row.int(4), currency: currency),
                                         vatRate: try Percentage(parsing: row.text(5), field: "VAT rate"), isGross: row.bool(6),
                                         title: row.text(7), createdOn: try Day(parsing: row.text(8)), invoiceID: row.optionalInt(9))
            }
        }
    }

    /// Marks adjustments as carried by `invoiceID`.
    public func settleBookingAdjustments(ids: [Int64], invoiceID: Int64) throws {
        try write {
            for id in ids {
                try connection.run("UPDATE booking_adjustments SET invoice_id = ? WHERE id = ? AND invoice_id IS NULL",
                                   [.integer(invoiceID), .integer(id)])
            }
        }
    }
}
