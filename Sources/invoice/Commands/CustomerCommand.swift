import Billing
import Store

enum CustomerCommand {
    static func run(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let action = try args.positional("action (add, edit, show, list or delete)")
        switch action {
        case "add": try add(args, context)
        case "edit": try edit(args, context)
        case "show":
            let reference = try args.positional("customer id")
            try args.finish()
            let store = try context.openStore()
            let customer = try store.customer(reference: reference)
            if context.json {
                context.emit(Presenter.customer(customer, users: try store.users(customerID: customer.id),
                                                credit: try store.creditBalance(customerID: customer.id, currency: customer.currency)))
            } else {
                context.emit(Presenter.customerText(customer, users: try store.users(customerID: customer.id),
                                                    credit: try store.creditBalance(customerID: customer.id, currency: customer.currency)))
            }
        case "list":
            let all = args.flag("--all")
            try args.finish()
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
        case "credit": try MoneyCommands.customerCredit(args, context)
        case "delete":
            let reference = try args.positional("customer id")
            try args.finish()
            let store = try context.openStore()
            let customer = try store.customer(reference: reference)
            try store.deleteCustomer(id: customer.id)
            context.json ? context.emit(.object([("deleted", .int(customer.id))])) : context.emit("deleted customer \(customer.id) (\(customer.company))")
        default:
            throw UsageError("unknown action '\(action)'", command: "customer")
        }
    }

    private static func add(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        func required(_ name: String) throws -> String {
            guard let value = try args.option(name) else { throw UsageError("customer add needs \(name)", command: "customer") }
            return value
        }
        let company = try required("--company"), email = try required("--email"), country = try required("--country")
        let store = try context.openStore()
        let op = try store.loadOperator()
        let currencyCode = try args.option("--currency") ?? op.currency?.code
        let languageCode = try args.option("--language") ?? op.language.rawValue
        guard let currencyCode else { throw UsageError("customer add needs --currency (or set a default: invoice settings set currency CHF)", command: "customer") }
        var customer = Customer(
            id: 0, company: company, contact: try args.option("--contact") ?? "",
            address: Address(street: try args.option("--street") ?? "", building: try args.option("--building") ?? "",
                             postcode: try args.option("--postcode") ?? "", town: try args.option("--town") ?? "",
                             country: try Country(code: country)),
            email: email, vatID: try args.option("--vat-id") ?? "", currency: try Currency(code: currencyCode),
            language: try Language(code: languageCode), billingInfo: try args.option("--billing-info") ?? "")
        try EInvoiceOptions.readCustomer(&args, into: &customer)
        try args.finish()
        let stored = try store.addCustomer(customer)
        context.json ? context.emit(Presenter.customer(stored)) : context.emit(String(stored.id))
    }

    private static func edit(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let reference = try args.positional("customer id")
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
        try EInvoiceOptions.readCustomer(&args, into: &customer)
        try args.finish()
        let stored = try store.updateCustomer(customer)
        context.json ? context.emit(Presenter.customer(stored)) : context.emit("updated customer \(stored.id) (\(stored.company))")
    }
}

extension String {
    func truncated(_ length: Int) -> String { count <= length ? self : String(prefix(length - 1)) + "…" }
}
