import Billing
import Database

/// Bookings of plans and modules.
extension Store {
    private static let bookingSelect = """
        SELECT b.id, b.customer_id, b.product_id, b.kind, p.name, b.cycle, b.status, b.start, b."end", b.invoice_id,
            b.replaces_id, b.anchor_day, b.price_currency, b.price_amount, b.price_vat, b.price_gross, b.next_price, b.lapsed
        FROM bookings b JOIN products p ON p.id = b.product_id
        """

    private func booking(_ row: Row) throws -> Booking {
        guard let kind = ProductKind(rawValue: row.text(3)), let cycle = BookingCycle(rawValue: row.text(5)),
              var status = BookingStatus(rawValue: row.text(6))
        else { throw StoreError("corrupt booking \(row.int(0))") }
        // A lapsed booking is stored as 'pending' with lapsed = 1 (see migration 6).
        if status == .pending && row.int(17) != 0 { status = .lapsed }
        var price: BookingPrice?
        var nextPrice: Money?
        if let code = row.optionalText(12) {
            let currency = try Currency(code: code)
            if let amount = row.optionalInt(13), let vat = row.optionalText(14) {
                price = BookingPrice(amount: Money(minorUnits: amount, currency: currency),
                                     vatRate: try Percentage(parsing: vat, field: "VAT rate"), isGross: row.optionalInt(15) == 1)
            }
            nextPrice = row.optionalInt(16).map { Money(minorUnits: $0, currency: currency) }
        }
        return Booking(id: row.int(0), customerID: row.int(1), productID: row.int(2), kind: kind, productName: row.text(4),
                       cycle: cycle, status: status, start: try row.optionalText(7).map(Day.init(parsing:)),
                       end: try row.optionalText(8).map(Day.init(parsing:)), invoiceID: row.optionalInt(9),
                       replacesID: row.optionalInt(10), anchorDay: row.optionalInt(11).map { Int($0) }, price: price,
                       nextPrice: nextPrice)
    }

    /// The columns after `status` that every write sets: status as stored, lapsed flag, anchor and prices.
    private static func storedValues(_ booking: Booking) -> [SQLValue] {
        let price = booking.price
        return [.text(booking.status == .lapsed ? BookingStatus.pending.rawValue : booking.status.rawValue),
                .integer(booking.status == .lapsed ? 1 : 0),
                booking.anchorDay.map { .integer(Int64($0)) } ?? .null,
                (price?.amount.currency ?? booking.nextPrice?.currency).map { .text($0.code) } ?? .null,
                price.map { .integer($0.amount.minorUnits) } ?? .null,
                price.map { .text($0.vatRate.description) } ?? .null,
                price.map { .integer($0.isGross ? 1 : 0) } ?? .null,
                booking.nextPrice.map { .integer($0.minorUnits) } ?? .null]
    }

    static func day(_ day: Day?) -> SQLValue { day.map { .text($0.description) } ?? .null }
    static func id(_ id: Int64?) -> SQLValue { id.map { .integer($0) } ?? .null }

    /// Stores a new booking and returns it with its id.
    public func insertBooking(_ booking: Booking) throws -> Booking {
        try write {
            var stored = booking
            stored.id = try connection.insert("""
                INSERT INTO bookings (customer_id, product_id, kind, cycle, start, "end", invoice_id, replaces_id, created_at,
                    status, lapsed, anchor_day, price_currency, price_amount, price_vat, price_gross, next_price)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(booking.customerID), .integer(booking.productID), .text(booking.kind.rawValue),
                      .text(booking.cycle.rawValue), Store.day(booking.start),
                      Store.day(booking.end), Store.id(booking.invoiceID), Store.id(booking.replacesID),
                      .text(Store.timestamp())] + Store.storedValues(booking))
            noteChanged("customer:\(booking.customerID)")
            noteChanged("booking:\(stored.id)")
            return stored
        }
    }

    /// Writes a booking's cycle, status, period, paying invoice, anchor and prices.
    public func updateBooking(_ booking: Booking) throws {
        try write {
            _ = try connection.run("""
                UPDATE bookings SET cycle = ?, start = ?, "end" = ?, invoice_id = ?, replaces_id = ?,
                    status = ?, lapsed = ?, anchor_day = ?, price_currency = ?, price_amount = ?, price_vat = ?,
                    price_gross = ?, next_price = ?
                WHERE id = ?
                """, [.text(booking.cycle.rawValue), Store.day(booking.start),
                      Store.day(booking.end), Store.id(booking.invoiceID), Store.id(booking.replacesID)]
                      + Store.storedValues(booking) + [.integer(booking.id)])
            noteChanged("customer:\(booking.customerID)")
            noteChanged("booking:\(booking.id)")
        }
    }

    /// Moves the running bookings of a product in one currency to `amount` from their next renewal
    /// (`catalog reprice --existing`); returns how many it moved.
    public func repriceBookings(productID: Int64, currency: Currency, monthly: Money?, yearly: Money?) throws -> Int {
        try write {
            var count = 0
            for (cycle, amount) in [(BookingCycle.monthly, monthly), (.yearly, yearly)] {
                guard let amount else { continue }
                count += try connection.run("""
                    UPDATE bookings SET next_price = ? WHERE product_id = ? AND price_currency = ? AND cycle = ?
                        AND status IN ('pending', 'active', 'cancelled', 'scheduled')
                        AND (price_amount IS NULL OR price_amount <> ? OR next_price IS NOT NULL)
                    """, [.integer(amount.minorUnits), .integer(productID), .text(currency.code), .text(cycle.rawValue),
                          .integer(amount.minorUnits)])
            }
            return count
        }
    }

    /// Whether a customer has a booking that is not history (a currency change must wait).
    public func hasRunningBookings(customerID: Int64) throws -> Bool {
        try guarded {
            try connection.first("""
                SELECT 1 FROM bookings WHERE customer_id = ? AND status NOT IN ('expired', 'withdrawn') LIMIT 1
                """, [.integer(customerID)]) { _ in true } ?? false
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
                    OR (status IN ('free', 'trial', 'active', 'cancelled') AND "end" IS NOT NULL AND "end" <= ?)
                    OR (status IN ('active', 'cancelled') AND id IN (SELECT booking_id FROM booking_periods WHERE state = 'invoiced' AND start <= ?))
                    OR (status = 'scheduled' AND start <= ?))
                ORDER BY id LIMIT ?
                """, [.integer(afterID), .text(horizon.description), .text(horizon.description), .text(horizon.description),
                      .integer(Int64(limit))]) {
                    $0.int(0)
                }
        }
    }

    /// Deletes every booking row of a customer (only for customers without invoices).
    func deleteBookings(customerID: Int64) throws {
        let ids = "(SELECT id FROM bookings WHERE customer_id = ?)"
        try connection.run("DELETE FROM booking_events WHERE booking_id IN \(ids)", [.integer(customerID)])
        try connection.run("DELETE FROM booking_periods WHERE booking_id IN \(ids)", [.integer(customerID)])
        try connection.run("DELETE FROM booking_adjustments WHERE customer_id = ?", [.integer(customerID)])
        try connection.run("UPDATE bookings SET replaces_id = NULL WHERE customer_id = ?", [.integer(customerID)])
        try connection.run("DELETE FROM bookings WHERE customer_id = ?", [.integer(customerID)])
        try connection.run("DELETE FROM trials WHERE customer_id = ?", [.integer(customerID)])
    }
}
