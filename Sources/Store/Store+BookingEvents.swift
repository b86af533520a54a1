import Billing
import Database

/// The history of each booking, and which trials a customer has used.
extension Store {
    public func addBookingEvent(bookingID: Int64, date: Day, action: String, detail: String) throws {
        try write {
            _ = try connection.run("INSERT INTO booking_events (booking_id, date, action, detail) VALUES (?, ?, ?, ?)",
                               [.integer(bookingID), .text(date.description), .text(action), .text(detail)])
        }
    }

    /// The id of each booking's latest history line: every change of a booking or its periods writes
    /// one, so a changed value means the booking changed (for checks that revisit only what changed).
    public func latestBookingEventIDs() throws -> [Int64: Int64] {
        try guarded {
            var result: [Int64: Int64] = [:]
            try connection.forEach("SELECT booking_id, max(id) FROM booking_events GROUP BY booking_id") {
                result[$0.int(0)] = $0.int(1)
            }
            return result
        }
    }

    public func bookingEvents(bookingID: Int64) throws -> [BookingEvent] {
        try guarded {
            try connection.query("SELECT date, action, detail FROM booking_events WHERE booking_id = ? ORDER BY id",
                                 [.integer(bookingID)]) { row in
                BookingEvent(date: try Day(parsing: row.text(0)), action: row.text(1), detail: row.text(2))
            }
        }
    }


    /// Records that a customer started the trial of a product; false if it did before (a trial only once).
    public func recordTrial(customerID: Int64, productID: Int64, date: Day) throws -> Bool {
        try write {
            try connection.run("INSERT INTO trials (customer_id, product_id, date) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                               [.integer(customerID), .integer(productID), .text(date.description)]) == 1
        }
    }

    public func trialStarted(customerID: Int64, productID: Int64) throws -> Day? {
        try guarded {
            try connection.first("SELECT date FROM trials WHERE customer_id = ? AND product_id = ?",
                                 [.integer(customerID), .integer(productID)]) { try Day(parsing: $0.text(0)) }
        }
    }
}
