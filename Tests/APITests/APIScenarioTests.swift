import Foundation
import Testing
import TestSupport

/// Issue 20: the API is not a second billing engine. One scenario (sign-up, plan invoice, module trial,
/// a one-off invoice, payment, credit note) through the command line and through the API gives the
/// same books: invoices, lines, bookings, periods, payments, credit.
@Suite(.serialized)
struct APIScenarioTests {
    /// The books, without row timestamps (created_at) that differ between any two runs.
    static func books(_ cli: InvoiceCLI) throws -> String {
        try cli.sql("""
            SELECT id, company, email, country, currency, language, active FROM customers ORDER BY id;
            SELECT id, number, customer_id, title, issue_date, due_date, currency, status, net, vat, gross, total, paid, kind,
                   prepaid, credited, preceding_id, credit_reason, refunded FROM invoices ORDER BY id;
            SELECT * FROM invoice_lines ORDER BY invoice_id, position;
            SELECT id, customer_id, product_id, kind, cycle, status, start, "end", invoice_id, replaces_id, price_amount FROM bookings ORDER BY id;
            SELECT * FROM booking_periods ORDER BY id;
            SELECT id, invoice_id, amount, date, method, reference FROM payments ORDER BY id;
            SELECT * FROM credit_ledger ORDER BY id;
            SELECT type, customer_id, seq FROM events ORDER BY id;
            """)
    }

    /// Mutation (mutants.tsv api-pay-date-ignored): APIHandler+Invoices.swift dates an API payment today
    /// instead of its "date": the payments differ from the command line's.
    @Test func theSameScenarioThroughTheAPIAndTheCommandLineGivesTheSameBooks() throws {
        let viaCLI = try APIDesk("scenario-cli"), viaAPI = try APIDesk("scenario-api")
        defer { viaCLI.remove(); viaAPI.remove() }
        let c = viaCLI.cli
        try c.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE", "--currency", "EUR")
        try c.ok("plan", "1", "activate", "Pro", "--monthly")
        try c.ok("module", "1", "activate", "Zeit", "--trial")
        let oneOff = try c.ok("new", "1", "--title", "Setup", "--line", "Consulting;1.5;150.00;19", "--issue")
        try c.ok("pay", "INV-2026-00001", "--amount", "58.31", "--date", "2026-11-24")
        try c.ok("pay", oneOff, "--amount", "100.00", "--method", "bank", "--reference", "r-1")
        try c.ok("credit-note", oneOff, "--amount", "20.00", "--reason", "goodwill")

        let key = try viaAPI.createKey("app")
        let server = try APIServer(database: viaAPI.cli.database)
        defer { server.stop() }
        func post(_ path: String, _ body: String) throws -> [String: Any] {
            let answer = try CurlClient.send("POST", server.url + path, key: key, body: body)
            #expect((200...202).contains(answer.status), "\(path): \(answer.body)")
            return try answer.object()
        }
        _ = try post("/v1/customers", #"{"company":"Acme GmbH","email":"ap@acme.example","country":"DE","currency":"EUR"}"#)
        let plan = try post("/v1/customers/1/plan", #"{"product":"Pro","activation":"monthly"}"#)
        #expect((plan["new_invoice"] as? [String: Any])?["number"] as? String == "INV-2026-00001")
        _ = try post("/v1/customers/1/modules", #"{"product":"Zeit","activation":"trial"}"#)
        let invoice = try post("/v1/invoices", #"{"customer":"1","title":"Setup","lines":[{"title":"Consulting","quantity":"1.5","unit_price":"150.00","vat_rate":"19"}],"issue":true}"#)
        let number = try #require(invoice["number"] as? String)
        #expect(number == oneOff)
        _ = try post("/v1/invoices/INV-2026-00001/payments", #"{"amount":"58.31","date":"2026-11-24"}"#)
        _ = try post("/v1/invoices/\(number)/payments", #"{"amount":"100.00","method":"bank","reference":"r-1"}"#)
        _ = try post("/v1/invoices/\(number)/credit-notes", #"{"amount":"20.00","reason":"goodwill"}"#)

        let expected = try Self.books(c)
        #expect(expected.contains("INV-2026-00001") && expected.contains("goodwill"))
        #expect(try Self.books(viaAPI.cli) == expected)
        // What the app asks: the plan is usable (paid), the module is on trial.
        let entitlements = try CurlClient.send("GET", server.url + "/v1/customers/1/entitlements", key: key).object()
        let planEntry = try #require(entitlements["plan"] as? [String: Any])
        #expect(planEntry["active"] as? Bool == true && planEntry["status"] as? String == "active")
        let check = try CurlClient.send("GET", server.url + "/v1/customers/1/entitlements?product=Zeit", key: key).object()
        let zeit = try #require(check["entitlement"] as? [String: Any])
        #expect(zeit["active"] as? Bool == true && zeit["status"] as? String == "trial" && zeit["usable_until"] as? String == "2026-12-08")
    }
}
