import Billing
import HTTPServer
import Store
import Workflows

extension APIHandler {
    /// `GET /v1/customers/{id}/entitlements[?product=NAME]`: the answer to "may they use X now?". The
    /// current plan and every module not ended, each with `active` (usable today), `status`,
    /// `usable_until` (null: open-ended) and `next` (what happens next, and when). With `product`,
    /// that one product's entitlement (`active` false and `status` null when it was never booked).
    func entitlements(_ customer: Customer, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery(["product"])
        let today = self.today
        let bookings = Bookings(store: store, outbox: outbox)
        return try store.read {
            let plans = try store.bookings(customerID: customer.id, kind: .plan)
            let plan = Bookings.current(in: plans)
            let modules = try store.bookings(customerID: customer.id, kind: .module)
            var currentModules: [Booking] = []
            for productID in modules.map(\.productID).uniqued() {
                if let current = Bookings.current(in: modules.filter { $0.productID == productID }) { currentModules.append(current) }
            }
            if let name = request.query["product"] {
                let product: Product
                do { product = try store.product(.plan, reference: name) } catch let error as StoreError where error.kind == .notFound {
                    do { product = try store.product(.module, reference: name) } catch let error as StoreError where error.kind == .notFound {
                        throw APIError.notFound("no plan or module named '\(name)' in the catalog")
                    }
                }
                let booking = ([plan].compactMap { $0 } + currentModules).first { $0.productID == product.id }
                let entry = try booking.map { try entitlement(try bookings.details(of: $0, today: today), today: today) }
                    ?? .object([("object", .string("entitlement")), ("kind", .string(product.kind.rawValue)),
                                ("product", .string(product.name)), ("active", .bool(false)), ("status", .null),
                                ("usable_until", .null), ("next", .null), ("booking", .null)])
                return ok(.object([("object", .string("entitlement_check")), ("customer", .int(customer.id)),
                                   ("date", .string(today.description)), ("entitlement", entry)]))
            }
            return ok(.object([
                ("object", .string("entitlements")), ("customer", .int(customer.id)), ("date", .string(today.description)),
                ("plan", try plan.map { try entitlement(try bookings.details(of: $0, today: today), today: today) } ?? .null),
                ("modules", .array(try currentModules.map { try entitlement(try bookings.details(of: $0, today: today), today: today) })),
            ]))
        }
    }

    /// One product's entitlement from its booking's details.
    func entitlement(_ details: Bookings.Details, today: Day) throws -> JSON {
        let b = details.booking
        let active = b.grantsAccess(on: today)
        let usableUntil: Day? = active ? (details.renewal?.usableUntil ?? b.end) : nil
        var next: JSON = .null
        func step(_ action: String, on day: Day?, invoice: String? = nil) -> JSON {
            .object([("action", .string(action)), ("on", .optional(day?.description)), ("invoice", .optional(invoice))])
        }
        switch b.status {
        case .pending: next = step("activates_when_paid", on: nil, invoice: details.invoiceNumber)
        case .scheduled: next = step("starts", on: b.start, invoice: details.invoiceNumber)
        case .trial: next = step("trial_ends", on: b.end.map { $0.adding(days: 1) })
        case .free: next = b.end.map { step("ends", on: $0.adding(days: 1)) } ?? .null
        case .cancelled: next = step("ends", on: b.end.map { $0.adding(days: 1) })
        case .lapsed: next = step("reactivates_when_paid", on: nil, invoice: details.invoiceNumber)
        case .active:
            if let renewal = details.renewal {
                next = step("lapses_unless_paid", on: renewal.usableUntil.adding(days: 1), invoice: details.invoice?.number)
            } else if let renewal = details.nextRenewal {
                next = step("renews", on: renewal.periodStart, invoice: renewal.invoiceNumber)
            } else {
                next = step("ends", on: b.end.map { $0.adding(days: 1) })
            }
        case .expired, .withdrawn: next = .null
        }
        if let change = details.change {
            next = step(change.productID == b.productID ? "changes_cycle" : "changes_to_\(change.productName)",
                        on: change.start, invoice: nil)
        }
        return .object([("object", .string("entitlement")), ("kind", .string(b.kind.rawValue)), ("product", .string(b.productName)),
                        ("active", .bool(active)), ("status", .string(b.status.rawValue)), ("cycle", .string(b.cycle.rawValue)),
                        ("usable_until", .optional(usableUntil?.description)), ("next", next), ("booking", .int(b.id))])
    }

    /// `GET /v1/customers/{id}/plan` (every plan booking) and `…/modules` (the current module bookings).
    func listBookings(_ customer: Customer, kind: ProductKind, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery([])
        let bookings = Bookings(store: store, outbox: outbox)
        let today = self.today
        let list = kind == .plan ? try store.bookings(customerID: customer.id, kind: .plan)
                                 : try bookings.modulesToList(customerReference: String(customer.id), history: false)
        return ok(listObject(try list.map { Presenter.booking(try bookings.details(of: $0, today: today)) }, hasMore: false,
                             url: "/v1/customers/\(customer.id)/\(kind == .plan ? "plan" : "modules")"))
    }

    /// `POST /v1/customers/{id}/plan|modules {"product", "activation"}`: as `plan|module CUSTOMER activate`.
    func activate(_ customer: Customer, kind: ProductKind, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        let body = request.body
        try body.refuseUnknown(["product", "activation", "no_mail"])
        let product = try body.required("product")
        let text = try body.required("activation")
        let allowed = Bookings.Activation.allCases.filter { kind == .module || $0 != .onetime }
        guard let activation = allowed.first(where: { $0.rawValue == text }) else {
            throw APIError.badRequest("activation must be one of \(allowed.map(\.rawValue).joined(separator: ", "))", param: "activation")
        }
        let noMail = try body.bool("no_mail") ?? false
        let bookings = Bookings(store: store, outbox: outbox)
        let today = self.today
        let outcome = try bookings.activate(customerReference: String(customer.id), kind: kind, productReference: product,
                                            as: activation, today: today)
        if noMail, let invoice = outcome.invoice { try store.setNoMail(invoiceID: invoice.id, true) }
        return ok(Presenter.bookingOutcome(outcome, details: try bookings.details(of: outcome.booking, today: today)), status: 201)
    }

    /// `POST …/plan/cancel|revoke|withdraw` and `…/modules/{name}/cancel|revoke|withdraw`.
    func change(_ customer: Customer, kind: ProductKind, product: String?, action: String, _ request: APIRequest,
                store: Store) throws -> HTTPResponse {
        try request.body.refuseUnknown([])
        let bookings = Bookings(store: store, outbox: outbox)
        let today = self.today
        let reference = String(customer.id)
        let outcome: Bookings.Outcome
        switch action {
        case "cancel": outcome = try bookings.cancel(customerReference: reference, kind: kind, productReference: product, today: today)
        case "revoke": outcome = try bookings.revoke(customerReference: reference, kind: kind, productReference: product, today: today)
        case "withdraw": outcome = try bookings.withdraw(customerReference: reference, kind: kind, productReference: product, today: today)
        default: throw APIError.notFound("no such path: \(request.raw.path) (actions: cancel, revoke, withdraw)")
        }
        return ok(Presenter.bookingOutcome(outcome, details: try bookings.details(of: outcome.booking, today: today)))
    }
}

extension Sequence where Element: Hashable {
    /// The elements in order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
