import Billing
import Database

extension Store {
    private static let customerColumns = """
        id, company, contact, street, building, postcode, town, country, email, vat_id, currency, language,
        billing_info, active, buyer_reference, electronic_address, einvoice
        """

    private func customer(_ row: Row) throws -> Customer {
        var customer = Customer(
            id: row.int(0), company: row.text(1), contact: row.text(2),
            address: Address(street: row.text(3), building: row.text(4), postcode: row.text(5), town: row.text(6),
                             country: try Country(code: row.text(7))),
            email: row.text(8), vatID: row.text(9), currency: try Currency(code: row.text(10)),
            language: try Language(code: row.text(11)), billingInfo: row.text(12), isActive: row.bool(13))
        customer.buyerReference = row.text(14)
        customer.electronicAddress = row.text(15)
        customer.eInvoice = row.text(16).isEmpty ? nil : try EInvoiceFormat(parsing: row.text(16))
        return customer
    }

    private func customerValues(_ c: Customer) -> [SQLValue] {
        [.text(c.company), .text(c.contact), .text(c.address.street), .text(c.address.building),
         .text(c.address.postcode), .text(c.address.town), .text(c.address.country.code), .text(c.email),
         .text(c.vatID), .text(c.currency.code), .text(c.language.rawValue), .text(c.billingInfo),
         .integer(c.isActive ? 1 : 0), .text(c.buyerReference), .text(c.electronicAddress),
         .text(c.eInvoice?.rawValue ?? "")]
    }

    /// Stores a new customer and returns it with its id.
    public func addCustomer(_ customer: Customer) throws -> Customer {
        let checked = try customer.validated()
        return try write {
            var stored = checked
            stored.id = try connection.insert("""
                INSERT INTO customers (company, contact, street, building, postcode, town, country, email, vat_id,
                    currency, language, billing_info, active, buyer_reference, electronic_address, einvoice, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, customerValues(checked) + [.text(Store.timestamp())])
            noteChanged("customer:\(stored.id)")
            return stored
        }
    }

    public func updateCustomer(_ customer: Customer) throws -> Customer {
        let checked = try customer.validated()
        return try write {
            let stored = try self.customer(id: checked.id)
            if stored.currency != checked.currency { try checkCurrencyChange(from: stored, to: checked.currency) }
            try connection.run("""
                UPDATE customers SET company = ?, contact = ?, street = ?, building = ?, postcode = ?, town = ?,
                    country = ?, email = ?, vat_id = ?, currency = ?, language = ?, billing_info = ?, active = ?,
                    buyer_reference = ?, electronic_address = ?, einvoice = ?
                WHERE id = ?
                """, customerValues(checked) + [.integer(checked.id)])
            noteChanged("customer:\(checked.id)")
            return checked
        }
    }

    public func customer(id: Int64) throws -> Customer {
        try guarded {
            guard let found = try connection.first("SELECT \(Store.customerColumns) FROM customers WHERE id = ?",
                                                   [.integer(id)], customer) else {
                throw StoreError.notFound("customer", String(id))
            }
            return found
        }
    }

    /// Finds a customer by id, or by exact company name when that is unambiguous.
    public func customer(reference: String) throws -> Customer {
        if let id = Int64(reference) { return try customer(id: id) }
        return try guarded {
            let matches = try connection.query("SELECT \(Store.customerColumns) FROM customers WHERE company = ? LIMIT 2",
                                               [.text(reference)], customer)
            guard let first = matches.first else { throw StoreError.notFound("customer", reference) }
            guard matches.count == 1 else { throw StoreError("several customers are called '\(reference)'; use the id") }
            return first
        }
    }

    /// Streams customers in id order.
    public func forEachCustomer(activeOnly: Bool = false, _ body: (Customer) throws -> Void) throws {
        try guarded {
            try connection.forEach("SELECT \(Store.customerColumns) FROM customers \(activeOnly ? "WHERE active = 1" : "") ORDER BY id") {
                try body(try customer($0))
            }
        }
    }

    public func customerCount() throws -> Int64 {
        try guarded { try connection.scalarInt("SELECT count(*) FROM customers") }
    }

    /// Deletes a customer that has no invoices; one with invoices is deactivated instead, on request.
    public func deleteCustomer(id: Int64) throws {
        try write {
            _ = try customer(id: id)
            let invoices = try connection.scalarInt("SELECT count(*) FROM invoices WHERE customer_id = ?", [.integer(id)])
            guard invoices == 0 else {
                throw StoreError("customer \(id) has \(invoices) invoice\(invoices == 1 ? "" : "s"), which are accounting records; deactivate it instead: invoice customer edit \(id) --inactive")
            }
            try deleteCustomerDependents(id)
            try connection.run("DELETE FROM customer_external_ids WHERE customer_id = ?", [.integer(id)])
            try connection.run("DELETE FROM users WHERE customer_id = ?", [.integer(id)])
            try connection.run("DELETE FROM credit_ledger WHERE customer_id = ?", [.integer(id)])
            try connection.run("DELETE FROM customers WHERE id = ?", [.integer(id)])
            noteChanged("customer:\(id)")
        }
    }

    /// Rows of later features (bookings) that belong only to the customer; extended by those features.
    func deleteCustomerDependents(_ id: Int64) throws {
        try deleteBookings(customerID: id)
    }

    // MARK: Users

    private func user(_ row: Row) -> User {
        User(id: row.int(0), customerID: row.int(1), salutation: row.text(2), firstName: row.text(3),
             surname: row.text(4), email: row.text(5))
    }

    public func addUser(_ user: User) throws -> User {
        let checked = try user.validated()
        return try write {
            _ = try customer(id: checked.customerID)
            var stored = checked
            stored.id = try connection.insert("INSERT INTO users (customer_id, salutation, first_name, surname, email) VALUES (?, ?, ?, ?, ?)",
                               [.integer(checked.customerID), .text(checked.salutation), .text(checked.firstName),
                                .text(checked.surname), .text(checked.email)])
            noteChanged("customer:\(checked.customerID)")
            noteChanged("user:\(stored.id)")
            return stored
        }
    }

    public func updateUser(_ user: User) throws -> User {
        let checked = try user.validated()
        return try write {
            _ = try self.user(id: checked.id)
            try connection.run("UPDATE users SET salutation = ?, first_name = ?, surname = ?, email = ? WHERE id = ?",
                               [.text(checked.salutation), .text(checked.firstName), .text(checked.surname),
                                .text(checked.email), .integer(checked.id)])
            noteChanged("customer:\(checked.customerID)")
            noteChanged("user:\(checked.id)")
            return checked
        }
    }

    public func user(id: Int64) throws -> User {
        try guarded {
            guard let found = try connection.first(
                "SELECT id, customer_id, salutation, first_name, surname, email FROM users WHERE id = ?",
                [.integer(id)], user) else { throw StoreError.notFound("user", String(id)) }
            return found
        }
    }

    public func users(customerID: Int64) throws -> [User] {
        try guarded {
            try connection.query("SELECT id, customer_id, salutation, first_name, surname, email FROM users WHERE customer_id = ? ORDER BY id",
                                 [.integer(customerID)], user)
        }
    }

    public func deleteUser(id: Int64) throws {
        try write {
            _ = try user(id: id)
            try connection.run("DELETE FROM users WHERE id = ?", [.integer(id)])
        }
    }

    /// A customer's currency cannot change while bookings, open invoices or credit exist in the old one
    /// (SPEC §1): renewals would have no price, and the credit would be shown in the wrong currency.
    private func checkCurrencyChange(from customer: Customer, to currency: Currency) throws {
        let what = "customer \(customer.id) (\(customer.company))"
        if try hasRunningBookings(customerID: customer.id) {
            throw StoreError("\(what) has plan or module bookings in \(customer.currency.code); the currency can change to \(currency.code) once they have ended or been withdrawn")
        }
        let open = try connection.first("""
            SELECT number FROM invoices WHERE customer_id = ? AND status IN ('open', 'partially_paid') LIMIT 1
            """, [.integer(customer.id)]) { $0.optionalText(0) ?? "" }
        if let open {
            throw StoreError("\(what) has open invoices in \(customer.currency.code) (\(open)); the currency can change to \(currency.code) once they are paid or cancelled")
        }
        if let balance = try creditBalances(customerID: customer.id).first {
            throw StoreError("\(what) holds credit of \(balance); the currency can change to \(currency.code) once it is used or refunded")
        }
    }
}
