import Billing
import HTTPServer
import Store
import Workflows

extension APIHandler {
    /// Dispatches on the method and the path below `/v1` (writes run inside the caller's transaction).
    func route(_ request: APIRequest, store: Store) throws -> HTTPResponse {
        let s = request.segments
        let method = request.method == "HEAD" ? "GET" : request.method
        switch (method, s.count) {
        case (_, 1) where s[0] == "customers":
            switch method {
            case "GET": return try listCustomers(request, store: store)
            case "POST": return try createCustomer(request, store: store)
            default: throw methodNotAllowed("GET or POST")
            }
        case (_, 1) where s[0] == "catalog":
            guard method == "GET" else { throw methodNotAllowed("GET") }
            return try catalog(request, store: store)
        case (_, 1) where s[0] == "invoices":
            switch method {
            case "GET": return try listInvoices(request, store: store)
            case "POST": return try createInvoice(request, store: store)
            default: throw methodNotAllowed("GET or POST")
            }
        case (_, 2) where s[0] == "customers":
            let customer = try customer(s[1], store: store)
            switch method {
            case "GET": return try showCustomer(customer, request, store: store)
            case "PATCH": return try updateCustomer(customer, request, store: store)
            default: throw methodNotAllowed("GET or PATCH")
            }
        case (_, 2) where s[0] == "invoices":
            guard method == "GET" else { throw methodNotAllowed("GET") }
            return try showInvoice(s[1], request, store: store)
        case (_, 3) where s[0] == "customers" && s[2] == "users":
            let customer = try customer(s[1], store: store)
            switch method {
            case "GET": return try listUsers(customer, request, store: store)
            case "POST": return try addUser(customer, request, store: store)
            default: throw methodNotAllowed("GET or POST")
            }
        case (_, 3) where s[0] == "customers" && s[2] == "entitlements":
            guard method == "GET" else { throw methodNotAllowed("GET") }
            return try entitlements(try customer(s[1], store: store), request, store: store)
        case (_, 3) where s[0] == "customers" && (s[2] == "plan" || s[2] == "modules"):
            let customer = try customer(s[1], store: store)
            let kind: ProductKind = s[2] == "plan" ? .plan : .module
            switch method {
            case "GET": return try listBookings(customer, kind: kind, request, store: store)
            case "POST": return try activate(customer, kind: kind, request, store: store)
            default: throw methodNotAllowed("GET or POST")
            }
        case (_, 4) where s[0] == "customers" && s[2] == "plan":
            guard method == "POST" else { throw methodNotAllowed("POST") }
            return try change(try customer(s[1], store: store), kind: .plan, product: nil, action: s[3], request, store: store)
        case (_, 5) where s[0] == "customers" && s[2] == "modules":
            guard method == "POST" else { throw methodNotAllowed("POST") }
            return try change(try customer(s[1], store: store), kind: .module, product: s[3], action: s[4], request, store: store)
        case (_, 3) where s[0] == "invoices" && (s[2] == "payments" || s[2] == "credit-notes"):
            guard method == "POST" else { throw methodNotAllowed("POST") }
            return s[2] == "payments" ? try pay(s[1], request, store: store) : try creditNote(s[1], request, store: store)
        default:
            throw APIError.notFound("no such path: \(request.raw.path)")
        }
    }

    /// The customer with this id (404 for none).
    func customer(_ text: String, store: Store) throws -> Customer {
        guard let id = Int64(text), id > 0, String(id) == text else { throw APIError.notFound("no customer with id '\(text)'") }
        do { return try store.customer(id: id) } catch let error as StoreError where error.kind == .notFound {
            throw APIError.notFound("no customer with id \(id)")
        }
    }
}
