import Foundation
import Testing
import TestSupport

/// Issue 19: every change an app cares about writes an event in its own transaction, numbered per
/// customer, with `data` the object `--json` prints for it at that moment (real CLI, real SQLite file).
@Suite struct EventLogTests {
    /// A desk with a seller, a customer and a monthly plan.
    func desk(_ directory: TemporaryDirectory, today: String = "2026-11-25") throws -> (InvoiceCLI, String) {
        let cli = try InvoiceCLI.creating(database: directory.path("events.sqlite"), today: today, workingDirectory: directory.url)
        try cli.ok("settings", "set", "company", "Rappen AG")
        try cli.ok("settings", "set", "email", "billing@rappen.example")
        let customer = try cli.ok("customer", "add", "--company", "Kasse GmbH", "--email", "ap@kasse.ch",
                                  "--country", "CH", "--currency", "CHF", "--language", "de")
        try cli.ok("catalog", "add-plan", "Business", "--currency", "CHF", "--monthly", "50.00", "--yearly", "500.00", "--vat", "8.1")
        return (cli, customer)
    }

    /// `events list --json`, each with its parsed payload.
    static func events(_ cli: InvoiceCLI) throws -> [(type: String, sequence: Int, data: NSDictionary)] {
        let list = try #require(try cli.json("events", "list") as? [[String: Any]])
        return try list.map { row in
            let id = try #require(row["id"] as? Int)
            let shown = try #require(try cli.json("events", "show", String(id)) as? [String: Any])
            let payload = try #require(shown["payload"] as? String)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
            let type = try #require(parsed["type"] as? String)
            #expect(type == row["type"] as? String)
            #expect((parsed["timestamp"] as? String)?.hasSuffix("Z") == true, "\(parsed)")
            let data = try #require(parsed["data"] as? NSDictionary)
            return (type, try #require(data["sequence"] as? Int), data)
        }
    }

    /// The payload's data without what the event adds (`sequence`; `customer` on a customer object).
    static func object(_ data: NSDictionary, adding: [String]) -> NSDictionary {
        let copy = data.mutableCopy() as? NSMutableDictionary ?? NSMutableDictionary()
        copy.removeObjects(forKeys: adding)
        return copy
    }

    static func cli(_ value: Any, without keys: [String]) throws -> NSDictionary {
        let copy = NSMutableDictionary(dictionary: try #require(value as? [String: Any]))
        copy.removeObjects(forKeys: keys)
        return copy
    }

    // Mutation (mutants.tsv event-paid-noted): drop the invoice.paid note in PaidStatusWatcher.invoiceBecamePaid → the list misses invoice.paid.
    // Mutation (mutants.tsv event-sequence-counter): the counter row never increments → sequences are not 1, 2, 3, … and the unique index fails.
    // Mutation (mutants.tsv event-written-before-commit): the noted events are never written before the commit → none are listed.
    @Test("customer, plan invoice and payment write their events in order, each payload what --json printed then")
    func lifecycleEventsCarryTheCLIObjects() throws {
        let directory = try TemporaryDirectory("event-log")
        defer { directory.remove() }
        let (cli, customer) = try desk(directory)
        let created = try cli.json("customer", "show", customer)
        try cli.ok("customer", "edit", customer, "--town", "Bern")
        let edited = try cli.json("customer", "show", customer)
        let activated = try #require(try cli.json("plan", customer, "activate", "Business", "--monthly") as? [String: Any])
        let number = try #require(activated["invoice"] as? String)
        let issued = try cli.json("show", number)
        try cli.ok("pay", number, "--amount", "54.05")
        let paid = try cli.json("show", number)
        let booking = try cli.json("plan", customer, "show")

        let events = try EventLogTests.events(cli)
        #expect(events.map(\.type) == ["customer.created", "customer.updated", "invoice.issued", "payment.received",
                                       "invoice.paid", "booking.activated"])
        #expect(events.map(\.sequence) == Array(1...6))
        try #require(events.count == 6)
        #expect(events.allSatisfy { ($0.data["customer"] as? Int).map(String.init) == customer })
        #expect(EventLogTests.object(events[0].data, adding: ["sequence", "customer"]) == (try EventLogTests.cli(created, without: [])))
        #expect(EventLogTests.object(events[1].data, adding: ["sequence", "customer"]) == (try EventLogTests.cli(edited, without: [])))
        // `show --json` of an issued invoice also says where its mail is; the event does not.
        #expect(EventLogTests.object(events[2].data, adding: ["sequence"]) == (try EventLogTests.cli(issued, without: ["mail"])))
        #expect(EventLogTests.object(events[4].data, adding: ["sequence"]) == (try EventLogTests.cli(paid, without: ["mail"])))
        #expect(EventLogTests.object(events[5].data, adding: ["sequence"]) == (try EventLogTests.cli(booking, without: ["change"])))
        #expect(events[5].data["status"] as? String == "active")
    }

    // Mutation (mutants.tsv event-outside-transaction): `pay` writes payment.received before (outside) the workflow's transaction → the refused payment leaves one.
    @Test("a command that fails leaves no event: a refused payment date, an invoice the numbering refuses")
    func failedCommandsLeaveNoEvent() throws {
        let directory = try TemporaryDirectory("event-log-failed")
        defer { directory.remove() }
        let (cli, customer) = try desk(directory)
        let number = try cli.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        let before = try EventLogTests.events(cli).map(\.type)
        #expect(before == ["customer.created", "invoice.issued"])
        let refused = try cli.run("pay", number, "--amount", "108.10", "--date", "2020-01-01")
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("payment date 2020-01-01"), "\(refused.stderr)")
        // A payment recorded in the same transaction as a refused activation is gone too.
        let unknown = try cli.run("plan", customer, "activate", "Nothing", "--monthly")
        #expect(unknown.status != 0)
        let after = try EventLogTests.events(cli)
        #expect(after.map(\.type) == before)
        #expect(after.map(\.sequence) == [1, 2])
        // The next change continues the customer's numbering without a gap.
        try cli.ok("pay", number, "--amount", "108.10")
        #expect(try EventLogTests.events(cli).map(\.sequence) == [1, 2, 3, 4])
    }

    // Mutation (mutants.tsv event-overdue-once): a once key new on every run (ScheduledRun.writeRunEvents) → the second run writes invoice.overdue again.
    @Test("invoice run writes invoice.overdue once, the first run after the due date")
    func overdueOnce() throws {
        let directory = try TemporaryDirectory("event-log-overdue")
        defer { directory.remove() }
        let (cli, customer) = try desk(directory)
        let number = try cli.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        let due = try #require((try cli.json("show", number) as? [String: Any])?["due_date"] as? String)
        try cli.ok("run", "--date", due)
        #expect(try EventLogTests.events(cli).map(\.type) == ["customer.created", "invoice.issued"])
        let later = InvoiceCLI(database: cli.database, today: "2027-01-31", workingDirectory: directory.url)
        try later.ok("run")
        try later.ok("run")
        let events = try EventLogTests.events(later)
        #expect(events.map(\.type) == ["customer.created", "invoice.issued", "invoice.overdue"])
        #expect(events.last?.data["status"] as? String == "overdue")
        #expect(events.last?.data["number"] as? String == number)
    }

    // Mutation (mutants.tsv endpoint-private-refused): the private-address check inverted → https://10.1.2.3 is accepted.
    @Test("endpoint URLs: https, or http to loopback; private addresses only with --allow-private; known event types")
    func endpointURLRules() throws {
        let directory = try TemporaryDirectory("event-endpoints")
        defer { directory.remove() }
        let (cli, _) = try desk(directory)
        let plain = try cli.run("endpoints", "add", "http://192.0.2.10/hook")
        #expect(plain.status != 0)
        #expect(plain.stderr.contains("endpoints use https://"), "\(plain.stderr)")
        let inside = try cli.run("endpoints", "add", "https://10.1.2.3/hook")
        #expect(inside.status != 0)
        #expect(inside.stderr.contains("10.1.2.3, a private or link-local address"), "\(inside.stderr)")
        let linkLocal = try cli.run("endpoints", "add", "https://169.254.169.254/latest")
        #expect(linkLocal.status != 0)
        // Other spellings of a private address are what they resolve to: decimal, IPv4-mapped IPv6.
        let decimal = try cli.run("endpoints", "add", "https://167772161/hook")
        #expect(decimal.stderr.contains("resolves to 10.0.0.1, a private or link-local address"), "\(decimal.stderr)")
        let mapped = try cli.run("endpoints", "add", "https://[::ffff:a01:203]/hook")
        #expect(mapped.stderr.contains("resolves to ::ffff:10.1.2.3, a private or link-local address"), "\(mapped.stderr)")
        #expect(decimal.status != 0 && mapped.status != 0)
        let unknown = try cli.run("endpoints", "add", "http://127.0.0.1:9/hook", "--events", "invoice.paid,invoice.sent")
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("'invoice.sent' is not an event type"), "\(unknown.stderr)")
        #expect(try #require(try cli.json("endpoints", "list") as? [Any]).isEmpty)
        let added = try #require(try cli.json("endpoints", "add", "https://10.1.2.3/hook", "--allow-private",
                                              "--events", "invoice.*") as? [String: Any])
        let secret = try #require(added["secret"] as? String)
        #expect(secret.hasPrefix("whsec_"))
        #expect(Data(base64Encoded: String(secret.dropFirst(6)))?.count == 32)
        let local = try #require(try cli.json("endpoints", "add", "http://127.0.0.1:9/hook") as? [String: Any])
        #expect(local["secret"] as? String != secret)
        let listed = try #require(try cli.json("endpoints", "list") as? [[String: Any]])
        #expect(listed.count == 2)
        #expect(listed.allSatisfy { $0["secret"] == nil })
    }

    // Mutation (mutants.tsv event-booking-distinct): booking events deduped per booking and transaction again → the catch-up run's second renewal is lost.
    @Test("one transaction, two renewals of one booking: two booking.renewed (a run that catches up a month writes both)")
    func twoRenewalsInOneRunAreTwoEvents() throws {
        let directory = try TemporaryDirectory("event-log-catch-up")
        defer { directory.remove() }
        let (cli, customer) = try desk(directory)
        func on(_ day: String) -> InvoiceCLI { InvoiceCLI(database: cli.database, today: day, workingDirectory: directory.url) }
        let plan = try #require(try cli.json("plan", customer, "activate", "Business", "--monthly") as? [String: Any])
        try cli.ok("pay", try #require(plan["invoice"] as? String), "--amount", "54.05")
        let renewal = try #require(try on("2026-12-17").json("run") as? [String: Any])
        try on("2026-12-18").ok("pay", try #require((renewal["invoices"] as? [String])?.first), "--amount", "54.05")
        // No run on 2026-12-25: the one on 2027-01-26 rolls the booking into the paid period and into the next.
        let before = try EventLogTests.events(cli).count
        let run = try #require(try on("2027-01-26").json("run") as? [String: Any])
        #expect(run["renewed"] as? Int == 2, "\(run)")
        let written = try EventLogTests.events(cli).dropFirst(before)
        #expect(written.map(\.type) == ["booking.renewed", "invoice.issued", "booking.renewed"])
        #expect(written.map(\.sequence) == Array((before + 1)...(before + 3)))
        #expect(Set(written.map(\.sequence)).count == 3)
    }

    // Mutation (mutants.tsv event-payment-distinct): payment.received deduped per invoice and transaction again → the file's second payment is lost.
    @Test("one transaction, two payments of one invoice (a bank file pays it in two parts): two payment.received, each naming its payment; one invoice.paid")
    func twoPaymentsInOneImportAreTwoEvents() throws {
        let directory = try TemporaryDirectory("event-log-two-payments")
        defer { directory.remove() }
        let (cli, customer) = try desk(directory)
        let number = try cli.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        var camt = CamtFile()
        camt.entries = [CamtFile.Entry(amount: "108.10", booked: "2026-11-26", accountServicerReference: "E-1", transactions: [
            CamtFile.Tx(amount: "50.00", accountServicerReference: "TX-1", unstructured: ["Rechnung \(number), Teil 1"]),
            CamtFile.Tx(amount: "58.10", accountServicerReference: "TX-2", unstructured: ["Rechnung \(number), Teil 2"]),
        ])]
        let path = try camt.write(to: directory.url.appendingPathComponent("camt054.xml"))
        let imported = try cli.run("payments", "import", path)
        #expect(imported.status == 0, "\(imported.stderr)")
        let events = try EventLogTests.events(cli)
        #expect(events.map(\.type) == ["customer.created", "invoice.issued", "payment.received", "payment.received", "invoice.paid"])
        let payments = events.filter { $0.type == "payment.received" }.map { $0.data["payment"] as? NSDictionary }
        #expect(payments.map { $0?["amount"] as? String } == ["50.00", "58.10"])
        #expect(payments.map { $0?["date"] as? String } == ["2026-11-26", "2026-11-26"])
        // Otherwise each is the invoice as `show --json` prints it after the import.
        let shown = try EventLogTests.cli(try cli.json("show", number), without: ["mail"])
        for event in events where event.type == "payment.received" {
            #expect(EventLogTests.object(event.data, adding: ["sequence", "payment"]) == shown)
        }
    }
}
