import Billing
import Foundation
import HTTPServer
import Testing
import TestSupport
import Webhook

/// Issue 19: events reach a real receiver on 127.0.0.1 that verifies each request with the reference
/// `standardwebhooks` library; retries, timeouts, 410 and rotation as the operator sees them.
@Suite struct EventDeliveryTests {
    static let whsec = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    func desk(_ directory: TemporaryDirectory, today: String = "2026-11-25") throws -> (InvoiceCLI, String) {
        let cli = try InvoiceCLI.creating(database: directory.path("events.sqlite"), today: today, workingDirectory: directory.url)
        try cli.ok("settings", "set", "company", "Rappen AG")
        try cli.ok("settings", "set", "email", "billing@rappen.example")
        let customer = try cli.ok("customer", "add", "--company", "Kasse GmbH", "--email", "ap@kasse.ch",
                                  "--country", "CH", "--currency", "CHF", "--language", "de")
        try cli.ok("catalog", "add-plan", "Business", "--currency", "CHF", "--monthly", "50.00", "--yearly", "500.00", "--vat", "8.1")
        return (cli, customer)
    }

    /// Adds an endpoint for the receiver's `path` (answering `mode`); returns its id and secret.
    func endpoint(_ cli: InvoiceCLI, _ receiver: EventReceiver, _ path: String, mode: String = "ok",
                  extra: [String] = []) throws -> (id: String, secret: String) {
        let added = try #require(try cli.json(["endpoints", "add", receiver.url(path)] + extra) as? [String: Any])
        let secret = try #require(added["secret"] as? String)
        try receiver.set(path, mode: mode, secrets: [secret])
        return (String(try #require(added["id"] as? Int)), secret)
    }

    static func attempts(_ cli: InvoiceCLI, event: Int) throws -> [[String: Any]] {
        let shown = try #require(try cli.json("events", "show", String(event)) as? [String: Any])
        let deliveries = try #require(shown["deliveries"] as? [[String: Any]])
        return try deliveries.flatMap { try #require($0["attempts_made"] as? [[String: Any]]) }
    }

    static func deliveryStates(_ cli: InvoiceCLI) throws -> [String] {
        let list = try #require(try cli.json("events", "list") as? [[String: Any]])
        return try list.flatMap { row in try #require(row["deliveries"] as? [[String: Any]]).map { $0["state"] as? String ?? "?" } }
    }

    // Mutation (mutants.tsv event-signature-timestamp): sign with another timestamp than the header's → standardwebhooks rejects every request.
    @Test("the lifecycle reaches the receiver: each request verified by standardwebhooks, in sequence order, payload = --json then")
    func lifecycleDelivered() throws {
        let directory = try TemporaryDirectory("event-delivery")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let (cli, customer) = try desk(directory)
        let hook = try endpoint(cli, receiver, "/app")
        // Events written before the endpoint existed are not sent to it.
        try cli.ok("customer", "edit", customer, "--town", "Bern")
        var expected: [(type: String, object: NSMutableDictionary?)] = [("customer.updated", try EventDeliveryTests.object(cli.json("customer", "show", customer)))]
        let activated = try #require(try cli.json("plan", customer, "activate", "Business", "--monthly") as? [String: Any])
        let number = try #require(activated["invoice"] as? String)
        expected.append(("invoice.issued", try EventDeliveryTests.object(cli.json("show", number), without: "mail")))
        try cli.ok("pay", number, "--amount", "54.05")
        let paid = try EventDeliveryTests.object(cli.json("show", number), without: "mail")
        expected += [("payment.received", paid), ("invoice.paid", paid),
                     ("booking.activated", try EventDeliveryTests.object(cli.json("plan", customer, "show"), without: "change"))]
        let run = try #require(try cli.json("events", "run") as? [String: Any])
        #expect(run["delivered"] as? Int == 5)
        let credit = try cli.ok("credit-note", number, "--amount", "10.00", "--reason", "goodwill", "--refund")
        expected.append(("credit_note.issued", try EventDeliveryTests.object(cli.json("show", credit), without: "mail")))
        expected.append(("payment.refunded", nil))
        try cli.ok("plan", customer, "cancel")
        expected.append(("booking.cancelled", try EventDeliveryTests.object(cli.json("plan", customer, "show"), without: "change")))
        // A second run sends only what is new; a third finds nothing due.
        #expect((try cli.json("events", "run") as? [String: Any])?["delivered"] as? Int == 3)
        #expect((try cli.json("events", "run") as? [String: Any])?["delivered"] as? Int == 0)

        let requests = try receiver.requests("/app")
        #expect(requests.count == expected.count)
        #expect(requests.allSatisfy { $0.verified == [true] }, "\(requests.map(\.verified))")
        #expect(Set(requests.map(\.id)).count == requests.count)
        var sequences: [Int] = []
        for (request, want) in zip(requests, expected) {
            let payload = try request.payload()
            #expect(payload["type"] as? String == want.type)
            let data = try #require(payload["data"] as? [String: Any])
            sequences.append(try #require(data["sequence"] as? Int))
            #expect(data["customer"] as? Int == Int(customer))
            if let object = want.object {
                let copy = NSMutableDictionary(dictionary: data)
                copy.removeObjects(forKeys: ["sequence", "customer", "payment"])
                object.removeObjects(forKeys: ["customer"])
                #expect(copy == object, "\(want.type)")
                #expect((data["payment"] as? [String: Any])?["amount"] as? String == (want.type == "payment.received" ? "54.05" : nil))
            }
        }
        #expect(sequences == Array(2...(expected.count + 1)))
        let refund = try #require(try requests.first { try $0.payload()["type"] as? String == "payment.refunded" }?.payload()["data"] as? [String: Any])
        #expect(refund["refunded"] as? String == "10.00")
        _ = hook
    }

    static func object(_ value: Any, without key: String? = nil) throws -> NSMutableDictionary {
        let copy = NSMutableDictionary(dictionary: try #require(value as? [String: Any]))
        if let key { copy.removeObject(forKey: key) }
        return copy
    }

    // Mutation (mutants.tsv event-retry-backoff): retry at once (nextAttemptAt = clock.now) → the immediate second run attempts again.
    // Mutation (mutants.tsv event-max-attempts): never fail (delay ignores maxAttempts) → the always-500 delivery stays pending.
    @Test("500 then ok: retried as scheduled by the queue clock, same webhook-id; after event_max_attempts failed; redeliver --failed")
    func retriesThenFails() throws {
        let directory = try TemporaryDirectory("event-retry")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let (cli, customer) = try desk(directory)
        try cli.ok("settings", "set", "event_max_attempts", "3")
        try cli.ok("settings", "set", "event_backoff", "3600,7200")
        _ = try endpoint(cli, receiver, "/flaky", mode: "fail:2")
        let broken = try endpoint(cli, receiver, "/broken", mode: "fail:99")
        try cli.ok("customer", "edit", customer, "--town", "Bern")
        let event = try #require((try cli.json("events", "list") as? [[String: Any]])?.last?["id"] as? Int)
        #expect((try cli.json("events", "run") as? [String: Any])?["retrying"] as? Int == 2)
        // Not due yet (an hour ± 20 %): nothing is attempted.
        let again = try #require(try cli.json("events", "run") as? [String: Any])
        #expect(again["delivered"] as? Int == 0)
        #expect(again["retrying"] as? Int == 0)
        #expect(try receiver.requests().count == 2)
        // Two and four days later (the queue clock follows --date): the second and third attempts.
        try InvoiceCLI(database: cli.database, today: "2026-11-27", workingDirectory: directory.url).ok("events", "run")
        let later = InvoiceCLI(database: cli.database, today: "2026-11-29", workingDirectory: directory.url)
        try later.ok("events", "run")
        let statuses = try EventDeliveryTests.attempts(later, event: event).map { $0["status"] as? Int ?? -1 }
        #expect(statuses.sorted() == [200, 500, 500, 500, 500, 500])
        let flaky = try receiver.requests("/flaky")
        #expect(flaky.map(\.status) == [500, 500, 200])
        #expect(Set(flaky.map(\.id)) == ["evt_\(event)"])
        #expect(Set(flaky.map(\.body)).count == 1)
        #expect(flaky.allSatisfy { $0.verified == [true] })
        #expect(try receiver.requests("/broken").count == 3)
        let failed = try #require(try later.json("events", "list", "--state", "failed") as? [[String: Any]])
        #expect(failed.map { $0["id"] as? Int } == [event])
        let shown = try later.run("events", "show", String(event))
        #expect(shown.stdout.contains("HTTP 500"), "\(shown.stdout)")
        #expect(shown.stdout.contains("“nope”"), "\(shown.stdout)")
        try receiver.set("/broken", mode: "ok", secrets: [broken.secret])
        #expect((try later.json("events", "redeliver", "--failed") as? [String: Any])?["queued"] as? Int == 1)
        #expect((try later.json("events", "run") as? [String: Any])?["delivered"] as? Int == 1)
        #expect(try EventDeliveryTests.deliveryStates(later) == ["delivered", "delivered"])
    }

    // Mutation (mutants.tsv event-failing-endpoint-kept): keep claiming an endpoint that failed in this run → the hanging one is tried for every event.
    @Test("a hanging endpoint times out (event_timeout) and never delays the healthy one")
    func hangingEndpointDoesNotDelayOthers() throws {
        let directory = try TemporaryDirectory("event-hang")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let (cli, customer) = try desk(directory)
        try cli.ok("settings", "set", "event_timeout", "2")
        _ = try endpoint(cli, receiver, "/hang", mode: "hang")
        _ = try endpoint(cli, receiver, "/ok")
        for town in ["Bern", "Biel", "Thun", "Chur", "Sion"] { try cli.ok("customer", "edit", customer, "--town", town) }
        let started = Date().timeIntervalSince1970
        let run = try #require(try cli.json("events", "run", "--connections", "2") as? [String: Any])
        let elapsed = Date().timeIntervalSince1970 - started
        #expect(run["delivered"] as? Int == 5)
        #expect(run["retrying"] as? Int == 1)
        let ok = try receiver.requests("/ok")
        #expect(ok.count == 5)
        // All five reached the healthy endpoint while the hanging one still had its first request open.
        #expect(ok.allSatisfy { $0.at - started < 1.9 }, "\(ok.map { $0.at - started })")
        #expect(elapsed < 8, "\(elapsed)")
        let events = try #require(try cli.json("events", "list") as? [[String: Any]]).compactMap { $0["id"] as? Int }
        let hung = try events.flatMap { try EventDeliveryTests.attempts(cli, event: $0) }.filter { ($0["status"] as? Int) == 0 }
        #expect(hung.count == 1)
        #expect((hung.first?["error"] as? String)?.contains("no answer within 2 s") == true, "\(hung)")
        #expect(((hung.first?["latency_ms"] as? Int) ?? 0) >= 1_900)
    }

    // Mutation (mutants.tsv event-gone-disables): treat 410 like any other failure → the endpoint stays enabled.
    @Test("410 Gone disables the endpoint with the reason; enabled again, it gets what waited")
    func goneDisables() throws {
        let directory = try TemporaryDirectory("event-gone")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let (cli, customer) = try desk(directory)
        let gone = try endpoint(cli, receiver, "/gone", mode: "gone")
        try cli.ok("customer", "edit", customer, "--town", "Bern")
        let run = try cli.ok("events", "run")
        #expect(run.contains("disabled endpoint \(gone.id): answered 410 Gone"), "\(run)")
        let shown = try #require(try cli.json("endpoints", "show", gone.id) as? [String: Any])
        #expect(shown["enabled"] as? Bool == false)
        #expect((shown["disabled_reason"] as? String)?.hasPrefix("answered 410 Gone at ") == true)
        // While disabled nothing is sent to it, and new events do not queue for it.
        try cli.ok("customer", "edit", customer, "--town", "Biel")
        try cli.ok("events", "run")
        #expect(try receiver.requests("/gone").count == 1)
        try receiver.set("/gone", mode: "ok", secrets: [gone.secret])
        try cli.ok("endpoints", "enable", gone.id)
        #expect((try cli.json("events", "run") as? [String: Any])?["delivered"] as? Int == 1)
        #expect(try receiver.requests("/gone").map(\.status) == [410, 200])
    }

    // Mutation (mutants.tsv event-rotation-both): sign with the current secret only → the old-secret check fails during the overlap.
    @Test("rotate: a new secret, and for 24 hours each request carries a signature for the old and the new one")
    func rotationSignsWithBoth() throws {
        let directory = try TemporaryDirectory("event-rotate")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let (cli, customer) = try desk(directory)
        let hook = try endpoint(cli, receiver, "/app", extra: ["--events", "customer.*"])
        let rotated = try #require(try cli.json("endpoints", "rotate", hook.id) as? [String: Any])
        let fresh = try #require(rotated["secret"] as? String)
        #expect(fresh != hook.secret)
        try receiver.set("/app", mode: "ok", secrets: [hook.secret, fresh])
        try cli.ok("customer", "edit", customer, "--town", "Bern")
        try cli.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        try cli.ok("events", "run")
        let requests = try receiver.requests("/app")
        // The filter let the customer event through and not the invoice.
        #expect(requests.count == 1)
        #expect(requests.first?.signatures.count == 2)
        #expect(requests.first?.verified == [true, true])
    }

    // Mutation (mutants.tsv event-private-at-delivery): the delivery checks as if --allow-private was given → the attempt to 10.1.2.3 is not refused as private.
    // Mutation (mutants.tsv event-address-pinned): the checked addresses are not pinned into libcurl → app.invalid (no DNS answer) is never reached.
    @Test("a name is checked again at delivery (DNS rebinding): now private, or public over http → attempt failed with the reason, no request; the checked address is the one connected to")
    func addressCheckedAtDelivery() throws {
        let directory = try TemporaryDirectory("event-rebind")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let (cli, customer) = try desk(directory)
        try cli.ok("settings", "set", "event_timeout", "2")
        // `.invalid` never resolves (RFC 6761): only the debug build's INVOICE_TEST_RESOLVE answers for it,
        // so a request reaching the receiver went to the address that was checked and pinned.
        func resolving(_ address: String) -> [String: String] { ["INVOICE_TEST_RESOLVE": "app.invalid=\(address)"] }
        let added = try cli.run(["endpoints", "add", "http://app.invalid:\(receiver.port)/app", "--json"], environment: resolving("127.0.0.1"))
        #expect(added.status == 0, "\(added.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        try receiver.set("/app", mode: "ok", secrets: [try #require(object["secret"] as? String)])
        func run(_ runner: InvoiceCLI, _ address: String) throws -> [String: Any] {
            let result = try runner.run(["events", "run", "--json"], environment: resolving(address))
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }
        try cli.ok("customer", "edit", customer, "--town", "Bern")
        #expect(try run(cli, "127.0.0.1")["delivered"] as? Int == 1)
        #expect(try receiver.requests("/app").map(\.verified) == [[true]])

        // The name now points into the private network: refused before any request, retried later.
        try cli.ok("customer", "edit", customer, "--town", "Biel")
        let event = try #require((try cli.json("events", "list") as? [[String: Any]])?.last?["id"] as? Int)
        let refused = try run(cli, "10.1.2.3")
        #expect(refused["delivered"] as? Int == 0)
        #expect(refused["retrying"] as? Int == 1)
        var attempts = try EventDeliveryTests.attempts(cli, event: event)
        #expect(attempts.map { $0["status"] as? Int } == [0])
        #expect((attempts.last?["error"] as? String)?.contains("app.invalid resolves to 10.1.2.3, a private or link-local address; refused at delivery, no request made") == true, "\(attempts)")
        // To a public address, plain http is refused too (it was allowed for loopback only).
        let later = InvoiceCLI(database: cli.database, today: "2026-11-27", workingDirectory: directory.url)
        #expect(try run(later, "192.0.2.10")["retrying"] as? Int == 1)
        attempts = try EventDeliveryTests.attempts(later, event: event)
        #expect((attempts.last?["error"] as? String)?.contains("(app.invalid resolves to 192.0.2.10); refused at delivery, no request made") == true, "\(attempts)")
        #expect(try receiver.requests("/app").count == 1)
        // Back on loopback, the waiting event is delivered.
        let after = InvoiceCLI(database: cli.database, today: "2026-11-29", workingDirectory: directory.url)
        #expect(try run(after, "127.0.0.1")["delivered"] as? Int == 1)
        let requests = try receiver.requests("/app")
        #expect(requests.count == 2)
        #expect(requests.last?.id == "evt_\(event)")
        #expect(requests.allSatisfy { $0.verified == [true] })
    }

    /// Pays `number` through the webhook receiver `invoice serve` runs (POST /webhooks/payments, signed
    /// with Standard Webhooks), delivered on `day`.
    static func payByWebhook(_ cli: InvoiceCLI, _ number: String, amount: String, day: String, id: String) throws {
        let secret = try WebhookSecret(EventDeliveryTests.whsec)
        let body = Array("""
            {"type":"payment.succeeded","data":{"id":"\(id)","invoice":"\(number)","amount":"\(amount)","currency":"CHF",\
            "paid_at":"\(day)T10:00:00Z"}}
            """.utf8)
        let stamp = "1795000000"
        let request = HTTPRequest(method: "POST", target: "/webhooks/payments", headers: [
            HTTPHeader("webhook-id", "msg_\(id)"), HTTPHeader("webhook-timestamp", stamp),
            HTTPHeader("webhook-signature", secret.signature(id: "msg_\(id)", timestamp: stamp, body: body)),
            HTTPHeader("Content-Type", "application/json"),
        ], body: body)
        let handler = WebhookHandler(databasePath: try cli.location(), secret: secret, outbox: nil, today: try Day(parsing: day),
                                     clock: { 1_795_000_000 }, log: { _ in })
        let response = handler.respond(to: request)
        #expect(response.status == 200, "\(response.bodyText)")
    }

    // Mutation (mutants.tsv event-renewed-noted): the renew booking action is not an event → booking.renewed never arrives.
    // Mutation (mutants.tsv event-lapsed-noted): the lapse booking action is not an event → booking.lapsed never arrives.
    @Test("webhook payments, two renewals and a lapse reach the receiver (invoice run delivers): verified, in order, payloads = --json then")
    func webhookRenewalLapseDelivered() throws {
        let directory = try TemporaryDirectory("event-renewal")
        defer { directory.remove() }
        let receiver = try EventReceiver()
        defer { receiver.stop() }
        let (cli, customer) = try desk(directory)
        _ = try endpoint(cli, receiver, "/app", extra: ["--events", "invoice.*,payment.*,booking.*"])
        func on(_ day: String) -> InvoiceCLI { InvoiceCLI(database: cli.database, today: day, workingDirectory: directory.url) }
        func plan(_ day: String) throws -> NSMutableDictionary {
            try EventDeliveryTests.object(on(day).json("plan", customer, "show"), without: "change")
        }
        func invoice(_ day: String, _ number: String) throws -> NSMutableDictionary {
            try EventDeliveryTests.object(on(day).json("show", number), without: "mail")
        }
        var expected: [(type: String, object: NSMutableDictionary?)] = []
        let activated = try #require(try cli.json("plan", customer, "activate", "Business", "--monthly") as? [String: Any])
        let first = try #require(activated["invoice"] as? String)
        expected.append(("invoice.issued", try invoice("2026-11-25", first)))
        try EventDeliveryTests.payByWebhook(cli, first, amount: "54.05", day: "2026-11-25", id: "pay_1")
        let paid = try invoice("2026-11-25", first)
        expected += [("payment.received", paid), ("invoice.paid", paid), ("booking.activated", try plan("2026-11-25"))]
        // Seven days ahead the renewal is invoiced; paid by webhook, the period rolls in at its start.
        let renewal = try #require(try on("2026-12-17").json("run") as? [String: Any])
        let second = try #require((renewal["invoices"] as? [String])?.first, "\(renewal)")
        expected.append(("invoice.issued", try invoice("2026-12-17", second)))
        try EventDeliveryTests.payByWebhook(cli, second, amount: "54.05", day: "2026-12-18", id: "pay_2")
        let paidSecond = try invoice("2026-12-18", second)
        expected += [("payment.received", paidSecond), ("invoice.paid", paidSecond)]
        try on("2026-12-25").ok("run")
        expected.append(("booking.renewed", try plan("2026-12-25")))
        // The next renewal is invoiced and never paid: the booking runs into it, then lapses.
        let unpaid = try #require(try on("2027-01-17").json("run") as? [String: Any])
        let third = try #require((unpaid["invoices"] as? [String])?.first, "\(unpaid)")
        expected.append(("invoice.issued", try invoice("2027-01-17", third)))
        try on("2027-01-25").ok("run")
        expected.append(("booking.renewed", try plan("2027-01-25")))
        try on("2027-02-20").ok("run")
        expected.append(("invoice.overdue", try invoice("2027-02-20", third)))
        try on("2027-02-25").ok("run")
        expected.append(("booking.lapsed", try plan("2027-02-25")))
        #expect(expected.last?.object?["status"] as? String == "lapsed")
        #expect((try on("2027-02-25").json("events", "run") as? [String: Any])?["delivered"] as? Int == 0)

        let requests = try receiver.requests("/app")
        let types = try requests.map { try #require(try $0.payload()["type"] as? String) }
        #expect(types == expected.map(\.type))
        #expect(requests.allSatisfy { $0.verified == [true] && $0.status == 200 }, "\(requests.map(\.verified))")
        #expect(Set(requests.map(\.id)).count == requests.count)
        var sequences: [Int] = []
        for (request, want) in zip(requests, expected) {
            let data = try #require(try request.payload()["data"] as? [String: Any])
            sequences.append(try #require(data["sequence"] as? Int))
            let copy = NSMutableDictionary(dictionary: data)
            copy.removeObjects(forKeys: ["sequence", "customer", "payment"])
            want.object?.removeObjects(forKeys: ["customer"])
            #expect(copy == want.object, "\(want.type)")
        }
        #expect(sequences == sequences.sorted())
        #expect(Set(sequences).count == sequences.count)
    }
}
