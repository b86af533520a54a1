import Billing
import Foundation
import Store
import Synchronization
import Testing
import TestSupport
@testable import Webhook

/// Group commit in process: a batch of events in one transaction, each in its own savepoint, each
/// answered only once the transaction is committed.
struct EventCommitterTests {
    let fixture: BillingFixture
    let handler: WebhookHandler

    init() throws {
        fixture = try BillingFixture("webhook-commit")
        handler = WebhookHandler(databasePath: try fixture.cli.location(), secret: try TestSecret.secret, outbox: nil)
    }

    /// The status of an event row as another connection (the sqlite3 shell, or one of its own on PostgreSQL) sees it: only committed data.
    static func committedStatus(_ database: String, _ id: String) throws -> String {
        try TestEngine.sql(database, "SELECT status FROM webhook_events WHERE id = '\(id)'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Mutation (mutants.tsv webhook-no-savepoint): apply each event without its savepoint (`store.write` instead of `store.isolated` in
    /// `WebhookHandler.applying`) → the refused event's row stays in the batch's transaction and this
    /// test fails; replying inside the transaction (before COMMIT) → the replies see nothing committed
    /// and this test fails (both checked).
    @Test func aRefusedEventInABatchLeavesNoTraceTheOthersApplyAndAllAreAnsweredAfterCommit() throws {
        defer { fixture.remove() }
        let first = try fixture.issuedInvoice(net: "10.00"), second = try fixture.issuedInvoice(net: "20.00")
        let bodies = [
            paymentBody(id: "evt_b1", invoice: first, amount: "5.00"),
            // Refused (a payment date after tomorrow; an unknown invoice would be kept as unmatched).
            paymentBody(id: "evt_b2", invoice: first, amount: "5.00", paidAt: "2099-01-01T10:00:00Z"),
            paymentBody(id: "evt_b3", invoice: second, amount: "23.80"),
            paymentBody(id: "evt_b1", invoice: first, amount: "5.00"),
        ]
        let database = fixture.cli.database
        let answers = Mutex<[(status: String, committed: String)]>([])
        let batch = try bodies.map { body in
            let event = try PaymentEvent(body: body)
            return EventCommitter.Submission(event: event, payload: String(decoding: body, as: UTF8.self)) { result in
                let status: String
                switch result {
                case .success(let outcome): status = outcome.status
                case .failure(let error): status = String(error.status)
                }
                let committed: String
                do { committed = try EventCommitterTests.committedStatus(database, event.id) } catch {
                    committed = "sqlite3 failed: \(error)"
                }
                answers.withLock { $0.append((status, committed)) }
            }
        }
        let committer = EventCommitter(handler: handler)
        defer { committer.stop() }
        committer.commit(batch, store: try Store(path: try TestEngine.location(for: database)))

        let seen = answers.withLock { $0 }
        #expect(seen.map(\.status) == ["applied", "400", "applied", "duplicate"])
        #expect(seen.map(\.committed) == ["applied", "", "applied", "applied"])
        #expect(try fixture.paymentCount() == 2)
        #expect(try fixture.invoice(first)["status"] as? String == "partially_paid")
        #expect(try fixture.invoice(second)["status"] as? String == "paid")
        #expect(try EventCommitterTests.committedStatus(database, "evt_b2") == "")
    }

    /// Events submitted from many threads at once are all answered, each exactly once, and `stop()`
    /// returns with the database closed (a reader right after it is not refused as locked).
    @Test func eventsFromManyThreadsAreEachAnsweredOnce() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice(net: "1000.00")
        let committer = EventCommitter(handler: handler)
        let replies = Mutex<[String]>([])
        let done = DispatchGroup()
        let events = try (0..<40).map { index in
            let body = paymentBody(id: "evt_t\(index)", invoice: number, amount: "1.00")
            return (try PaymentEvent(body: body), String(decoding: body, as: UTF8.self))
        }
        for (event, payload) in events {
            done.enter()
            DispatchQueue.global().async {
                committer.submit(event, payload: payload) { result in
                    let status: String
                    switch result {
                    case .success(let outcome): status = outcome.status
                    case .failure(let error): status = "\(error.status) \(error.message)"
                    }
                    replies.withLock { $0.append(status) }
                    done.leave()
                }
            }
        }
        #expect(done.wait(timeout: .now() + 30) == .success)
        committer.stop()
        #expect(replies.withLock { $0 }.sorted() == Array(repeating: "applied", count: 40))
        let payments = try fixture.paymentCount()
        #expect(payments == 40)
    }
}
