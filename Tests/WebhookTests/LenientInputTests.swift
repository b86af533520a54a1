import Billing
import Documents
import Foundation
import HTTPServer
import Testing
import TestSupport
import Webhook
import Workflows

/// Issue 24's lenient inputs, decided: currency codes in any case (providers send `eur`), a key twice in
/// one object refused (JSONSerialization silently takes the last), and the event id's limit counted in
/// the unit its message names (Unicode code points, as a database column counts).
struct LenientInputTests {
    static let now: Int64 = 1_795_000_000
    let fixture: BillingFixture
    let handler: WebhookHandler

    init() throws {
        fixture = try BillingFixture("webhook-lenient")
        let database = fixture.cli.database
        let outbox = Outbox(directory: Outbox.defaultDirectory(databasePath: database), renderer: try DocumentRenderer(),
                            clock: QueueClock(overrideDay: try Day(parsing: BillingFixture.today)))
        handler = WebhookHandler(databasePath: try TestEngine.location(for: database), secret: try TestSecret.secret, outbox: outbox,
                                 today: try Day(parsing: BillingFixture.today), clock: { LenientInputTests.now })
    }

    func post(_ body: [UInt8], messageID: String = "msg_1") throws -> (status: Int, json: [String: Any]) {
        let stamp = String(LenientInputTests.now)
        let request = HTTPRequest(method: "POST", target: "/webhooks/payments", headers: [
            HTTPHeader("webhook-id", messageID), HTTPHeader("webhook-timestamp", stamp),
            HTTPHeader("webhook-signature", try TestSecret.secret.signature(id: messageID, timestamp: stamp, body: body)),
        ], body: body)
        let response = handler.respond(to: request)
        return (response.status, try jsonObject(try JSONSerialization.jsonObject(with: Data(response.body))))
    }

    func sql(_ query: String) throws -> String {
        try fixture.cli.sql(query).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stripe sends `"currency": "eur"`: taken as EUR, like `EUR` and `Eur`; the invoice is paid in EUR.
    /// Mutation (mutants.tsv currency-case): Currency.swift: the code is looked up as given (no uppercasing) →
    /// `eur` is answered 400, test fails.
    @Test func currencyCodesAreTakenInAnyCase() throws {
        defer { fixture.remove() }
        for (index, code) in ["eur", "EUR", "Eur"].enumerated() {
            let number = try fixture.issuedInvoice()
            let answer = try post(paymentBody(id: "evt_case_\(index)", invoice: number, amount: "119.00", currency: code),
                                  messageID: "msg_case_\(index)")
            #expect(answer.status == 200, "\(code): \(answer.json)")
            #expect(answer.json["status"] as? String == "applied", "\(code): \(answer.json)")
            #expect(try fixture.invoice(number)["status"] as? String == "paid", "\(code)")
        }
        #expect(try sql("SELECT count(*) FROM payments") == "3")
        #expect(try sql("SELECT count(*) FROM unmatched_payments") == "0")
        let unknown = try post(paymentBody(id: "evt_case_x", invoice: try fixture.issuedInvoice(), amount: "1.00", currency: "eux"),
                               messageID: "msg_case_x")
        #expect(unknown.status == 400, "\(unknown.json)")
        #expect((unknown.json["error"] as? String)?.contains("data.currency") == true, "\(unknown.json)")
    }

    /// `"amount"` twice (also once escaped as `\u0061mount`, or `type` twice at the top): 400 naming the key,
    /// the database byte for byte unchanged. One key per object in several objects (the top-level `id` and
    /// `data.id`, as providers send them) is fine.
    /// Mutation (mutants.tsv json-duplicate-keys): PaymentEvent.swift: the duplicate-key check is skipped →
    /// the last amount is paid (200), test fails.
    /// Mutation (mutants.tsv json-duplicate-escaped): JSONDuplicateKeys.swift: `\u` escapes not decoded (raw
    /// bytes compared) → the escaped twin passes, test fails.
    @Test func aKeyTwiceInOneObjectIsRefusedAndNothingIsRecorded() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let before = try fixture.cli.dump()
        let bodies = [
            #"{"type":"payment.succeeded","data":{"id":"evt_d1","invoice":"\#(number)","amount":"1.00","amount":"119.00","currency":"EUR","paid_at":"2026-11-25T10:00:00Z"}}"#,
            #"{"type":"payment.succeeded","data":{"id":"evt_d2","invoice":"\#(number)","amount":"1.00","\u0061mount":"119.00","currency":"EUR","paid_at":"2026-11-25T10:00:00Z"}}"#,
            #"{"type":"payment.refunded","type":"payment.succeeded","data":{"id":"evt_d3","invoice":"\#(number)","amount":"119.00","currency":"EUR","paid_at":"2026-11-25T10:00:00Z"}}"#,
        ]
        for (index, body) in bodies.enumerated() {
            let answer = try post(Array(body.utf8), messageID: "msg_d\(index)")
            #expect(answer.status == 400, "\(body): \(answer.json)")
            let key = index == 2 ? "type" : "amount"
            #expect(answer.json["error"] as? String == "the body has the key \"\(key)\" twice in one object; send each key once",
                    "\(answer.json)")
        }
        #expect(try fixture.cli.dump() == before, "a refused body changed the database")

        let nested = #"{"id":"msg_top","type":"payment.succeeded","data":{"id":"evt_ok","invoice":"\#(number)","amount":"119.00","currency":"EUR","paid_at":"2026-11-25T10:00:00Z","meta":[{"k":"a"},{"k":"b"}]}}"#
        let accepted = try post(Array(nested.utf8), messageID: "msg_ok")
        #expect(accepted.status == 200 && accepted.json["status"] as? String == "applied", "\(accepted.json)")
    }

    /// The scanner itself: keys inside strings, escapes, nesting and arrays.
    @Test func duplicateKeysAreFoundWhereverTheyAreAndOnlyThere() {
        #expect(JSONDuplicateKeys.first(in: Array(#"{"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]}"#.utf8)) == nil)
        #expect(JSONDuplicateKeys.first(in: Array(#"{"a":"{\"a\":1,\"a\":2}","b":"a"}"#.utf8)) == nil)
        #expect(JSONDuplicateKeys.first(in: Array(#"{"x":[1,{"y":{"z":1,"z":2}}]}"#.utf8)) == "z")
        #expect(JSONDuplicateKeys.first(in: Array(#"{"é":1,"\u00e9":2}"#.utf8)) == "é")
        #expect(JSONDuplicateKeys.first(in: Array(#"{"😀":1,"\ud83d\ude00":2}"#.utf8)) == "😀")
        #expect(JSONDuplicateKeys.first(in: Array(#"{"a\"b":1,"a\u0022b":2}"#.utf8)) == "a\"b")
        #expect(JSONDuplicateKeys.first(in: Array(#"[{"a":1},{"b":2,"b":3}]"#.utf8)) == "b")
    }

    /// 140 × (e + combining acute) is 140 Characters but 280 code points: refused, and the message says the unit
    /// and the count; 70 of them (140 code points) are taken, and so are 140 ASCII letters, 141 are not.
    /// Mutation (mutants.tsv event-id-scalars): PaymentEvent.swift: the length counted in Characters → the 280
    /// code points pass as 140, test fails.
    @Test func theEventIDLimitCountsCodePointsAndSaysSo() throws {
        defer { fixture.remove() }
        let accent = "e\u{301}"
        let tooLong = String(repeating: accent, count: 140)
        #expect(tooLong.count == 140 && tooLong.unicodeScalars.count == 280)
        let refused = try post(paymentBody(id: tooLong, invoice: try fixture.issuedInvoice(), amount: "1.00"), messageID: "msg_l1")
        #expect(refused.status == 400)
        #expect(refused.json["error"] as? String == "data.id must be one line of 1 to 140 Unicode code points (it has 280)",
                "\(refused.json)")
        let ascii = try post(paymentBody(id: String(repeating: "e", count: 141), invoice: try fixture.issuedInvoice(), amount: "1.00"),
                             messageID: "msg_l2")
        #expect(ascii.status == 400 && (ascii.json["error"] as? String)?.hasSuffix("(it has 141)") == true, "\(ascii.json)")
        #expect(try sql("SELECT count(*) FROM webhook_events") == "0")

        for (index, id) in [String(repeating: accent, count: 70), String(repeating: "e", count: 140)].enumerated() {
            let answer = try post(paymentBody(id: id, invoice: try fixture.issuedInvoice(), amount: "1.00"), messageID: "msg_ok\(index)")
            #expect(answer.status == 200, "\(answer.json)")
        }
        #expect(try sql("SELECT count(*) FROM payments") == "2")
    }

    /// `invoice new --from FILE.json` carries prices: a key twice there is one clear line, exit 1, no draft.
    /// Mutation (mutants.tsv json-duplicate-file): InvoiceCommands.swift: the duplicate-key check is skipped →
    /// the draft is created with the last price, test fails.
    @Test func aPriceTwiceInAnInvoiceFileIsRefused() throws {
        defer { fixture.remove() }
        let file = fixture.directory.path("lines.json")
        try Data(#"{"title":"Work","lines":[{"title":"Consulting","quantity":"1","unit_price":"10.00","unit_price":"1000.00","vat_rate":"19"}]}"#.utf8)
            .write(to: URL(fileURLWithPath: file))
        let before = try fixture.cli.dump()
        let result = try fixture.cli.run("new", fixture.customer, "--from", file)
        #expect(result.status == 1)
        #expect(result.stderr == "invoice: \(file) has the key \"unit_price\" twice in one object; write each key once\n")
        #expect(try fixture.cli.dump() == before)
    }
}
