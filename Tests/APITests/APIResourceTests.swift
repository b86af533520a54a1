import Foundation
import Testing
import TestSupport

/// Issue 20, the resources: cursor pagination, external_id, the command line's messages, malformed
/// input, documents, entitlements through a booking's life.
@Suite(.serialized)
struct APIResourceTests {
    let desk: APIDesk
    let key: String

    init() throws {
        desk = try APIDesk("api-resources")
        key = try desk.createKey("app")
    }

    func ids(_ answer: Answer) throws -> [Int] {
        try #require(try answer.object()["data"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
    }

    /// Mutation (mutants.tsv api-page-has-more): APIHandler+Customers.swift always says has_more false:
    /// the first page of two out of three says there is no more.
    @Test func customersComeAPageAtATimeByIdWithHasMoreAndLimitAtMost100() throws {
        defer { desk.remove() }
        for company in ["A AG", "B AG", "C AG"] {
            try desk.cli.ok("customer", "add", "--company", company, "--email", "ap@x.example", "--country", "CH")
        }
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let first = try CurlClient.send("GET", server.url + "/v1/customers?limit=2", key: key)
        #expect(try ids(first) == [1, 2])
        #expect(try first.object()["has_more"] as? Bool == true)
        let second = try CurlClient.send("GET", server.url + "/v1/customers?limit=2&starting_after=2", key: key)
        #expect(try ids(second) == [3])
        #expect(try second.object()["has_more"] as? Bool == false)
        for bad in ["limit=101", "limit=0", "limit=ten", "starting_after=-1"] {
            let answer = try CurlClient.send("GET", server.url + "/v1/customers?\(bad)", key: key)
            #expect(answer.status == 400, "\(bad)")
            #expect(try answer.errorType() == "invalid_request_error", "\(bad)")
        }
        #expect(try ids(try CurlClient.send("GET", server.url + "/v1/customers?limit=100", key: key)) == [1, 2, 3])
    }

    /// Mutation (mutants.tsv api-external-id-ignored): Customers.swift does not look the external_id
    /// up: the second POST is refused 422 instead of answering the first customer.
    @Test func aSecondPostWithTheSameExternalIDAnswersTheExistingCustomer() throws {
        defer { desk.remove() }
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let body = #"{"company":"Acme GmbH","email":"ap@acme.example","country":"DE","external_id":"u-1001"}"#
        let first = try CurlClient.send("POST", server.url + "/v1/customers", key: key, body: body)
        #expect(first.status == 201)
        let again = try CurlClient.send("POST", server.url + "/v1/customers", key: key,
                                        body: body.replacingOccurrences(of: "Acme GmbH", with: "Renamed AG"))
        #expect(again.status == 200)
        #expect(try again.object()["id"] as? Int == 1 && again.object()["company"] as? String == "Acme GmbH")
        #expect(try desk.count("customers") == 1)
        let found = try CurlClient.send("GET", server.url + "/v1/customers?external_id=u-1001", key: key)
        #expect(try ids(found) == [1])
        try desk.cli.ok("customer", "add", "--company", "Other AG", "--email", "o@o.example", "--country", "CH")
        let taken = try CurlClient.send("PATCH", server.url + "/v1/customers/2", key: key, body: #"{"external_id":"u-1001"}"#)
        #expect(taken.status == 422)
        #expect(taken.body.contains("belongs to customer 1"))
    }

    /// The API refuses with the command line's own words (one path): a trial of a plan without trial
    /// days, and an invoice line with a VAT rate that is no number.
    /// Mutation (mutants.tsv api-workflow-error-500): APIError.swift answers a workflow refusal 500.
    @Test func aRefusalCarriesTheCommandLinesMessage() throws {
        defer { desk.remove() }
        try desk.cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE")
        let cli = try desk.cli.run("plan", "1", "activate", "Pro", "--trial")
        #expect(cli.status != 0)
        let message = cli.stderr.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "invoice: ", with: "")
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let before = try desk.booksDump()
        let answer = try CurlClient.send("POST", server.url + "/v1/customers/1/plan", key: key, body: #"{"product":"Pro","activation":"trial"}"#)
        #expect(answer.status == 422)
        #expect(try answer.errorType() == "validation_error")
        #expect(try (answer.object()["error"] as? [String: Any])?["message"] as? String == message)
        #expect(!message.isEmpty)
        #expect(try desk.booksDump() == before)
    }

    /// Mutation (mutants.tsv api-duplicate-keys-accepted): APIRequest.swift does not look for a key
    /// given twice: `{"company": "A", "company": "B", …}` makes a customer.
    @Test func malformedBodiesAre400Or413AndChangeNothing() throws {
        defer { desk.remove() }
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let url = server.url + "/v1/customers"
        let cases: [(String, Int, String?)] = [
            (#"{"company": "A AG", "email": "a@a.example""#, 400, nil),
            (#"["company"]"#, 400, nil),
            (#"{"company": "A AG", "company": "B AG", "email": "a@a.example", "country": "CH"}"#, 400, "company"),
            (#"{"company": "A AG", "email": "a@a.example", "country": "CH", "colour": "red"}"#, 400, "colour"),
            (#"{"company": 7, "email": "a@a.example", "country": "CH"}"#, 400, "company"),
            (#"{"email": "a@a.example", "country": "CH"}"#, 400, "company"),
            (#"{"company": "A AG", "email": "a@a.example", "country": "CH", "billing_info": "\#(String(repeating: "x", count: 300 * 1024))"}"#, 413, nil),
        ]
        for (body, status, param) in cases {
            let answer = try CurlClient.send("POST", url, key: key, body: body)
            #expect(answer.status == status, "\(body.prefix(80))")
            #expect(try answer.errorType() == "invalid_request_error", "\(body.prefix(80))")
            #expect(try (answer.object()["error"] as? [String: Any])?["param"] as? String == param, "\(body.prefix(80))")
        }
        let line = #"{"customer":"1","lines":[{"title":"X","quantity":"1","unit_price":12.5,"vat_rate":"19"}]}"#
        try desk.cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE")
        let money = try CurlClient.send("POST", server.url + "/v1/invoices", key: key, body: line)
        #expect(money.status == 400 && money.body.contains("lines[0].unit_price") && money.body.contains("as strings"))
        #expect(try desk.count("customers") == 1 && desk.count("invoices") == 0)
    }

    /// The documents are the command line's: `?format=html` is `show --html`, `Accept: application/pdf`
    /// and `?format=pdf` give the PDF.
    @Test func documentsAreTheOnesTheCommandLineShows() throws {
        defer { desk.remove() }
        try desk.cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE")
        let number = try desk.cli.ok("new", "1", "--line", "Consulting;2;150.00;19", "--issue")
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let html = try CurlClient.send("GET", server.url + "/v1/invoices/\(number)?format=html", key: key)
        #expect(html.status == 200 && html.headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(html.body == (try desk.cli.run("show", number, "--html").stdout))
        let pdf = try CurlClient.send("GET", server.url + "/v1/invoices/\(number)", key: key, headers: ["Accept: application/pdf"])
        #expect(pdf.status == 200 && pdf.headers["content-type"] == "application/pdf" && pdf.body.hasPrefix("%PDF-"))
        let json = try CurlClient.send("GET", server.url + "/v1/invoices/\(number)", key: key).object()
        #expect(json["number"] as? String == number && json["total"] as? String == "357.00" && json["open"] as? String == "357.00")
        let missing = try CurlClient.send("GET", server.url + "/v1/invoices/INV-2099-99999", key: key)
        #expect(missing.status == 404)
        #expect(try missing.errorType() == "not_found_error")
    }

    /// Mutation (mutants.tsv api-entitlement-active): APIHandler+Bookings.swift calls every booking
    /// active: the pending plan says the customer may use it before paying.
    @Test func entitlementsFollowTheBookingFromPendingToPaidToCancelled() throws {
        defer { desk.remove() }
        try desk.cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE")
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        func pro() throws -> [String: Any] {
            let answer = try CurlClient.send("GET", server.url + "/v1/customers/1/entitlements?product=Pro", key: key)
            #expect(answer.status == 200)
            return try #require(try answer.object()["entitlement"] as? [String: Any])
        }
        let never = try pro()
        #expect(never["active"] as? Bool == false && never["status"] is NSNull)
        let booked = try CurlClient.send("POST", server.url + "/v1/customers/1/plan", key: key, body: #"{"product":"Pro","activation":"monthly"}"#)
        #expect(booked.status == 201)
        let toPay = try #require(try booked.object()["new_invoice"] as? [String: Any])
        #expect(toPay["number"] as? String == "INV-2026-00001" && toPay["total"] as? String == "58.31")
        let pending = try pro()
        #expect(pending["active"] as? Bool == false && pending["status"] as? String == "pending")
        #expect((pending["next"] as? [String: Any])?["action"] as? String == "activates_when_paid")
        #expect((pending["next"] as? [String: Any])?["invoice"] as? String == "INV-2026-00001")
        #expect(try CurlClient.send("POST", server.url + "/v1/invoices/INV-2026-00001/payments", key: key, body: #"{"amount":"58.31"}"#).status == 201)
        let paid = try pro()
        #expect(paid["active"] as? Bool == true && paid["status"] as? String == "active" && paid["usable_until"] as? String == "2026-12-24")
        #expect((paid["next"] as? [String: Any])?["action"] as? String == "renews")
        #expect(try CurlClient.send("POST", server.url + "/v1/customers/1/plan/cancel", key: key).status == 200)
        let cancelled = try pro()
        #expect(cancelled["active"] as? Bool == true && cancelled["status"] as? String == "cancelled")
        #expect((cancelled["next"] as? [String: Any])?["action"] as? String == "ends")
        #expect((cancelled["next"] as? [String: Any])?["on"] as? String == "2026-12-25")
    }
}
