import Billing
import Documents
import EInvoice
import Foundation
import HTTPServer
import Store
import Workflows

extension APIHandler {
    static let invoiceStatuses = ["draft", "open", "partially_paid", "paid", "cancelled", "issued", "overdue"]
    static let documentFormats = ["json", "pdf", "html", "txt", "cii", "ubl", "facturx"]

    func invoiceJSON(_ invoice: Invoice, store: Store) throws -> JSON {
        guard case .object(let pairs) = Presenter.invoice(invoice, customer: try store.customer(id: invoice.customerID), today: today) else {
            return .null
        }
        return .object([("object", .string(invoice.isCreditNote ? "credit_note" : "invoice"))] + pairs)
    }

    /// The invoice or credit note with this number (or a draft's id); 404 for none.
    func invoice(_ reference: String, store: Store) throws -> Invoice {
        do { return try store.invoice(reference: reference) } catch let error as StoreError where error.kind == .notFound {
            throw APIError.notFound("no invoice or credit note '\(reference)'")
        }
    }

    /// `GET /v1/invoices?customer=&status=&type=&limit=&starting_after=`: as `invoice list --json`, by id.
    func listInvoices(_ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery(["customer", "status", "type", "limit", "starting_after"])
        let page = try request.page()
        var filter = InvoiceFilter()
        let today = self.today
        if let status = request.query["status"] {
            if status == "overdue" {
                filter.overdueOn = today
            } else if let s = InvoiceStatus(rawValue: status), APIHandler.invoiceStatuses.contains(status) {
                filter.statuses = [s]
            } else {
                throw APIError.badRequest("status must be one of \(APIHandler.invoiceStatuses.joined(separator: ", "))", param: "status")
            }
        }
        if let type = request.query["type"] {
            guard let kind = DocumentKind(rawValue: type) else {
                throw APIError.badRequest("type must be invoice or credit_note", param: "type")
            }
            filter.kind = kind
        }
        if let customer = request.query["customer"] {
            guard let id = Int64(customer), id > 0 else { throw APIError.badRequest("customer must be a customer id", param: "customer") }
            filter.customerID = id
        }
        filter.afterID = page.after
        filter.limit = page.limit + 1
        var items: [JSON] = []
        try store.read { try store.forEachInvoice(filter) { items.append(Presenter.invoice($0, today: today)) } }
        let hasMore = items.count > page.limit
        return ok(listObject(Array(items.prefix(page.limit)), hasMore: hasMore, url: "/v1/invoices"))
    }

    /// `GET /v1/invoices/{number}`: the JSON object of `show --json`, or with `?format=` (or an Accept
    /// of application/pdf, text/html, application/xml) the document itself.
    func showInvoice(_ reference: String, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        try request.refuseUnknownQuery(["format"])
        let invoice = try invoice(reference, store: store)
        var format = request.query["format"] ?? "json"
        if request.query["format"] == nil, let accept = request.raw.header("accept")?.lowercased() {
            if accept.hasPrefix("application/pdf") { format = "pdf" } else if accept.hasPrefix("text/html") { format = "html" }
        }
        guard APIHandler.documentFormats.contains(format) else {
            throw APIError.badRequest("format must be one of \(APIHandler.documentFormats.joined(separator: ", "))", param: "format")
        }
        func document(_ type: String, _ bytes: [UInt8]) -> HTTPResponse {
            HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", type)], body: bytes)
        }
        switch format {
        case "json": return ok(try invoiceJSON(invoice, store: store))
        case "cii", "ubl":
            let syntax = try EInvoiceSyntax(parsing: format)
            return document("application/xml", syntax.xml(try EInvoicing.eInvoice(for: invoice, store: store)))
        case "facturx":
            let rendered = try Printing.document(for: invoice, store: store)
            let (data, _) = try EInvoicing.facturX(for: rendered, renderer: try renderer(), store: store)
            return document("application/pdf", Array(data))
        default:
            guard let documentFormat = DocumentFormat(rawValue: format) else { throw APIError.badRequest("unknown format", param: "format") }
            let rendered = try renderer().render(documentFormat, try Printing.document(for: invoice, store: store))
            let type = format == "pdf" ? "application/pdf" : format == "html" ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"
            return document(type, Array(rendered.data))
        }
    }

    func renderer() throws -> DocumentRenderer {
        try DocumentRenderer(overrideDirectory: templatesDirectory.map { URL(fileURLWithPath: $0) })
    }

    /// `POST /v1/invoices {"customer", "title", "notes", "purchase_order", "tax_mode", "exempt_note",
    /// "lines": [...], "issue"}`: as `invoice new` (the lines as `--from FILE.json` reads them).
    func createInvoice(_ request: APIRequest, store: Store) throws -> HTTPResponse {
        let body = request.body
        try body.refuseUnknown(["customer", "title", "notes", "purchase_order", "tax_mode", "exempt_note", "language", "user",
                                "lines", "issue", "no_mail"])
        let customerText = try body.required("customer")
        let customer = try self.customer(customerText, store: store)
        var draft = InvoiceDraft()
        draft.title = try body.string("title")
        draft.notes = try body.string("notes")
        draft.purchaseOrder = try body.string("purchase_order")
        if let language = try body.string("language") { draft.language = try Language(code: language) }
        if let user = try body.string("user") {
            guard let id = Int64(user) else { throw APIError.badRequest("user must be a user id", param: "user") }
            draft.userID = id
        }
        switch try body.string("tax_mode") {
        case nil: break
        case "net"?: draft.taxMode = .net
        case "gross"?: draft.taxMode = .gross
        case "exempt"?:
            guard let note = try body.string("exempt_note"), !note.isEmpty else {
                throw APIError.badRequest("tax_mode exempt needs exempt_note (e.g. the exemption's legal basis)", param: "exempt_note")
            }
            draft.taxMode = .exempt(note: note)
        case let other?: throw APIError.badRequest("tax_mode must be net, gross or exempt, not '\(other)'", param: "tax_mode")
        }
        var lines: [InvoiceLine] = []
        for line in try body.objects("lines") ?? [] {
            try line.refuseUnknown(["title", "quantity", "unit_price", "vat_rate", "discount", "unit", "description"])
            lines.append(try InvoiceLine(
                title: try line.required("title"), description: try line.string("description") ?? "",
                quantity: DecimalNumber(parsing: try line.required("quantity"), maxScale: InvoiceLine.maxQuantityDecimals, field: "quantity"),
                unit: try line.string("unit") ?? "",
                unitPrice: Money(parsing: try line.required("unit_price"), currency: customer.currency, field: "unit price"),
                discount: try line.string("discount").map { try Percentage(parsing: $0, field: "discount") } ?? .zero,
                vatRate: Percentage(parsing: try line.required("vat_rate"), field: "VAT rate")).validated())
        }
        draft.lines = lines
        let invoice = try Invoicing(store: store, outbox: outbox).create(customerReference: String(customer.id), draft,
                                                                         issue: try body.bool("issue") ?? false, today: today,
                                                                         noMail: try body.bool("no_mail") ?? false)
        return ok(try invoiceJSON(invoice, store: store), status: 201)
    }

    /// `POST /v1/invoices/{number}/payments {"amount", "currency", "date", "method", "reference"}`: as
    /// `invoice pay`; another currency than the invoice's is kept as unmatched (money is never refused).
    func pay(_ reference: String, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        let body = request.body
        try body.refuseUnknown(["amount", "currency", "date", "method", "reference"])
        let target = try invoice(reference, store: store)
        let currency = try body.string("currency").map { try Currency(code: $0) } ?? target.currency
        let amount = try Money(parsing: try body.required("amount"), currency: currency)
        let date: Day
        if let text = try body.string("date") {
            do { date = try Day(parsing: text) } catch { throw APIError.badRequest("date: \(error)", param: "date") }
        } else {
            date = today
        }
        let method = try body.string("method") ?? "", paymentReference = try body.string("reference") ?? ""
        let invoicing = Invoicing(store: store, outbox: outbox)
        guard currency == target.currency else {
            let id = try invoicing.keepUnmatched(invoiceReference: String(target.id), amount: amount, date: date,
                                                 reference: paymentReference, today: date)
            return ok(.object([("object", .string("payment")), ("status", .string("unmatched")), ("id", .string(id)),
                               ("invoice", .string(target.number ?? String(target.id))), ("amount", .string(amount.decimalString)),
                               ("currency", .string(currency.code)), ("date", .string(date.description)), ("credited", .null),
                               ("invoice_object", .null)]), status: 202)
        }
        let outcome = try invoicing.pay(reference: String(target.id), amount: amount, date: date, method: method,
                                        paymentReference: paymentReference)
        return ok(.object([("object", .string("payment")), ("status", .string(outcome.credited.minorUnits > 0 && outcome.applied.isZero ? "credited" : "applied")),
                           ("id", .null), ("invoice", .string(outcome.invoice.number ?? String(outcome.invoice.id))),
                           ("amount", .string(amount.decimalString)), ("currency", .string(currency.code)),
                           ("date", .string(date.description)), ("credited", .string(outcome.credited.decimalString)),
                           ("invoice_object", try invoiceJSON(outcome.invoice, store: store))]), status: 201)
    }

    /// `POST /v1/invoices/{number}/credit-notes {"amount" | "lines", "reason", "refund"}`: as `invoice credit-note`.
    func creditNote(_ reference: String, _ request: APIRequest, store: Store) throws -> HTTPResponse {
        let body = request.body
        try body.refuseUnknown(["amount", "lines", "reason", "refund", "no_mail"])
        let target = try invoice(reference, store: store)
        let creditRequest: CreditNoteRequest
        if let amount = try body.string("amount") {
            guard try body.objects("lines") == nil else { throw APIError.badRequest("give amount or lines, not both", param: "lines") }
            creditRequest = .amount(try Money(parsing: amount, currency: target.currency))
        } else if let lines = try body.objects("lines"), !lines.isEmpty {
            creditRequest = .lines(try lines.map { line in
                try line.refuseUnknown(["title", "quantity", "unit_price", "vat_rate"])
                return try InvoiceLine(
                    title: try line.required("title"),
                    quantity: DecimalNumber(parsing: try line.required("quantity"), maxScale: InvoiceLine.maxQuantityDecimals, field: "quantity"),
                    unitPrice: Money(parsing: try line.required("unit_price"), currency: target.currency, field: "unit price"),
                    vatRate: Percentage(parsing: try line.required("vat_rate"), field: "VAT rate")).validated()
            })
        } else {
            creditRequest = .rest
        }
        let outcome = try Invoicing(store: store, outbox: outbox)
            .creditNote(reference: String(target.id), creditRequest, reason: try body.string("reason") ?? "",
                        refund: try body.bool("refund") ?? false, today: today, noMail: try body.bool("no_mail") ?? false)
        return ok(try invoiceJSON(outcome.creditNote, store: store), status: 201)
    }
}
