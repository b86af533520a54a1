import Foundation
import Testing
import TestSupport

/// The money rules over the network: `invoice serve` as a process, curl as the client, every delivery
/// signed by the reference implementation of Standard Webhooks (Python's `standardwebhooks` from PyPI).
@Suite(.serialized)
struct LiveMoneyTests {
    let fixture: BillingFixture

    init() throws { fixture = try BillingFixture("webhook-live-money") }

    /// The `webhook-signature` the reference library computes for this message.
    static func referenceSignature(id: String, timestamp: Int64, body: [UInt8]) throws -> String {
        let script = """
            import sys, datetime
            from standardwebhooks.webhooks import Webhook
            stamp = datetime.datetime.fromtimestamp(int(sys.argv[3]), tz=datetime.timezone.utc)
            print(Webhook(sys.argv[1]).sign(sys.argv[2], stamp, sys.stdin.buffer.read().decode()))
            """
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", "-c", script, TestSecret.text, id, String(timestamp)],
                                           stdin: Data(body), timeout: 30)
        guard result.status == 0 else { throw ProcessRunnerError.failed("standardwebhooks: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func post(_ server: ServerProcess, _ body: [UInt8], messageID: String) throws -> CurlAnswer {
        let stamp = Int64(Date().timeIntervalSince1970)
        let name = UUID().uuidString.prefix(8)
        let bodyFile = fixture.directory.path("body-\(name).json"), outFile = fixture.directory.path("answer-\(name).json")
        try Data(body).write(to: URL(fileURLWithPath: bodyFile))
        let signature = try Self.referenceSignature(id: messageID, timestamp: stamp, body: body)
        return try Curl.run(Curl.signedPost(url: server.url, bodyFile: bodyFile, outFile: outFile, messageID: messageID,
                                            timestamp: stamp, signature: signature), outFile: outFile)
    }

    /// Issue 8 end to end: money for a cancelled invoice → 200 credited; an unknown invoice → 202 kept and
    /// assignable; the same id with another amount → 409 and nothing changes; an impossible date → 400.
    /// Mutation (mutants.tsv webhook-unmatched-200): answer `unmatched` with 200 (`httpStatus` always 200) → this test fails.
    @Test func moneyIsNeverRefusedOverTheNetwork() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let cancelled = try fixture.issuedInvoice(net: "20.00")
        try fixture.cli.ok("cancel", cancelled)
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }

        let credited = try post(server, paymentBody(id: "evt_live_c", invoice: cancelled, amount: "23.80"), messageID: "m1")
        #expect(credited.status == 200)
        #expect(credited.json["status"] as? String == "credited")
        let unknown = try post(server, paymentBody(id: "evt_live_u", invoice: "INV-1999-00001", amount: "5.00"), messageID: "m2")
        #expect(unknown.status == 202)
        #expect(unknown.json["status"] as? String == "unmatched")
        let before = try fixture.cli.dump()
        let conflict = try post(server, paymentBody(id: "evt_live_c", invoice: cancelled, amount: "23.81"), messageID: "m3")
        #expect(conflict.status == 409)
        let badDay = try post(server, paymentBody(id: "evt_live_d", invoice: number, amount: "1.00",
                                                  paidAt: "9999-12-31T23:30:00-01:00"), messageID: "m4")
        #expect(badDay.status == 400)
        #expect(try fixture.cli.dump() == before)
        let again = try post(server, paymentBody(id: "evt_live_c", invoice: cancelled, amount: "23.80"), messageID: "m1")
        #expect(again.json["status"] as? String == "duplicate")

        let customer = try jsonObject(try fixture.cli.json("customer", "show", fixture.customer))
        #expect(customer["credit_balance"] as? String == "23.80")
        try fixture.cli.ok("payments", "assign", "evt_live_u", number)
        #expect(try fixture.invoice(number)["paid"] as? String == "5.00")
        // The invoice the extreme date named still works.
        #expect(try fixture.invoice(number)["status"] as? String == "partially_paid")
    }
}
