import Billing
import Database

extension Store {
    private func product(_ row: Row) throws -> Product {
        guard let kind = ProductKind(rawValue: row.text(1)) else { throw StoreError("corrupt product kind '\(row.text(1))'") }
        return Product(id: row.int(0), kind: kind, name: row.text(2), description: row.text(3),
                       trialDays: Int(row.int(4)), isFree: row.bool(5), isActive: row.bool(6))
    }

    private func prices(productID: Int64) throws -> [ProductPrice] {
        try connection.query(
            "SELECT currency, monthly, yearly, onetime, vat_rate, gross FROM product_prices WHERE product_id = ? ORDER BY currency",
            [.integer(productID)]) { row in
                let currency = try Currency(code: row.text(0))
                func money(_ i: Int) -> Money? { row.optionalInt(i).map { Money(minorUnits: $0, currency: currency) } }
                return ProductPrice(currency: currency, monthly: money(1), yearly: money(2), onetime: money(3),
                                    vatRate: try Percentage(parsing: row.text(4), field: "VAT rate"), isGross: row.bool(5))
            }
    }

    /// Adds a product, or (same kind and name) adds or replaces its price in another currency.
    public func saveProduct(_ product: Product) throws -> Product {
        let checked = try product.validated()
        return try write {
            let existing = try connection.first("SELECT id FROM products WHERE kind = ? AND name = ?",
                                                [.text(checked.kind.rawValue), .text(checked.name)]) { $0.int(0) }
            let id: Int64
            if let existing {
                id = existing
                try connection.run("UPDATE products SET description = ?, trial_days = ?, free = ?, active = ? WHERE id = ?",
                                   [.text(checked.description), .integer(Int64(checked.trialDays)),
                                    .integer(checked.isFree ? 1 : 0), .integer(checked.isActive ? 1 : 0), .integer(id)])
            } else {
                id = try connection.insert("INSERT INTO products (kind, name, description, trial_days, free, active) VALUES (?, ?, ?, ?, ?, ?)",
                                   [.text(checked.kind.rawValue), .text(checked.name), .text(checked.description),
                                    .integer(Int64(checked.trialDays)), .integer(checked.isFree ? 1 : 0),
                                    .integer(checked.isActive ? 1 : 0)])
            }
            for price in checked.prices {
                let p = try price.validated()
                try connection.run("""
                    INSERT INTO product_prices (product_id, currency, monthly, yearly, onetime, vat_rate, gross)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (product_id, currency) DO UPDATE SET monthly = excluded.monthly, yearly = excluded.yearly,
                        onetime = excluded.onetime, vat_rate = excluded.vat_rate, gross = excluded.gross
                    """, [.integer(id), .text(p.currency.code), p.monthly.map { .integer($0.minorUnits) } ?? .null,
                          p.yearly.map { .integer($0.minorUnits) } ?? .null, p.onetime.map { .integer($0.minorUnits) } ?? .null,
                          .text(p.vatRate.description), .integer(p.isGross ? 1 : 0)])
            }
            noteChanged("product:\(id)")
            return try self.product(id: id)
        }
    }

    public func product(id: Int64) throws -> Product {
        try guarded {
            guard var found = try connection.first(
                "SELECT id, kind, name, description, trial_days, free, active FROM products WHERE id = ?",
                [.integer(id)], product) else { throw StoreError.notFound("product", String(id)) }
            found.prices = try prices(productID: id)
            return found
        }
    }

    /// Finds a plan or module by id or by name.
    public func product(_ kind: ProductKind, reference: String) throws -> Product {
        try guarded {
            let byName = try connection.first("SELECT id FROM products WHERE kind = ? AND name = ?",
                                              [.text(kind.rawValue), .text(reference)]) { $0.int(0) }
            let byID = Int64(reference).flatMap { id in
                try? connection.first("SELECT id FROM products WHERE kind = ? AND id = ?",
                                      [.text(kind.rawValue), .integer(id)]) { $0.int(0) }
            }
            guard let id = byName ?? byID else { throw StoreError.notFound(kind.rawValue, reference) }
            return try product(id: id)
        }
    }

    public func products(kind: ProductKind? = nil) throws -> [Product] {
        try guarded {
            let ids = try connection.query(
                "SELECT id FROM products \(kind == nil ? "" : "WHERE kind = ?") ORDER BY kind DESC, id",
                kind.map { [.text($0.rawValue)] } ?? []) { $0.int(0) }
            return try ids.map { try product(id: $0) }
        }
    }
}

/// A VAT rate change (a law change) for a product's price in one currency: periods that start on or
/// after `from` are invoiced at `rate`, running bookings included.
public struct VATChange: Sendable, Hashable {
    public let rate: Percentage
    public let from: Day

    public init(rate: Percentage, from: Day) {
        self.rate = rate
        self.from = from
    }
}

extension Store {
    private static func vatChangeKey(productID: Int64, currency: Currency) -> String {
        "vat_change.\(productID).\(currency.code)"
    }

    /// The VAT change in force or announced for a product's price in `currency`, if any.
    public func vatChange(productID: Int64, currency: Currency) throws -> VATChange? {
        try read {
            guard let text = try connection.first("SELECT value FROM settings WHERE key = ?",
                                                  [.text(Store.vatChangeKey(productID: productID, currency: currency))], { $0.text(0) })
            else { return nil }
            let parts = text.split(separator: "@").map(String.init)
            guard parts.count == 2 else { throw StoreError("corrupt VAT change '\(text)'") }
            return VATChange(rate: try Percentage(parsing: parts[0], field: "VAT rate"), from: try Day(parsing: parts[1]))
        }
    }

    /// Records a VAT change (replacing an earlier one for the same product and currency).
    public func setVATChange(_ change: VATChange, productID: Int64, currency: Currency) throws {
        try storeCheckedSetting(Store.vatChangeKey(productID: productID, currency: currency),
                                "\(change.rate.description)@\(change.from.description)")
    }

    /// How many bookings of a product in `currency` are running (not history): those a VAT change reaches.
    public func runningBookingCount(productID: Int64, currency: Currency) throws -> Int {
        try guarded {
            Int(try connection.scalarInt("""
                SELECT count(*) FROM bookings WHERE product_id = ? AND price_currency = ?
                    AND status NOT IN ('expired', 'withdrawn')
                """, [.integer(productID), .text(currency.code)]))
        }
    }
}
