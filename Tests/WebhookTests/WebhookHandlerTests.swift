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
        handler = WebhookHandler(databasePath: try TestEngine.location(for: database), secret: try TestSecret.secret, outbox: outbox,
                                 today: try Day(parsing: BillingFixture.today), clock: { WebhookHandlerTests.now })
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
        let response = try post(paymentBody(id: "evt_1", invoice: number, amount: total, paidAt: "2026-11-25T23:30:00-02:00"))
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
        // The payment is dated the UTC day of paid_at (01:30 UTC on the 26th).
        #expect(try fixture.cli.sql("SELECT date, method, reference, event_id FROM payments") == "2026-11-26|webhook|evt_1|evt_1\n")
        #expect(try fixture.cli.sql("SELECT id, status FROM webhook_events") == "evt_1|applied\n")
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

    /// Issue 8: an event for an unknown invoice was answered 404 and lost.
    /// Mutation (mutants.tsv webhook-unknown-404): `return try unmatched(…)` for an unknown invoice → `throw WebhookError(404, …)` → this test fails.
    @Test func anUnknownInvoiceIsKeptAsUnmatchedAndCanBeAssigned() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let response = try post(paymentBody(id: "evt_u", invoice: "INV-2099-99999", amount: "10.00"))
        #expect(response.status == 202)
        #expect(try answer(response)["status"] as? String == "unmatched")
        // An id is not a number: "1" is unknown too.
        #expect(try post(paymentBody(id: "evt_u2", invoice: "1", amount: "5.00")).status == 202)
        let unmatched = try #require(try fixture.cli.json("payments", "unmatched") as? [[String: Any]])
        #expect(unmatched.map { $0["event"] as? String } == ["evt_u", "evt_u2"])
        #expect(unmatched.first?["amount"] as? String == "10.00")
        #expect(try fixture.paymentCount() == 0)
        try fixture.cli.ok("payments", "assign", "evt_u", number)
        #expect(try fixture.invoice(number)["paid"] as? String == "10.00")
        #expect((try fixture.cli.json("payments", "unmatched") as? [[String: Any]])?.count == 1)
        // Assigned once only; a redelivery of the assigned event is a duplicate and changes nothing.
        let again = try fixture.cli.run("payments", "assign", "evt_u", number)
        #expect(again.status == 1)
        #expect(again.stderr.contains("assigned already"))
        let before = try fixture.cli.dump()
        #expect(try answer(try post(paymentBody(id: "evt_u", invoice: "INV-2099-99999", amount: "10.00")))["status"] as? String == "duplicate")
        #expect(try fixture.cli.dump() == before)
    }

    /// Issue 8: money for a cancelled or paid invoice was answered 409 and recorded nowhere.
    /// Mutation (mutants.tsv webhook-settled-409): in `WebhookHandler.apply` answer `.cancelled`/`.paid` with 409 again → this test fails.
    @Test func moneyForACancelledOrPaidInvoiceBecomesCreditAndAnotherCurrencyIsUnmatched() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let other = try post(paymentBody(id: "evt_c", invoice: number, amount: "10.00", currency: "CHF"))
        #expect(other.status == 202)
        #expect(try answer(other)["status"] as? String == "unmatched")
        let cancelled = try fixture.issuedInvoice(net: "20.00")
        try fixture.cli.ok("cancel", cancelled)
        let late = try post(paymentBody(id: "evt_x", invoice: cancelled, amount: "10.00"))
        #expect(late.status == 200)
        #expect(try answer(late)["status"] as? String == "credited")
        try fixture.cli.ok("pay", number, "--amount", "119.00")
        let twice = try post(paymentBody(id: "evt_y", invoice: number, amount: "10.00"))
        #expect(try answer(twice)["status"] as? String == "credited")
        let customer = try jsonObject(try fixture.cli.json("customer", "show", fixture.customer))
        #expect(customer["credit_balance"] as? String == "20.00")
        #expect(try fixture.paymentCount() == 3)
    }

    /// Issue 8: the same event id with another payload was answered 200 "duplicate" and the payment lost.
    /// Mutation (mutants.tsv webhook-same-payload): drop the `samePayload` check (every known id is a duplicate) → this test fails.
    @Test func theSameEventIdWithAnotherPayloadIsAConflictAndChangesNothing() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let second = try fixture.issuedInvoice(net: "30.00")
        #expect(try post(paymentBody(id: "evt_same", invoice: number, amount: "10.00")).status == 200)
        try expectRefusal(409) { try post(paymentBody(id: "evt_same", invoice: number, amount: "11.00")) }
        try expectRefusal(409) { try post(paymentBody(id: "evt_same", invoice: second, amount: "10.00")) }
        let pending = Array(#"{"type":"payment.pending","data":{"id":"evt_pend"}}"#.utf8)
        #expect(try answer(try post(pending))["status"] as? String == "ignored")
        try expectRefusal(409) { try post(paymentBody(id: "evt_pend", invoice: number, amount: "5.00")) }
        // The same JSON with other whitespace is the same event.
        let spaced = Array(String(decoding: paymentBody(id: "evt_same", invoice: number, amount: "10.00"), as: UTF8.self)
            .replacingOccurrences(of: ",", with: ", ").utf8)
        #expect(try answer(try post(spaced))["status"] as? String == "duplicate")
        #expect(try fixture.paymentCount() == 1)
    }

    /// Issue 8: extreme paid_at values were stored as days the store cannot read back (0000-12-31,
    /// 10000-01-01) and broke the invoice; ids of 141–200 characters or with U+2028 gave 500 forever.
    /// Mutation (mutants.tsv rfc3339-no-year-bound): remove the year bound in `RFC3339.utcDay` → this test fails (the payment is stored).
    @Test func impossibleDatesAndUnstorableIdsAre400AndTheInvoiceStaysUsable() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        for paidAt in ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "2024-11-24T10:00:00Z", "2026-11-27T10:00:00Z"] {
            try expectRefusal(400) { try post(paymentBody(id: "evt_d", invoice: number, amount: "1.00", paidAt: paidAt)) }
        }
        // Money for an unknown invoice is kept as unmatched, dated: a day the store cannot read back is refused
        // there too (no issue date limits it).
        for paidAt in ["0001-01-01T00:30:00+01:00", "0999-06-01T10:00:00Z"] {
            try expectRefusal(400) { try post(paymentBody(id: "evt_u", invoice: "INV-1999-99999", amount: "1.00", paidAt: paidAt)) }
        }
        for id in [String(repeating: "e", count: 141), String(repeating: "e", count: 200), "evt\\u2028x", "evt\\u2029x"] {
            try expectRefusal(400) { try post(paymentBody(id: id, invoice: number, amount: "1.00")) }
        }
        #expect(try post(paymentBody(id: String(repeating: "e", count: 140), invoice: number, amount: "1.00")).status == 200)
        #expect(try fixture.invoice(number)["paid"] as? String == "1.00")
        try fixture.cli.ok("cancel", number)
    }

    /// Mutation (mutants.tsv webhook-refund-ignored): `payment.refunded` ignored like other types → this test fails.
    @Test func aProviderRefundOfAPaidInvoiceIsACreditNoteMarkedRefunded() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        try fixture.cli.ok("pay", number, "--amount", "119.00")
        let body = Array(#"{"type":"payment.refunded","data":{"id":"re_1","invoice":"\#(number)","amount":"19.00","currency":"EUR","refunded_at":"2026-11-25T09:00:00Z"}}"#.utf8)
        let response = try post(body)
        #expect(response.status == 200)
        #expect(try answer(response)["status"] as? String == "refunded")
        let invoice = try fixture.invoice(number)
        #expect(invoice["credited"] as? String == "19.00")
        let notes = try #require(try fixture.cli.json("list", "--type", "credit_note") as? [[String: Any]])
        #expect(notes.count == 1)
        #expect(notes.first?["refunded"] as? String == "19.00")
        #expect(notes.first?["total"] as? String == "19.00")
        #expect(notes.first?["invoice"] as? String == number)
        #expect(try jsonObject(try fixture.cli.json("customer", "show", fixture.customer))["credit_balance"] as? String == "0.00")
    }

    /// A refund of everything that was paid is a credit note of the whole invoice, refunded: not an
    /// unmatched event for the operator.
    /// Mutation: mutants.tsv refund-full-amount (`amount <= invoice.creditable` → `<` in WebhookHandler.refund)
    /// → the full refund is parked as unmatched (202) and this test fails.
    @Test func aProviderRefundOfTheWholePaidAmountCancelsTheInvoiceWithARefundedCreditNote() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        try fixture.cli.ok("pay", number, "--amount", "119.00")
        let body = Array(#"{"type":"payment.refunded","data":{"id":"re_all","invoice":"\#(number)","amount":"119.00","currency":"EUR","refunded_at":"2026-11-25T09:00:00Z"}}"#.utf8)
        let response = try post(body)
        #expect(response.status == 200, "\(response.bodyText)")
        let json = try answer(response)
        #expect(json["status"] as? String == "refunded")
        #expect(json["invoice_status"] as? String == "cancelled")
        let invoice = try fixture.invoice(number)
        #expect(invoice["credited"] as? String == "119.00")
        #expect(invoice["status"] as? String == "cancelled")
        let notes = try #require(try fixture.cli.json("list", "--type", "credit_note") as? [[String: Any]])
        #expect(notes.count == 1)
        #expect(notes.first?["total"] as? String == "119.00")
        #expect(notes.first?["refunded"] as? String == "119.00")
        #expect(try jsonObject(try fixture.cli.json("customer", "show", fixture.customer))["credit_balance"] as? String == "0.00")
        // One cent more than was paid is not this invoice's refund: the operator decides.
        let second = try fixture.issuedInvoice()
        try fixture.cli.ok("pay", second, "--amount", "119.00")
        let over = Array(#"{"type":"payment.refunded","data":{"id":"re_over","invoice":"\#(second)","amount":"119.01","currency":"EUR","refunded_at":"2026-11-25T09:00:00Z"}}"#.utf8)
        #expect(try post(over, messageID: "msg_2").status == 202)
        #expect(try fixture.invoice(second)["status"] as? String == "paid")
    }

    @Test func aRefusedEventIsJudgedAfreshWhenRedelivered() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        try expectRefusal(400) { try post(paymentBody(id: "evt_r", invoice: number, amount: "10.00", paidAt: "2030-01-01T00:00:00Z")) }
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
