import Billing
import Documents
import Foundation
import HTTPServer
import Testing
import TestSupport
import Webhook
import Workflows

/// The handler in process (no sockets): every answer, and the database unchanged by every refusal.
struct WebhookHandlerTests {
    static let now: Int64 = 1_795_000_000
    let fixture: BillingFixture
    let handler: WebhookHandler

    init() throws {
        fixture = try BillingFixture("webhook-handler")
        let database = fixture.cli.database
        let outbox = Outbox(directory: Outbox.defaultDirectory(databasePath: database), renderer: try DocumentRenderer(),
                            clock: QueueClock(overrideDay: try Day(parsing: BillingFixture.today)))
        handler = WebhookHandler(databasePath: database, secret: try TestSecret.secret, outbox: outbox,
                                 clock: { WebhookHandlerTests.now })
    }

    func post(_ body: [UInt8], messageID: String = "msg_1", timestamp: Int64 = now, signature: String? = nil,
              path: String = "/webhooks/payments", method: String = "POST") throws -> HTTPResponse {
        let stamp = String(timestamp)
        let signed = try signature ?? TestSecret.secret.signature(id: messageID, timestamp: stamp, body: body)
        let request = HTTPRequest(method: method, target: path, headers: [
            HTTPHeader("webhook-id", messageID), HTTPHeader("webhook-timestamp", stamp),
            HTTPHeader("webhook-signature", signed), HTTPHeader("Content-Type", "application/json"),
        ], body: body)
        return handler.respond(to: request)
    }

    func answer(_ response: HTTPResponse) throws -> [String: Any] {
        try jsonObject(try JSONSerialization.jsonObject(with: Data(response.body)))
    }

    /// Runs `body` and requires its answer to be `status` with the database byte-for-byte unchanged.
    func expectRefusal(_ status: Int, _ body: () throws -> HTTPResponse, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let before = try fixture.cli.dump()
        let response = try body()
        #expect(response.status == status, "\(response.bodyText)", sourceLocation: sourceLocation)
        #expect(try answer(response)["error"] is String, sourceLocation: sourceLocation)
        #expect(try fixture.cli.dump() == before, "the database changed", sourceLocation: sourceLocation)
    }

    @Test func aSignedPaymentIsAppliedAndPaysTheInvoiceAndActivatesTheBooking() throws {
        defer { fixture.remove() }
        let number = try fixture.planInvoice()
        #expect(try fixture.planStatus() == "pending")
        let total = try #require(try fixture.invoice(number)["total"] as? String)
        let response = try post(paymentBody(id: "evt_1", invoice: number, amount: total, paidAt: "2026-11-26T23:30:00-02:00"))
        #expect(response.status == 200)
        let json = try answer(response)
        #expect(json["status"] as? String == "applied")
        #expect(json["invoice"] as? String == number)
        #expect(json["invoice_status"] as? String == "paid")
        let invoice = try fixture.invoice(number)
        #expect(invoice["status"] as? String == "paid")
        #expect(invoice["paid"] as? String == total)
        #expect(try fixture.planStatus() == "active")
        #expect(try fixture.outbox().contains { $0["kind"] as? String == "receipt" })
        // The payment is dated the UTC day of paid_at (01:30 UTC on the 27th).
        let date = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"),
                                         [fixture.cli.database, "SELECT date, method, reference, event_id FROM payments"])
        #expect(date.stdout == "2026-11-27|webhook|evt_1|evt_1\n")
        let stored = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"),
                                           [fixture.cli.database, "SELECT id, status FROM webhook_events"])
        #expect(stored.stdout == "evt_1|applied\n")
    }

    @Test func aRedeliveryIsAnswered200DuplicateAndChangesNothing() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let body = paymentBody(id: "evt_dup", invoice: number, amount: "50.00")
        #expect(try post(body).status == 200)
        let before = try fixture.cli.dump()
        let again = try post(body, messageID: "msg_1")
        #expect(again.status == 200)
        let json = try answer(again)
        #expect(json["status"] as? String == "duplicate")
        #expect(json["invoice"] as? String == number)
        #expect(json["invoice_status"] as? String == "partially_paid")
        #expect(try fixture.cli.dump() == before)
        #expect(try fixture.paymentCount() == 1)
    }

    @Test func aPartialPaymentLeavesTheInvoicePartiallyPaid() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        #expect(try answer(try post(paymentBody(id: "evt_p1", invoice: number, amount: "19.00")))["invoice_status"] as? String
                == "partially_paid")
        #expect(try answer(try post(paymentBody(id: "evt_p2", invoice: number, amount: "100.00")))["invoice_status"] as? String
                == "paid")
    }

    @Test func otherEventTypesAreStoredAndIgnored() throws {
        defer { fixture.remove() }
        let body = Array(#"{"type":"payment.failed","data":{"id":"evt_f"}}"#.utf8)
        let response = try post(body)
        #expect(response.status == 200)
        #expect(try answer(response)["status"] as? String == "ignored")
        #expect(try fixture.paymentCount() == 0)
    }

    @Test func malformedBodiesAre400AndChangeNothing() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let bodies: [String] = [
            "not json", "[1]", #"{"data":{}}"#, #"{"type":"payment.succeeded"}"#,
            #"{"type":"payment.succeeded","data":{"invoice":"\#(number)","amount":"1.00","currency":"EUR","paid_at":"2026-11-25T10:00:00Z"}}"#,
            #"{"type":"payment.succeeded","data":{"id":"e","invoice":"\#(number)","amount":1.00,"currency":"EUR","paid_at":"2026-11-25T10:00:00Z"}}"#,
            #"{"type":"payment.succeeded","data":{"id":"e","invoice":"\#(number)","currency":"EUR","paid_at":"2026-11-25T10:00:00Z"}}"#,
        ]
        for body in bodies {
            try expectRefusal(400) { try post(Array(body.utf8)) }
        }
        for (amount, paidAt, currency) in [("1.005", "2026-11-25T10:00:00Z", "EUR"), ("1,00", "2026-11-25T10:00:00Z", "EUR"),
                                           ("0.00", "2026-11-25T10:00:00Z", "EUR"), ("-5.00", "2026-11-25T10:00:00Z", "EUR"),
                                           ("1.00", "2026-11-25", "EUR"), ("1.00", "2026-02-30T10:00:00Z", "EUR"),
                                           ("1.00", "2026-11-25T10:00:00+2:00", "EUR"), ("1.00", "2026-11-25T10:00:00Z", "EURO")] {
            try expectRefusal(400) { try post(paymentBody(id: "evt_bad", invoice: number, amount: amount, currency: currency, paidAt: paidAt)) }
        }
    }

    @Test func badSignaturesAndStaleTimestampsAre401AndChangeNothing() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let body = paymentBody(id: "evt_sig", invoice: number, amount: "10.00")
        try expectRefusal(401) { try post(body, signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=") }
        try expectRefusal(401) { try post(body, signature: "") }
        let old = String(Self.now - 301)
        let oldSignature = try TestSecret.pythonSignature(id: "msg_1", timestamp: old, body: body)
        try expectRefusal(401) { try post(body, timestamp: Self.now - 301, signature: oldSignature) }
        try expectRefusal(401) { try post(body, timestamp: Self.now + 301) }
        try expectRefusal(401) {
            handler.respond(to: HTTPRequest(method: "POST", target: "/webhooks/payments", body: body))
        }
        // Signed for another body: the body is what is verified.
        let other = try TestSecret.secret.signature(id: "msg_1", timestamp: String(Self.now), body: body + [32])
        try expectRefusal(401) { try post(body, signature: other) }
    }

    @Test func anUnknownInvoiceIs404AndAnIdIsNotANumber() throws {
        defer { fixture.remove() }
        _ = try fixture.issuedInvoice()
        try expectRefusal(404) { try post(paymentBody(id: "evt_u", invoice: "INV-2099-99999", amount: "10.00")) }
        try expectRefusal(404) { try post(paymentBody(id: "evt_u", invoice: "1", amount: "10.00")) }
    }

    @Test func aCurrencyMismatchACancelledOrPaidInvoiceIs409() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        try expectRefusal(409) { try post(paymentBody(id: "evt_c", invoice: number, amount: "10.00", currency: "CHF")) }
        let cancelled = try fixture.issuedInvoice(net: "20.00")
        try fixture.cli.ok("cancel", cancelled)
        try expectRefusal(409) { try post(paymentBody(id: "evt_x", invoice: cancelled, amount: "10.00")) }
        try fixture.cli.ok("pay", number, "--amount", "119.00")
        try expectRefusal(409) { try post(paymentBody(id: "evt_y", invoice: number, amount: "10.00")) }
    }

    @Test func aRefusedEventIsJudgedAfreshWhenRedelivered() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        try expectRefusal(409) { try post(paymentBody(id: "evt_r", invoice: number, amount: "10.00", currency: "CHF")) }
        #expect(try post(paymentBody(id: "evt_r", invoice: number, amount: "10.00")).status == 200)
    }

    @Test func wrongMethodsAre405UnknownPathsAre404AndHealthIs200() throws {
        defer { fixture.remove() }
        try expectRefusal(405) { try post([], method: "GET") }
        try expectRefusal(405) { try post([], method: "PUT") }
        try expectRefusal(404) { try post([], path: "/webhooks/other") }
        try expectRefusal(404) { handler.respond(to: HTTPRequest(method: "GET", target: "/")) }
        let health = handler.respond(to: HTTPRequest(method: "GET", target: "/healthz"))
        #expect(health.status == 200)
        #expect(try answer(health)["status"] as? String == "ok")
        try expectRefusal(405) { handler.respond(to: HTTPRequest(method: "POST", target: "/healthz")) }
    }
}
