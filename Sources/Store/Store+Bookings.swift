import Billing
import SQLite

/// Bookings of plans and modules, their invoiced periods, their history, trials used and reminders.
extension Store {
    private static let bookingSelect = """
        SELECT b.id, b.customer_id, b.product_id, b.kind, p.name, b.cycle, b.status, b.start, b.end, b.invoice_id,
            b.replaces_id
        FROM bookings b JOIN products p ON p.id = b.product_id
        """

    private func booking(_ row: Row) throws -> Booking {
        guard let kind = ProductKind(rawValue: row.text(3)), let cycle = BookingCycle(rawValue: row.text(5)),
              let status = BookingStatus(rawValue: row.text(6))
        else { throw StoreError("corrupt booking \(row.int(0))") }
        return Booking(id: row.int(0), customerID: row.int(1), productID: row.int(2), kind: kind, productName: row.text(4),
                       cycle: cycle, status: status, start: try row.optionalText(7).map(Day.init(parsing:)),
                       end: try row.optionalText(8).map(Day.init(parsing:)), invoiceID: row.optionalInt(9),
                       replacesID: row.optionalInt(10))
    }

    private static func day(_ day: Day?) -> SQLValue { day.map { .text($0.description) } ?? .null }
    private static func id(_ id: Int64?) -> SQLValue { id.map { .integer($0) } ?? .null }

    /// Stores a new booking and returns it with its id.
    public func insertBooking(_ booking: Booking) throws -> Booking {
        try write {
            try connection.run("""
                INSERT INTO bookings (customer_id, product_id, kind, cycle, status, start, end, invoice_id, replaces_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(booking.customerID), .integer(booking.productID), .text(booking.kind.rawValue),
                      .text(booking.cycle.rawValue), .text(booking.status.rawValue), Store.day(booking.start),
                      Store.day(booking.end), Store.id(booking.invoiceID), Store.id(booking.replacesID),
                      .text(Store.timestamp())])
            var stored = booking
            stored.id = connection.lastInsertRowID
            return stored
        }
    }

    /// Writes a booking's cycle, status, period and paying invoice.
    public func updateBooking(_ booking: Booking) throws {
        try write {
            _ = try connection.run("""
                UPDATE bookings SET cycle = ?, status = ?, start = ?, end = ?, invoice_id = ?, replaces_id = ? WHERE id = ?
                """, [.text(booking.cycle.rawValue), .text(booking.status.rawValue), Store.day(booking.start),
                      Store.day(booking.end), Store.id(booking.invoiceID), Store.id(booking.replacesID),
                      .integer(booking.id)])
        }
    }

    public func booking(id: Int64) throws -> Booking {
        try guarded {
            guard let found = try connection.first(Store.bookingSelect + " WHERE b.id = ?", [.integer(id)], booking) else {
                throw StoreError.notFound("booking", String(id))
            }
            return found
        }
    }

    /// A customer's bookings of one kind (optionally of one product), history included, oldest first.
    public func bookings(customerID: Int64, kind: ProductKind, productID: Int64? = nil) throws -> [Booking] {
        try guarded {
            var sql = Store.bookingSelect + " WHERE b.customer_id = ? AND b.kind = ?"
            var values: [SQLValue] = [.integer(customerID), .text(kind.rawValue)]
            if let productID {
                sql += " AND b.product_id = ?"
                values.append(.integer(productID))
            }
            return try connection.query(sql + " ORDER BY b.id", values, booking)
        }
    }

    /// Bookings that take over from `bookingID` when they start (pending or scheduled changes), newest first.
    public func successors(of bookingID: Int64) throws -> [Booking] {
        try guarded {
            try connection.query(Store.bookingSelect + " WHERE b.replaces_id = ? ORDER BY b.id DESC",
                                 [.integer(bookingID)], booking)
        }
    }

    /// Streams every booking in id order (for checks and reports; memory stays flat).
    public func forEachBooking(_ body: (Booking) throws -> Void) throws {
        try guarded { try connection.forEach(Store.bookingSelect + " ORDER BY b.id") { try body(try booking($0)) } }
    }

    /// Ids of bookings that may have something due by `horizon` (today + renewal lead days), after `afterID`,
    /// in id order: the scheduled run pages through these so it never holds all bookings in memory.
    public func bookingIDsNeedingAttention(horizon: Day, after afterID: Int64, limit: Int) throws -> [Int64] {
        try guarded {
            try connection.query("""
                SELECT id FROM bookings WHERE id > ? AND (
                    status = 'pending'
                    OR (status IN ('free', 'trial', 'active', 'cancelled') AND end IS NOT NULL AND end <= ?)
                    OR (status = 'scheduled' AND start <= ?))
                ORDER BY id LIMIT ?
                """, [.integer(afterID), .text(horizon.description), .text(horizon.description), .integer(Int64(limit))]) {
                    $0.int(0)
                }
        }
    }

    /// Deletes every booking row of a customer (only for customers without invoices).
    func deleteBookings(customerID: Int64) throws {
        let ids = "(SELECT id FROM bookings WHERE customer_id = ?)"
        try connection.run("DELETE FROM booking_events WHERE booking_id IN \(ids)", [.integer(customerID)])
        try connection.run("DELETE FROM booking_periods WHERE booking_id IN \(ids)", [.integer(customerID)])
        try connection.run("UPDATE bookings SET replaces_id = NULL WHERE customer_id = ?", [.integer(customerID)])
        try connection.run("DELETE FROM bookings WHERE customer_id = ?", [.integer(customerID)])
        try connection.run("DELETE FROM trials WHERE customer_id = ?", [.integer(customerID)])
    }

    // MARK: Periods

    private static let periodSelect = """
        SELECT id, booking_id, cycle, reason, planned_start, start, end, invoice_id, currency, list_amount, credit,
            carried_credit, state, paid_on FROM booking_periods
        """

    private func period(_ row: Row) throws -> BookingPeriod {
        guard let cycle = BookingCycle(rawValue: row.text(2)), let reason = BookingPeriodReason(rawValue: row.text(3)),
              let state = BookingPeriodState(rawValue: row.text(12))
        else { throw StoreError("corrupt booking period \(row.int(0))") }
        let currency = try Currency(code: row.text(8))
        return BookingPeriod(
            id: row.int(0), bookingID: row.int(1), cycle: cycle, reason: reason,
            plannedStart: try Day(parsing: row.text(4)), start: try Day(parsing: row.text(5)), end: try Day(parsing: row.text(6)),
            invoiceID: row.int(7), listAmount: Money(minorUnits: row.int(9), currency: currency),
            credit: Money(minorUnits: row.int(10), currency: currency),
            carriedCredit: Money(minorUnits: row.int(11), currency: currency), state: state,
            paidOn: try row.optionalText(13).map(Day.init(parsing:)))
    }

    /// Records an invoiced period. Fails (a constraint error) if a period with the same planned start is
    /// already invoiced or paid for the booking: a period is never invoiced twice.
    public func insertPeriod(_ period: BookingPeriod) throws -> BookingPeriod {
        try write {
            try connection.run("""
                INSERT INTO booking_periods (booking_id, cycle, reason, planned_start, start, end, invoice_id, currency,
                    list_amount, credit, carried_credit, state, paid_on)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(period.bookingID), .text(period.cycle.rawValue), .text(period.reason.rawValue),
                      .text(period.plannedStart.description), .text(period.start.description), .text(period.end.description),
                      .integer(period.invoiceID), .text(period.listAmount.currency.code), .integer(period.listAmount.minorUnits),
                      .integer(period.credit.minorUnits), .integer(period.carriedCredit.minorUnits),
                      .text(period.state.rawValue), Store.day(period.paidOn)])
            var stored = period
            stored.id = connection.lastInsertRowID
            return stored
        }
    }

    public func periods(bookingID: Int64) throws -> [BookingPeriod] {
        try guarded {
            try connection.query(Store.periodSelect + " WHERE booking_id = ? ORDER BY planned_start, id",
                                 [.integer(bookingID)], period)
        }
    }

    public func periods(invoiceID: Int64) throws -> [BookingPeriod] {
        try guarded { try connection.query(Store.periodSelect + " WHERE invoice_id = ?", [.integer(invoiceID)], period) }
    }

    /// The invoiced or paid period of a booking planned to start on `plannedStart`.
    public func livePeriod(bookingID: Int64, plannedStart: Day) throws -> BookingPeriod? {
        try guarded {
            try connection.first(Store.periodSelect + " WHERE booking_id = ? AND planned_start = ? AND state <> 'void'",
                                 [.integer(bookingID), .text(plannedStart.description)], period)
        }
    }

    /// Streams every period in id order.
    public func forEachPeriod(_ body: (BookingPeriod) throws -> Void) throws {
        try guarded { try connection.forEach(Store.periodSelect + " ORDER BY id") { try body(try period($0)) } }
    }

    /// Marks an invoiced period paid with its final dates. Returns false when it was not `invoiced`
    /// any more (already paid or void): the guard that makes activation happen exactly once.
    public func markPeriodPaid(id: Int64, start: Day, end: Day, paidOn: Day) throws -> Bool {
        try write {
            try connection.run("""
                UPDATE booking_periods SET state = 'paid', start = ?, end = ?, paid_on = ? WHERE id = ? AND state = 'invoiced'
                """, [.text(start.description), .text(end.description), .text(paidOn.description), .integer(id)]) == 1
        }
    }

    /// Voids an invoiced (unpaid) period; returns false if it was not invoiced.
    public func voidPeriod(id: Int64) throws -> Bool {
        try write {
            try connection.run("UPDATE booking_periods SET state = 'void' WHERE id = ? AND state = 'invoiced'",
                               [.integer(id)]) == 1
        }
    }

    /// Changes the dates of a period (the operator's "edit period").
    public func setPeriodDates(id: Int64, start: Day, end: Day) throws {
        try write {
            _ = try connection.run("UPDATE booking_periods SET start = ?, end = ? WHERE id = ?",
                               [.text(start.description), .text(end.description), .integer(id)])
        }
    }

    /// Invoiced periods whose invoice is already paid: what the watcher missed (e.g. after a crash).
    public func periodsAwaitingActivation() throws -> [(period: BookingPeriod, paidOn: Day)] {
        try guarded {
            try connection.query("""
                SELECT p.id, p.booking_id, p.cycle, p.reason, p.planned_start, p.start, p.end, p.invoice_id, p.currency,
                    p.list_amount, p.credit, p.carried_credit, p.state, p.paid_on,
                    (SELECT max(date) FROM payments WHERE invoice_id = p.invoice_id)
                FROM booking_periods p JOIN invoices i ON i.id = p.invoice_id
                WHERE p.state = 'invoiced' AND i.status = 'paid' ORDER BY p.id
                """) { row in
                    let found = try period(row)
                    let paidOn = try row.optionalText(14).map(Day.init(parsing:)) ?? found.plannedStart
                    return (found, paidOn)
                }
        }
    }

    // MARK: History

    public func addBookingEvent(bookingID: Int64, date: Day, action: String, detail: String) throws {
        try write {
            _ = try connection.run("INSERT INTO booking_events (booking_id, date, action, detail) VALUES (?, ?, ?, ?)",
                               [.integer(bookingID), .text(date.description), .text(action), .text(detail)])
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

    // MARK: Trials

    /// Records that a customer started the trial of a product; false if it did before (a trial only once).
    public func recordTrial(customerID: Int64, productID: Int64, date: Day) throws -> Bool {
        try write {
            try connection.run("INSERT OR IGNORE INTO trials (customer_id, product_id, date) VALUES (?, ?, ?)",
                               [.integer(customerID), .integer(productID), .text(date.description)]) == 1
        }
    }

    public func trialStarted(customerID: Int64, productID: Int64) throws -> Day? {
        try guarded {
            try connection.first("SELECT date FROM trials WHERE customer_id = ? AND product_id = ?",
                                 [.integer(customerID), .integer(productID)]) { try Day(parsing: $0.text(0)) }
        }
    }

    // MARK: Invoices seen from bookings

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

    // MARK: Reminders

    /// A payment reminder that became due: level 1–3 of an open invoice, recorded once.
    public struct ReminderRecord: Sendable, Hashable {
        public var invoiceID: Int64
        public var level: Int
        public var dueOn: Day
    }

    /// Records the payment reminders due on `day` for open or partially paid invoices: level L is due
    /// `reminderDays[L-1]` days after the due date. Each (invoice, level) is recorded once; when a run
    /// catches up several levels at once only the highest is recorded (nobody wants three letters in a day).
    /// Returns the reminders recorded now.
    public func recordDueReminders(on day: Day, reminderDays: [Int]) throws -> [ReminderRecord] {
        try write {
            var recorded: [ReminderRecord] = []
            for level in stride(from: min(3, reminderDays.count), through: 1, by: -1) {
                let offset = reminderDays[level - 1]
                let cutoff = day.adding(days: -offset)
                let due = try connection.query("""
                    SELECT i.id, i.due_date FROM invoices i
                    WHERE i.status IN ('open', 'partially_paid') AND i.due_date <= ?
                      AND NOT EXISTS (SELECT 1 FROM reminders r WHERE r.invoice_id = i.id AND r.level >= ?)
                    ORDER BY i.id
                    """, [.text(cutoff.description), .integer(Int64(level))]) { row in
                        (row.int(0), try Day(parsing: row.text(1)).adding(days: offset))
                    }
                for (invoiceID, dueOn) in due {
                    let inserted = try connection.run("""
                        INSERT OR IGNORE INTO reminders (invoice_id, level, due_on, recorded_on) VALUES (?, ?, ?, ?)
                        """, [.integer(invoiceID), .integer(Int64(level)), .text(dueOn.description), .text(day.description)])
                    if inserted == 1 { recorded.append(ReminderRecord(invoiceID: invoiceID, level: level, dueOn: dueOn)) }
                }
            }
            return recorded
        }
    }

    public func reminders(invoiceID: Int64) throws -> [ReminderRecord] {
        try guarded {
            try connection.query("SELECT invoice_id, level, due_on FROM reminders WHERE invoice_id = ? ORDER BY level",
                                 [.integer(invoiceID)]) {
                ReminderRecord(invoiceID: $0.int(0), level: Int($0.int(1)), dueOn: try Day(parsing: $0.text(2)))
            }
        }
    }

    // MARK: Savepoints

    /// Runs `body` inside a savepoint of the current write transaction: if it throws, only its own
    /// changes are rolled back and the error is rethrown (the scheduled run isolates bookings this way).
    public func isolated<T>(_ body: () throws -> T) throws -> T {
        try write {
            try connection.execute("SAVEPOINT isolated")
            do {
                let result = try body()
                try connection.execute("RELEASE isolated")
                return result
            } catch {
                try? connection.execute("ROLLBACK TO isolated")
                try? connection.execute("RELEASE isolated")
                throw error
            }
        }
    }
}
