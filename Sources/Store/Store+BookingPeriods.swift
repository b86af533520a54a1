import Billing
import Database

/// The invoiced periods of bookings: planned, paid, void.
extension Store {
    private static let periodSelect = """
        SELECT id, booking_id, cycle, reason, planned_start, start, "end", invoice_id, currency, list_amount, credit,
            carried_credit, state, paid_on, starts_on_payment FROM booking_periods
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
            paidOn: try row.optionalText(13).map(Day.init(parsing:)), startsOnPayment: row.bool(14))
    }

    /// Records an invoiced period. Fails (a constraint error) if a period with the same planned start is
    /// already invoiced or paid for the booking: a period is never invoiced twice.
    public func insertPeriod(_ period: BookingPeriod) throws -> BookingPeriod {
        try write {
            var stored = period
            stored.id = try connection.insert("""
                INSERT INTO booking_periods (booking_id, cycle, reason, planned_start, start, "end", invoice_id, currency,
                    list_amount, credit, carried_credit, state, paid_on, starts_on_payment)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(period.bookingID), .text(period.cycle.rawValue), .text(period.reason.rawValue),
                      .text(period.plannedStart.description), .text(period.start.description), .text(period.end.description),
                      .integer(period.invoiceID), .text(period.listAmount.currency.code), .integer(period.listAmount.minorUnits),
                      .integer(period.credit.minorUnits), .integer(period.carriedCredit.minorUnits),
                      .text(period.state.rawValue), Store.day(period.paidOn), .integer(period.startsOnPayment ? 1 : 0)])
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
                UPDATE booking_periods SET state = 'paid', start = ?, "end" = ?, paid_on = ? WHERE id = ? AND state = 'invoiced'
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

    /// Voids a paid period whose invoice was credited in full (it is no longer paid); false if it was
    /// not paid.
    public func voidPaidPeriod(id: Int64) throws -> Bool {
        try write {
            try connection.run("UPDATE booking_periods SET state = 'void' WHERE id = ? AND state = 'paid'",
                               [.integer(id)]) == 1
        }
    }

    /// Changes the dates of a period (the operator's "edit period").
    public func setPeriodDates(id: Int64, start: Day, end: Day) throws {
        try write {
            _ = try connection.run("UPDATE booking_periods SET start = ?, \"end\" = ? WHERE id = ?",
                               [.text(start.description), .text(end.description), .integer(id)])
        }
    }

    /// Invoiced periods whose invoice is already paid: what the watcher missed (e.g. after a crash).
    public func periodsAwaitingActivation() throws -> [(period: BookingPeriod, paidOn: Day)] {
        try guarded {
            try connection.query("""
                SELECT p.id, p.booking_id, p.cycle, p.reason, p.planned_start, p.start, p."end", p.invoice_id, p.currency,
                    p.list_amount, p.credit, p.carried_credit, p.state, p.paid_on, p.starts_on_payment,
                    (SELECT max(date) FROM payments WHERE invoice_id = p.invoice_id)
                FROM booking_periods p JOIN invoices i ON i.id = p.invoice_id
                WHERE p.state = 'invoiced' AND i.status = 'paid' ORDER BY p.id
                """) { row in
                    let found = try period(row)
                    let paidOn = try row.optionalText(15).map(Day.init(parsing:)) ?? found.plannedStart
                    return (found, paidOn)
                }
        }
    }
}
