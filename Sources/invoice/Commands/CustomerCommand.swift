import Billing
import Store
import Workflows

enum CustomerCommand {
    static let customerArgument = Argument("ID", "the customer's id (or exact company name)")

    /// The fields `add` and `edit` share.
    static let fields: [Option] = [
        .value("--contact", "NAME", "the contact person"),
        .value("--street", "S", "street"),
        .value("--building", "N", "building number"),
        .value("--postcode", "P", "postcode"),
        .value("--town", "T", "town"),
        .value("--vat-id", "ID", "the customer's VAT id"),
        .value("--billing-info", "TEXT", "a note printed on its invoices"),
    ] + EInvoiceOptions.customerOptions

    static let command = Command(
        name: "customer", summary: "the customers: add, edit, show, list, delete, credit",
        discussion: """
            Customers are referred to by id (or exact company name). `add` prints the new id
            (with --json the customer object). A customer with invoices cannot be deleted: deactivate it.
            """,
        subcommands: [
            Command(name: "add", summary: "add a customer; prints its id",
                    options: [.value("--company", "NAME", "the company name", required: true),
                              .value("--email", "E", "the billing email address", required: true),
                              .value("--country", "CC", "ISO country code (CH, DE, ...)", required: true),
                              .value("--currency", "CUR", "its invoices' currency (default: the currency setting)"),
                              .value("--language", "LL", "its invoices' language (default: the language setting)",
                                     completion: .choices(["en", "de", "fr", "it"]))] + fields,
                    examples: [#"invoice customer add --company "Müller AG" --email ap@mueller.ch --country CH --currency CHF"#],
                    run: add),
            Command(name: "edit", summary: "change a customer's details",
                    arguments: [customerArgument],
                    options: [.value("--company", "NAME", "the company name"),
                              .value("--email", "E", "the billing email address"),
                              .value("--country", "CC", "ISO country code"),
                              .value("--currency", "CUR", "its invoices' currency"),
                              .value("--language", "LL", "its invoices' language", completion: .choices(["en", "de", "fr", "it"]))]
                        + fields + [.flag("--active", "make it active again"), .flag("--inactive", "deactivate it (kept, hidden from lists)")],
                    exclusive: [ExclusiveGroup(["--active", "--inactive"])],
                    run: edit),
            Command(name: "show", summary: "one customer with its users and credit balance", arguments: [customerArgument], run: show),
            Command(name: "list", summary: "the active customers", options: [.flag("--all", "inactive ones too")], run: list),
            Command(name: "delete", summary: "delete a customer without invoices", arguments: [customerArgument], run: delete),
            MoneyCommands.customerCreditCommand,
        ])

    static func show(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("ID")
        let store = try context.openStore()
        let customer = try store.customer(reference: reference)
        let users = try store.users(customerID: customer.id)
        let credit = try store.creditBalance(customerID: customer.id, currency: customer.currency)
        if context.json {
            context.emit(Presenter.customer(customer, users: users, credit: credit))
        } else {
            context.emit(Presenter.customerText(customer, users: users, credit: credit))
        }
    }

    static func list(_ args: Arguments, _ context: Context) throws {
        let all = args.flag("--all")
        let store = try context.openStore()
        var rows: [JSON] = []
        if !context.json { context.emit("ID    COMPANY                          COUNTRY CUR LANG EMAIL") }
        try store.forEachCustomer(activeOnly: !all) { customer in
            if context.json {
                rows.append(Presenter.customer(customer))
            } else {
                context.emit("\(String(customer.id).padding(6))\(customer.company.truncated(32).padding(33))\(customer.address.country.code.padding(8))\(customer.currency.code.padding(4))\(customer.language.rawValue.padding(5))\(customer.email)\(customer.isActive ? "" : "  (inactive)")")
            }
        }
        if context.json { context.emit(.array(rows)) }
    }

    static func delete(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("ID")
        let store = try context.openStore()
        let customer = try store.customer(reference: reference)
        try store.deleteCustomer(id: customer.id)
        context.json ? context.emit(.object([("deleted", .int(customer.id))])) : context.emit("deleted customer \(customer.id) (\(customer.company))")
    }

    static func add(_ args: Arguments, _ context: Context) throws {
        func required(_ name: String) throws -> String {
            guard let value = try args.option(name) else { throw args.usageError("customer add needs \(name)") }
            return value
        }
        let company = try required("--company"), email = try required("--email"), country = try required("--country")
        let store = try context.openStore()
        let op = try store.loadOperator()
        let currencyCode = try args.option("--currency") ?? op.currency?.code
        let languageCode = try args.option("--language") ?? op.language.rawValue
        guard let currencyCode else { throw args.usageError("customer add needs --currency (or set a default: invoice settings set currency CHF)") }
        var customer = Customer(
            id: 0, company: company, contact: try args.option("--contact") ?? "",
            address: Address(street: try args.option("--street") ?? "", building: try args.option("--building") ?? "",
                             postcode: try args.option("--postcode") ?? "", town: try args.option("--town") ?? "",
                             country: try Country(code: country)),
            email: email, vatID: try args.option("--vat-id") ?? "", currency: try Currency(code: currencyCode),
            language: try Language(code: languageCode), billingInfo: try args.option("--billing-info") ?? "")
        try EInvoiceOptions.readCustomer(args, into: &customer)
        let stored = try Customers(store: store).add(customer).customer
        context.json ? context.emit(Presenter.customer(stored)) : context.emit(String(stored.id))
    }

    static func edit(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("ID")
        let store = try context.openStore()
        var customer = try store.customer(reference: reference)
        if let v = try args.option("--company") { customer.company = v }
        if let v = try args.option("--contact") { customer.contact = v }
        if let v = try args.option("--email") { customer.email = v }
        if let v = try args.option("--street") { customer.address.street = v }
        if let v = try args.option("--building") { customer.address.building = v }
        if let v = try args.option("--postcode") { customer.address.postcode = v }
        if let v = try args.option("--town") { customer.address.town = v }
        if let v = try args.option("--country") { customer.address.country = try Country(code: v) }
        if let v = try args.option("--vat-id") { customer.vatID = v }
        if let v = try args.option("--currency") { customer.currency = try Currency(code: v) }
        if let v = try args.option("--language") { customer.language = try Language(code: v) }
        if let v = try args.option("--billing-info") { customer.billingInfo = v }
        if args.flag("--inactive") { customer.isActive = false }
        if args.flag("--active") { customer.isActive = true }
        try EInvoiceOptions.readCustomer(args, into: &customer)
        let stored = try Customers(store: store).update(customer)
        context.json ? context.emit(Presenter.customer(stored)) : context.emit("updated customer \(stored.id) (\(stored.company))")
    }
}
