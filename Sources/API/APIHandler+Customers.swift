import Billing
import HTTPServer
import Store
import Workflows

extension APIHandler {
    /// The customer object of `customer show --json` plus `object` and the app's `external_id`.
    func customerJSON(_ customer: Customer, store: Store) throws -> JSON {
        guard case .object(let pairs) = Presenter.customer(customer, credit: try store.creditBalance(customerID: customer.id, currency: customer.currency)) else {
            return .null
        }
        return .object([("object", .string("customer"))] + pairs
                       + [("external_id", .optional(try store.externalID(customerID: customer.id)))])
    }

    static let customerFields: Set<String> = ["company", "email", "country", "currency", "language", "contact", "street",
                                              "building", "postcode", "town", "vat_id", "billing_info", "buyer_reference",
                                              "electronic_address", "external_id"]

    /// `GET /v1/customers[?external_id=]`: by id, a page at a time; with `external_id`, the one customer
    /// the app knows by it (an empty list if none).
    func listCustomers(_ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery(["limit", "starting_after", "external_id"])
        let page = try request.page()
        if let externalID = request.query["external_id"] {
            guard !externalID.isEmpty, externalID.count <= 255 else {
                throw APIError.badRequest("external_id must be 1 to 255 characters", param: "external_id")
            }
            let found = try store.customerID(externalID: externalID).map { try store.customer(id: $0) }
            return ok(listObject(try [found].compactMap { $0 }.filter { $0.id > page.after }.map { try customerJSON($0, store: store) },
                                 hasMore: false, url: "/v1/customers"))
        }
        let found = try store.read { try store.customers(after: page.after, limit: page.limit + 1) }
        let shown = Array(found.prefix(page.limit))
        return ok(listObject(try shown.map { try customerJSON($0, store: store) }, hasMore: found.count > page.limit,
                             url: "/v1/customers"))
    }

    func showCustomer(_ customer: Customer, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery([])
        return ok(try customerJSON(customer, store: store))
    }

    /// `POST /v1/customers`: as `customer add`; with an `external_id` the customer that has it already
    /// is answered (200) instead of a second one (201 for a new one).
    func createCustomer(_ request: APIRequest, store: Store) throws -> HTTPResponse {
        let body = request.body
        try body.refuseUnknown(APIHandler.customerFields)
        let company = try body.required("company"), email = try body.required("email"), country = try body.required("country")
        let externalID = try body.string("external_id")
        let op = try store.loadOperator()
        guard let currencyCode = try body.string("currency") ?? op.currency?.code else {
            throw APIError.validation("customer add needs --currency (or set a default: invoice settings set currency CHF)", param: "currency")
        }
        var customer = Customer(
            id: 0, company: company, contact: try body.string("contact") ?? "",
            address: Address(street: try body.string("street") ?? "", building: try body.string("building") ?? "",
                             postcode: try body.string("postcode") ?? "", town: try body.string("town") ?? "",
                             country: try Country(code: country)),
            email: email, vatID: try body.string("vat_id") ?? "", currency: try Currency(code: currencyCode),
            language: try Language(code: try body.string("language") ?? op.language.rawValue),
            billingInfo: try body.string("billing_info") ?? "")
        if let value = try body.string("buyer_reference") { customer.buyerReference = value }
        if let value = try body.string("electronic_address") { customer.electronicAddress = value }
        let outcome = try Customers(store: store).add(customer, externalID: externalID)
        return ok(try customerJSON(outcome.customer, store: store), status: outcome.created ? 201 : 200)
    }

    /// `PATCH /v1/customers/{id}`: as `customer edit`; only the fields sent change.
    func updateCustomer(_ existing: Customer, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        let body = request.body
        try body.refuseUnknown(APIHandler.customerFields.union(["active"]))
        var customer = existing
        if let v = try body.string("company") { customer.company = v }
        if let v = try body.string("contact") { customer.contact = v }
        if let v = try body.string("email") { customer.email = v }
        if let v = try body.string("street") { customer.address.street = v }
        if let v = try body.string("building") { customer.address.building = v }
        if let v = try body.string("postcode") { customer.address.postcode = v }
        if let v = try body.string("town") { customer.address.town = v }
        if let v = try body.string("country") { customer.address.country = try Country(code: v) }
        if let v = try body.string("vat_id") { customer.vatID = v }
        if let v = try body.string("currency") { customer.currency = try Currency(code: v) }
        if let v = try body.string("language") { customer.language = try Language(code: v) }
        if let v = try body.string("billing_info") { customer.billingInfo = v }
        if let v = try body.string("buyer_reference") { customer.buyerReference = v }
        if let v = try body.string("electronic_address") { customer.electronicAddress = v }
        if let v = try body.bool("active") { customer.isActive = v }
        let stored = try Customers(store: store).update(customer, externalID: try body.string("external_id"))
        return ok(try customerJSON(stored, store: store))
    }

    func listUsers(_ customer: Customer, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery([])
        let users = try store.users(customerID: customer.id)
        return ok(listObject(users.map { .object([("object", .string("user"))] + Presenter.userPairs($0)) }, hasMore: false,
                             url: "/v1/customers/\(customer.id)/users"))
    }

    /// `POST /v1/customers/{id}/users`: as `user add`.
    func addUser(_ customer: Customer, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        let body = request.body
        try body.refuseUnknown(["salutation", "first_name", "surname", "email"])
        let user = User(id: 0, customerID: customer.id, salutation: try body.string("salutation") ?? "",
                        firstName: try body.required("first_name"), surname: try body.required("surname"),
                        email: try body.required("email"))
        let stored = try Customers(store: store).addUser(user)
        return ok(.object([("object", .string("user"))] + Presenter.userPairs(stored)), status: 201)
    }

    /// `GET /v1/catalog`: every product with its prices, as `catalog list --json`.
    func catalog(_ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery([])
        let products = try store.products()
        return ok(listObject(products.map(Presenter.product), hasMore: false, url: "/v1/catalog"))
    }
}
