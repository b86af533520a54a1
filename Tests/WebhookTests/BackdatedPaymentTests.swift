import Billing
import Documents
import Foundation
import HTTPServer
import Testing
import TestSupport
import Webhook
import Workflows

/// A provider's `paid_at` late in the evening UTC is dated the previous UTC day: before the plan
/// invoice was made. The booking must still be active once the event is recorded (issue 9).
struct BackdatedPaymentTests {
    // Mutation (mutants.tsv watcher-old-start-guard-webhook): in PaidStatusWatcher.activate, keep the old `guard start <= paidOn else { return true }` → this test fails.
    @Test func aWebhookPaymentDatedThePreviousUTCDayActivatesThePlanFromItsInvoiceDay() throws {
        let fixture = try BillingFixture("webhook-backdated")
        defer { fixture.remove() }
        let database = fixture.cli.database
        let outbox = Outbox(directory: Outbox.defaultDirectory(databasePath: database), renderer: try DocumentRenderer(),
                            clock: QueueClock(overrideDay: try Day(parsing: BillingFixture.today)))
        let handler = WebhookHandler(databasePath: try TestEngine.location(for: database), secret: try TestSecret.secret, outbox: outbox,
                                     today: try Day(parsing: BillingFixture.today), clock: { WebhookHandlerTests.now })
        let number = try fixture.planInvoice()
        let total = try #require(try fixture.invoice(number)["total"] as? String)
        let body = paymentBody(id: "evt_late", invoice: number, amount: total, paidAt: "2026-11-24T23:45:00Z")
        let stamp = String(WebhookHandlerTests.now)
        let request = HTTPRequest(method: "POST", target: "/webhooks/payments", headers: [
            HTTPHeader("webhook-id", "msg_late"), HTTPHeader("webhook-timestamp", stamp),
            HTTPHeader("webhook-signature", try TestSecret.secret.signature(id: "msg_late", timestamp: stamp, body: body)),
            HTTPHeader("Content-Type", "application/json"),
        ], body: body)
        let response = handler.respond(to: request)
        #expect(response.status == 200, "\(response.bodyText)")
        let plan = try jsonObject(try fixture.cli.json("plan", fixture.customer, "show"))
        #expect(plan["status"] as? String == "active")
        #expect(plan["start"] as? String == BillingFixture.today)
        #expect(plan["end"] as? String == "2026-12-24")
        // `invoice run` has nothing left to catch up.
        let run = try jsonObject(try fixture.cli.json("run", "--no-mail"))
        #expect(run["payments_caught_up"] as? Int == 0)
        #expect(try fixture.planStatus() == "active")
    }
}
