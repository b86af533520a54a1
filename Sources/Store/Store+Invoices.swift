import Billing
import Database

extension Store {
    private static let invoiceColumns = """
        i.id, i.number, i.customer_id, i.user_id, i.title, i.issue_date, i.due_date, i.currency, i.language,
        i.tax_mode, i.exempt_note, i.notes, i.status, i.cash_rounding, i.sent_at,
        i.kind, i.prepaid, i.credited, i.preceding_id, p.number, p.issue_date, i.credit_reason, i.refunded, i.rounding
        """
    static let invoiceFrom = "FROM invoices i LEFT JOIN invoices p ON p.id = i.preceding_id"

    private func invoiceHeader(_ row: Row) throws -> Invoice {
        let mode: TaxMode
        switch row.text(9) {
        case "gross": mode = .gross
        case "exempt": mode = .exempt(note: row.text(10))
        default: mode = .net
        }
        guard let status = InvoiceStatus(rawValue: row.text(12)) else { throw StoreError("corrupt invoice status '\(row.text(12))'") }
        guard let kind = DocumentKind(rawValue: row.text(15)) else { throw StoreError("corrupt document kind '\(row.text(15))'") }
        let currency = try Currency(code: row.text(7))
        let preceding = try row.optionalInt(18).map { id in
            PrecedingInvoice(id: id, number: row.optionalText(19) ?? String(id),
                             issueDate: try row.optionalText(20).map(Day.init(parsing:)))
        }
        var invoice = Invoice(
            id: row.int(0), number: row.optionalText(1), customerID: row.int(2), userID: row.optionalInt(3),
            title: row.text(4), issueDate: try row.optionalText(5).map(Day.init(parsing:)),
            dueDate: try row.optionalText(6).map(Day.init(parsing:)), currency: try Currency(code: row.text(7)),
            language: try Language(code: row.text(8)), taxMode: mode, notes: row.text(11), status: status,
            sentAt: try row.optionalText(14).map(Day.init(parsing:)), cashRoundingIncrement: row.int(13),
            kind: kind, prepaid: Money(minorUnits: row.int(16), currency: currency),
            credited: Money(minorUnits: row.int(17), currency: currency), preceding: preceding,
            creditReason: row.text(21), refunded: Money(minorUnits: row.int(22), currency: currency))
        // A credit note's rounding is what it was issued with (it may reverse an invoice's rounding as is).
        if kind == .creditNote { invoice.statedRounding = Money(minorUnits: row.int(23), currency: currency) }
        return invoice
    }

    private func loadDetails(_ invoice: inout Invoice) throws {
        let currency = invoice.currency
        let (category, order) = try connection.first("SELECT vat_category, purchase_order FROM invoices WHERE id = ?",
                                                     [.integer(invoice.id)]) { ($0.text(0), $0.text(1)) } ?? ("", "")
        invoice.vatCategory = category.isEmpty ? nil : try VATCategory(code: category)
        invoice.purchaseOrder = order
        invoice.lines = try connection.query("""
            SELECT title, description, quantity, unit, unit_price, discount, vat_rate FROM invoice_lines
            WHERE invoice_id = ? ORDER BY position
            """, [.integer(invoice.id)]) { row in
                InvoiceLine(title: row.text(0), description: row.text(1),
                            quantity: try DecimalNumber(parsing: row.text(2), maxScale: 18, field: "quantity"),
                            unit: row.text(3), unitPrice: Money(minorUnits: row.int(4), currency: currency),
                            discount: try Percentage(parsing: row.text(5), field: "discount"),
                            vatRate: try Percentage(parsing: row.text(6), field: "VAT rate"))
            }
        invoice.payments = try connection.query(
            "SELECT amount, date, method, reference FROM payments WHERE invoice_id = ? ORDER BY date, id",
            [.integer(invoice.id)]) { row in
                Payment(amount: Money(minorUnits: row.int(0), currency: currency), date: try Day(parsing: row.text(1)),
                        method: row.text(2), reference: row.text(3))
            }
    }

    public func invoice(id: Int64) throws -> Invoice {
        try read {
            guard var found = try connection.first("SELECT \(Store.invoiceColumns) \(Store.invoiceFrom) WHERE i.id = ?",
                                                   [.integer(id)], invoiceHeader) else {
                throw StoreError.notFound("invoice", String(id))
            }
            try loadDetails(&found)
            return found
        }
    }

    /// Finds an invoice by number, or by id (drafts have no number).
    public func invoice(reference: String) throws -> Invoice {
        try read {
            if let id = try connection.first("SELECT id FROM invoices WHERE number = ?", [.text(reference)], { $0.int(0) }) {
                return try invoice(id: id)
            }
            if let id = Int64(reference) { return try invoice(id: id) }
            throw StoreError.notFound("invoice", reference)
        }
    }

    private func headerValues(_ invoice: Invoice) -> [SQLValue] {
        let note: String
        if case .exempt(let text) = invoice.taxMode { note = text } else { note = "" }
        return [.text(invoice.number ?? ""), .integer(invoice.customerID), invoice.userID.map { .integer($0) } ?? .null,
                .text(invoice.title), invoice.issueDate.map { .text($0.description) } ?? .null,
                invoice.dueDate.map { .text($0.description) } ?? .null, .text(invoice.currency.code),
                .text(invoice.language.rawValue), .text(invoice.taxMode.name), .text(note), .text(invoice.notes),
                .text(invoice.status.rawValue), .integer(invoice.cashRoundingIncrement), .text(invoice.kind.rawValue),
                .integer(invoice.prepaid.minorUnits), .integer(invoice.credited.minorUnits),
                invoice.preceding.map { .integer($0.id) } ?? .null, .text(invoice.creditReason),
                .integer(invoice.refunded.minorUnits)]
    }

    private func totalsValues(_ invoice: Invoice) -> [SQLValue] {
        let totals = invoice.totals
        let groups = totals.vatGroups.map { "\($0.rate.description):\($0.base.minorUnits):\($0.amount.minorUnits)" }
            .joined(separator: ";")
        return [.integer(totals.net.minorUnits), .integer(totals.vat.minorUnits), .integer(totals.gross.minorUnits),
                .integer(totals.rounding.minorUnits), .integer(totals.payable.minorUnits),
                .integer(invoice.paid.minorUnits), .text(groups)]
    }

    private func writeVATCategory(_ invoice: Invoice) throws {
        try connection.run("UPDATE invoices SET vat_category = ?, purchase_order = ? WHERE id = ?",
                           [.text(invoice.vatCategory?.code ?? ""), .text(invoice.purchaseOrder), .integer(invoice.id)])
    }

    private func writeLines(_ invoice: Invoice) throws {
        try connection.run("DELETE FROM invoice_lines WHERE invoice_id = ?", [.integer(invoice.id)])
        for (index, line) in invoice.lines.enumerated() {
            try connection.run("""
                INSERT INTO invoice_lines (invoice_id, position, title, description, quantity, unit, unit_price,
                    discount, vat_rate, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(invoice.id), .integer(Int64(index + 1)), .text(line.title), .text(line.description),
                      .text(line.quantity.description), .text(line.unit), .integer(line.unitPrice.minorUnits),
                      .text(line.discount.description), .text(line.vatRate.description), .integer(line.amount.minorUnits)])
        }
    }

    /// Stores a new invoice (header, lines, totals) and returns it with its id.
    public func insertInvoice(_ invoice: Invoice) throws -> Invoice {
        try write {
            var stored = invoice
            stored.id = try connection.insert("""
                INSERT INTO invoices (number, customer_id, user_id, title, issue_date, due_date, currency, language,
                    tax_mode, exempt_note, notes, status, cash_rounding, kind, prepaid, credited, preceding_id,
                    credit_reason, refunded, net, vat, gross, rounding, total, paid, vat_groups, created_at)
                VALUES (NULLIF(?, ''), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, headerValues(invoice) + totalsValues(invoice) + [.text(Store.timestamp())])
            try writeLines(stored)
            try writeVATCategory(stored)
            noteChanged(Store.invoiceObject(number: stored.number, id: stored.id))
            noteChanged("customer:\(stored.customerID)")
            return stored
        }
    }

    /// Rewrites an invoice's header and totals, and its lines unless `linesChanged` is false
    /// (payments are added with `addPayment`). `sent_at` is never cleared here: it is set when the
    /// server accepted the invoice mail (`recordMailAttempt`), perhaps after `invoice` was loaded.
    public func updateInvoice(_ invoice: Invoice, linesChanged: Bool = true) throws {
        try write {
            try connection.run("""
                UPDATE invoices SET number = NULLIF(?, ''), customer_id = ?, user_id = ?, title = ?, issue_date = ?,
                    due_date = ?, currency = ?, language = ?, tax_mode = ?, exempt_note = ?, notes = ?, status = ?,
                    cash_rounding = ?, kind = ?, prepaid = ?, credited = ?, preceding_id = ?, credit_reason = ?,
                    refunded = ?, net = ?, vat = ?, gross = ?, rounding = ?, total = ?, paid = ?, vat_groups = ?,
                    sent_at = coalesce(sent_at, ?)
                WHERE id = ?
                """, headerValues(invoice) + totalsValues(invoice)
                    + [invoice.sentAt.map { .text($0.description) } ?? .null, .integer(invoice.id)])
            if linesChanged { try writeLines(invoice) }
            try writeVATCategory(invoice)
            noteChanged(Store.invoiceObject(number: invoice.number, id: invoice.id))
            noteChanged("customer:\(invoice.customerID)")
        }
    }

    public func deleteInvoice(id: Int64) throws {
        try write {
            try connection.run("DELETE FROM invoice_lines WHERE invoice_id = ?", [.integer(id)])
            try connection.run("DELETE FROM invoices WHERE id = ? AND status = 'draft'", [.integer(id)])
            noteChanged(Store.invoiceObject(number: nil, id: id))
        }
    }

    /// Draws the next number of a gapless counter; call inside the transaction that issues the invoice.
    public func nextSequence(scope: String) throws -> Int64 {
        try write {
            try connection.run("INSERT INTO counters (scope, value) VALUES (?, 1) ON CONFLICT (scope) DO UPDATE SET value = counters.value + 1",
                               [.text(scope)])
            return try connection.scalarInt("SELECT value FROM counters WHERE scope = ?", [.text(scope)])
        }
    }

    /// Keeps a number series in date order: records `day` as the latest issue date of the series
    /// `scope` (a counter scope) and returns nil, or, when a document of the series was issued later
    /// than `day`, changes nothing and returns that later day. The latest day is a row of `counters`
    /// under "issued:" + scope (days since 1970), so the check costs one row, not a scan; a database
    /// from before it seeds the row once from the issued documents of `kind` (within `year` for a
    /// yearly series). Call inside the transaction that issues the document.
    public func claimIssueDate(_ day: Day, series scope: String, kind: DocumentKind, year: Int?) throws -> Day? {
        try write {
            let key = "issued:" + scope
            var latest = try connection.first("SELECT value FROM counters WHERE scope = ?", [.text(key)]) { $0.int(0) }
            if latest == nil {
                var sql = "SELECT MAX(issue_date) FROM invoices WHERE kind = ? AND number IS NOT NULL AND issue_date IS NOT NULL"
                var values: [SQLValue] = [.text(kind.rawValue)]
                if let year {
                    sql += " AND issue_date >= ? AND issue_date <= ?"
                    values += [.text("\(year)-01-01"), .text("\(year)-12-31")]
                }
                let text = try connection.first(sql, values) { $0.optionalText(0) } ?? nil
                latest = try text.map { Int64(try Day(parsing: $0).daysSinceEpoch) }
            }
            if let latest, latest > Int64(day.daysSinceEpoch) { return Day(daysSinceEpoch: Int(latest)) }
            try connection.run("INSERT INTO counters (scope, value) VALUES (?, ?) ON CONFLICT (scope) DO UPDATE SET value = excluded.value",
                               [.text(key), .integer(Int64(day.daysSinceEpoch))])
            return nil
        }
    }

    /// Records a payment; `eventID` makes a provider's redelivery a no-op (returns false then).
    @discardableResult
    public func addPayment(_ payment: Payment, invoiceID: Int64, eventID: String? = nil) throws -> Bool {
        try write {
            if let eventID, try connection.scalarInt("SELECT count(*) FROM payments WHERE event_id = ?", [.text(eventID)]) > 0 {
                return false
            }
            try connection.run("""
                INSERT INTO payments (invoice_id, amount, date, method, reference, event_id, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.integer(invoiceID), .integer(payment.amount.minorUnits), .text(payment.date.description),
                      .text(payment.method), .text(payment.reference), eventID.map { .text($0) } ?? .null,
                      .text(Store.timestamp())])
            noteChanged(Store.invoiceObject(number: try invoiceNumber(id: invoiceID), id: invoiceID))
            return true
        }
    }

    // MARK: Listing

    private static let summarySelect = """
        SELECT i.id, i.number, i.customer_id, c.company, i.title, i.issue_date, i.due_date, i.currency, i.language,
            i.tax_mode, i.status, i.net, i.vat_groups, i.vat, i.gross, i.rounding, i.total, i.paid,
            i.kind, i.prepaid, i.credited, p.number, i.refunded
        FROM invoices i JOIN customers c ON c.id = i.customer_id LEFT JOIN invoices p ON p.id = i.preceding_id
        """

    private func summary(_ row: Row) throws -> InvoiceSummary {
        let currency = try Currency(code: row.text(7))
        func money(_ i: Int) -> Money { Money(minorUnits: row.int(i), currency: currency) }
        guard let status = InvoiceStatus(rawValue: row.text(10)) else { throw StoreError("corrupt invoice status") }
        let groups: [VATGroup] = try row.text(12).split(separator: ";").map { item in
            let parts = item.split(separator: ":")
            guard parts.count == 3, let base = Int64(parts[1]), let amount = Int64(parts[2]) else {
                throw StoreError("corrupt VAT breakdown '\(item)'")
            }
            return VATGroup(rate: try Percentage(parsing: String(parts[0]), field: "VAT rate"),
                            base: Money(minorUnits: base, currency: currency),
                            amount: Money(minorUnits: amount, currency: currency))
        }
        return InvoiceSummary(
            id: row.int(0), number: row.optionalText(1), customerID: row.int(2), customerName: row.text(3),
            title: row.text(4), issueDate: try row.optionalText(5).map(Day.init(parsing:)),
            dueDate: try row.optionalText(6).map(Day.init(parsing:)), currency: currency,
            language: try Language(code: row.text(8)), taxMode: row.text(9), status: status, net: money(11),
            vatGroups: groups, vat: money(13), gross: money(14), rounding: money(15), total: money(16), paid: money(17),
            kind: DocumentKind(rawValue: row.text(18)) ?? .invoice, prepaid: money(19), credited: money(20),
            precedingNumber: row.optionalText(21), refunded: money(22))
    }

    /// Streams matching invoices in id order, one row at a time (memory stays flat).
    public func forEachInvoice(_ filter: InvoiceFilter, _ body: (InvoiceSummary) throws -> Void) throws {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if !filter.statuses.isEmpty {
            conditions.append("i.status IN (\(filter.statuses.map { _ in "?" }.joined(separator: ", ")))")
            values += filter.statuses.map { .text($0.rawValue) }
        }
        if let day = filter.overdueOn {
            conditions.append("i.status IN ('open', 'partially_paid') AND i.due_date < ?")
            values.append(.text(day.description))
        }
        if let customer = filter.customerID {
            conditions.append("i.customer_id = ?")
            values.append(.integer(customer))
        }
        if let after = filter.afterID {
            conditions.append("i.id > ?")
            values.append(.integer(after))
        }
        if let kind = filter.kind {
            conditions.append("i.kind = ?")
            values.append(.text(kind.rawValue))
        }
        if let since = filter.issuedSince {
            conditions.append("i.issue_date >= ?")
            values.append(.text(since.description))
        }
        if !filter.numbers.isEmpty {
            conditions.append("(i.number IN (\(filter.numbers.map { _ in "?" }.joined(separator: ", "))) OR CAST(i.id AS TEXT) IN (\(filter.numbers.map { _ in "?" }.joined(separator: ", "))))")
            values += filter.numbers.map { .text($0) } + filter.numbers.map { .text($0) }
        }
        var sql = Store.summarySelect
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY i.id"
        if let limit = filter.limit {
            sql += " LIMIT ?"
            values.append(.integer(Int64(limit)))
        }
        // The text varies with the filter (IN lists as long as the numbers asked for): used once.
        // Mutation: `reuse: .cached` here → StatementCacheTests fails (one statement per list length).
        try guarded { try connection.forEach(sql, values, reuse: .once) { try body(try summary($0)) } }
    }

    // MARK: Credit balance

    /// The customer's credit in one currency: overpayments not yet consumed by a later invoice.
    public func creditBalance(customerID: Int64, currency: Currency) throws -> Money {
        try guarded {
            Money(minorUnits: try connection.scalarInt(
                "SELECT coalesce(sum(amount), 0) FROM credit_ledger WHERE customer_id = ? AND currency = ?",
                [.integer(customerID), .text(currency.code)]), currency: currency)
        }
    }

}
