import Billing
import Foundation
import Testing
import TestSupport

/// Ninety days of a billing desk against a real SMTP server on 127.0.0.1 (aiosmtpd, every 5th message
/// deferred with a 451): a seeded random sequence of issue, send, pay, overpay, credit note, cancel,
/// deactivate, `mail run` and the daily `run`. At the end the captured mailbox must equal what the books
/// say was to be sent: each issued invoice and credit note once, each reminder level at most once and only
/// while its invoice was overdue, unpaid, uncancelled and already delivered, a receipt once per payment,
/// and nothing to a customer after it was made inactive or about a document after its cancellation.
@Suite struct NinetyDayMailboxTests {
    /// SplitMix64: the same seed gives the same ninety days on every machine.
    struct Seeded {
        var generator: SplitMix64
        init(state: UInt64) { generator = SplitMix64(seed: state) }
        mutating func next() -> UInt64 { generator.next() }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[below(items.count)] }
    }

    /// One message the server accepted: when (the step of the test's sequence and the day) and what.
    struct Arrival {
        let step: Int
        let day: Day
        let key: String
        let kind: String
        let recipient: String
        /// The invoice (or credit note) id in the key `invoice:ID:…`.
        var documentID: Int { Int(key.split(separator: ":")[1]) ?? -1 }
    }

    /// What the test did to a document, by step.
    struct Document {
        let number: String
        let id: Int
        let customer: Int
        var status: String
        var paidStep: Int?
        var settledStep: Int?
        var cancelledStep: Int?
    }

    func object(_ cli: InvoiceCLI, _ arguments: String...) throws -> [String: Any] {
        try #require(try cli.json(arguments) as? [String: Any], "invoice \(arguments)")
    }

    // Mutations (mutants.tsv ninety-claim-cancelled, ninety-claim-inactive, ninety-claim-reminder-paid), each → this test fails: in Store.claimDueMail, `q.kind = 'invoice' AND i.status = 'cancelled'`
    // → `q.kind = 'invoice-x' …` (an invoice mail waiting in the queue is delivered after its cancellation);
    // `c.active = 0` → `c.active = 7` (mail reaches a customer after it was made inactive); the reminder
    // branch's `NOT IN ('open', 'partially_paid')` → `NOT IN ('open', 'partially_paid', 'paid', 'cancelled')`
    // (a reminder waiting in the queue is delivered after its invoice was paid).
    @Test func theMailboxOfNinetyDaysEqualsTheBooks() throws {
        try SMTPTestServer.with(["--tempfail-every", "5"]) { server in
            let desk = try MailDesk(label: "ninety-days")
            defer { desk.remove() }
            for (key, value) in [("payment_terms", "10"), ("reminder_days", "5,15,25"), ("mail_max_attempts", "40"),
                                 ("smtp_url", server.url)] {
                try desk.ok(["settings", "set", key, value])
            }
            var customers: [Int: String] = [:]
            for index in 1...5 {
                let email = "kunde\(index)@example.ch"
                customers[Int(try desk.addCustomer(company: "Kunde \(index) AG", email: email)) ?? -1] = email
            }
            var random = Seeded(state: 0x0010_5EED)
            var step = 0
            var arrivals: [Arrival] = []
            var seen = 0
            var documents: [Int: Document] = [:]
            var inactiveSince: [Int: Int] = [:]
            /// Documents whose own mail is queued (or gone): `send`, or a `run` since they were issued.
            var mailQueued: Set<Int> = []
            func collect(_ day: Day) throws {
                let messages = try server.messages()
                for message in messages[seen...] {
                    arrivals.append(Arrival(step: step, day: day,
                                            key: try #require(MailBytes.header("X-Invoice-Key", in: message.data)),
                                            kind: try #require(MailBytes.header("X-Invoice-Kind", in: message.data)),
                                            recipient: message.recipients.first ?? ""))
                }
                seen = messages.count
            }
            func states() throws -> [String] { try desk.outbox().map { try #require($0["state"] as? String) } }
            func track(_ cli: InvoiceCLI, _ number: String, customer: Int) throws {
                let shown = try object(cli, "show", number)
                let id = try #require(shown["id"] as? Int)
                documents[id] = Document(number: number, id: id, customer: customer,
                                         status: try #require(shown["status"] as? String))
            }
            func refresh(_ cli: InvoiceCLI, _ id: Int) throws {
                let shown = try object(cli, "show", String(id))
                let status = try #require(shown["status"] as? String)
                documents[id]?.status = status
                if ["paid", "cancelled"].contains(status), documents[id]?.settledStep == nil { documents[id]?.settledStep = step }
                if status == "cancelled", documents[id]?.cancelledStep == nil { documents[id]?.cancelledStep = step }
            }
            let start = try Day(year: 2026, month: 1, day: 1)
            for offset in 0..<90 {
                let day = start.adding(days: offset)
                let cli = desk.on(day.description)
                let active = customers.keys.filter { inactiveSince[$0] == nil }.sorted()
                for _ in 0..<random.below(3) {
                    step += 1
                    // Open invoices as of now (today's included): cancelled and paid ones drop out.
                    let openInvoices = documents.values.filter { $0.status == "open" || $0.status == "overdue" }.map(\.id).sorted()
                    switch random.below(10) {
                    case 0, 1, 2, 3:
                        guard let customer = random.pick(active) else { continue }
                        let number = try cli.ok("new", String(customer), "--line", "Leistung;1;\(100 + random.below(50)).00;8.1", "--issue")
                        try track(cli, number, customer: customer)
                        if random.below(3) == 0 {
                            try cli.ok("send", number)
                            mailQueued.insert(try #require(documents.values.first { $0.number == number }).id)
                        }
                    case 4, 5:
                        // Paid only once its mail is on its way (a customer pays what it was sent).
                        // Half the time one whose reminder waits in the queue: the claim must catch it.
                        var candidates = openInvoices.filter { mailQueued.contains($0) }
                        if random.below(2) == 0 {
                            let reminded = try desk.outbox(on: cli).filter {
                                ($0["kind"] as? String)?.hasPrefix("reminder") == true && ["queued", "deferred"].contains($0["state"] as? String)
                            }.compactMap { $0["invoice"] as? Int }
                            let waiting = candidates.filter { reminded.contains($0) }
                            if !waiting.isEmpty { candidates = waiting }
                        }
                        guard let id = random.pick(candidates) else { continue }
                        let open = try #require(try object(cli, "show", String(id))["open"] as? String)
                        let extra = random.below(2) == 0 ? Decimal(0) : Decimal(20)
                        let amount = try #require(Decimal(string: open)) + extra
                        try cli.ok("pay", try #require(documents[id]).number, "--amount", "\(amount)")
                        documents[id]?.paidStep = step
                        try refresh(cli, id)
                    case 6:
                        // Half the time an invoice whose mail waits in the queue: the claim must catch it.
                        let delivered = Set(arrivals.map(\.documentID))
                        let waiting = openInvoices.filter { mailQueued.contains($0) && !delivered.contains($0) }
                        let candidates = !waiting.isEmpty && random.below(2) == 0 ? waiting : openInvoices
                        guard let id = random.pick(candidates), let document = documents[id] else { continue }
                        let note = try cli.ok("cancel", document.number)
                        try track(cli, note, customer: document.customer)
                        try refresh(cli, id)
                    case 7:
                        guard let id = random.pick(openInvoices), let document = documents[id] else { continue }
                        let note = try cli.ok("credit-note", document.number, "--amount", "10.00")
                        try track(cli, note, customer: document.customer)
                        try refresh(cli, id)
                    case 8:
                        guard inactiveSince.count < 2, offset > 20, let customer = random.pick(active) else { continue }
                        try cli.ok("customer", "edit", String(customer), "--inactive")
                        inactiveSince[customer] = step
                    default:
                        let result = try desk.mailRun(["--connections", "1"], on: cli)
                        #expect(result.status == 0, "mail run on \(day): \(result.stderr)")
                        try collect(day)
                    }
                }
                // cron, most days: the scheduled run, ending with the mailing run — or, a third of the time,
                // without it (`--no-mail`): what it queued waits for a later mailing run while the books move on.
                if random.below(10) < 8 {
                    step += 1
                    let result = try cli.run(random.below(3) == 0 ? ["run", "--no-mail"] : ["run"])
                    // The run queued the mail of every open document of an active customer (the sweep).
                    for document in documents.values where inactiveSince[document.customer] == nil
                        && ["open", "overdue", "issued"].contains(document.status) {
                        mailQueued.insert(document.id)
                    }
                    #expect(result.status == 0, "run on \(day): \(result.stdout) \(result.stderr)")
                    try collect(day)
                }
            }
            // The last mailing runs: everything deferred is due on a far queue clock, a day later each time
            // (a message deferred again waits out its backoff).
            let last = start.adding(days: 89)
            for round in 0..<12 {
                step += 1
                let result = try desk.mailRun(["--connections", "1"], on: desk.on(try Day(year: 2099, month: 1, day: 1).adding(days: round).description))
                #expect(result.status == 0, "\(result.stderr)")
                try collect(last)
                if try !states().contains(where: { ["queued", "deferred", "sending"].contains($0) }) { break }
            }
            let finalStates = try states()
            #expect(!finalStates.contains { ["queued", "deferred", "sending"].contains($0) }, "\(finalStates)")

            // The books, as the program keeps them.
            let books = try #require(try desk.on(last.description).json("list") as? [[String: Any]])
            #expect(books.count == documents.count)
            let arrivalsByKey = Dictionary(grouping: arrivals, by: \.key)
            // Nothing arrives twice.
            #expect(arrivalsByKey.values.allSatisfy { $0.count == 1 }, "\(arrivalsByKey.filter { $0.value.count > 1 }.keys.sorted())")
            // Nothing reaches a customer after it was made inactive.
            for (customer, since) in inactiveSince {
                let late = arrivals.filter { $0.recipient == customers[customer] && $0.step > since }
                #expect(late.isEmpty, "mail to inactive customer \(customer): \(late.map(\.key))")
            }
            for row in books {
                let id = try #require(row["id"] as? Int)
                let document = try #require(documents[id])
                let status = try #require(row["status"] as? String)
                let customerActive = inactiveSince[document.customer] == nil
                // Its own mail: once, unless it was cancelled or its customer made inactive first.
                let own = arrivals.filter { $0.documentID == id && ($0.kind == "invoice" || $0.kind == "credit_note") }
                if status != "cancelled" && customerActive {
                    #expect(own.count == 1, "\(document.number) (\(status)) was mailed \(own.count) times")
                } else {
                    #expect(own.count <= 1, "\(document.number) was mailed \(own.count) times")
                }
                if let cancelled = document.cancelledStep {
                    #expect(own.allSatisfy { $0.step < cancelled }, "\(document.number) was mailed after its cancellation")
                }
                // Reminders: only while overdue, unpaid, uncancelled, and after the invoice itself arrived.
                let due = try (row["due_date"] as? String).map(Day.init(parsing:))
                for reminder in arrivals.filter({ $0.documentID == id && $0.kind.hasPrefix("reminder") }) {
                    let dueDay = try #require(due)
                    #expect(dueDay < reminder.day, "\(reminder.key) on \(reminder.day): \(document.number) due \(dueDay)")
                    if let settled = document.settledStep {
                        #expect(reminder.step < settled, "\(reminder.key) after \(document.number) was settled")
                    }
                    #expect(own.contains { $0.step < reminder.step }, "\(reminder.key) before \(document.number) itself arrived")
                    // Level by level: level L only after level L − 1 was delivered (dunning rules, SPEC §4).
                    let level = Int(reminder.kind.dropFirst("reminder-".count)) ?? 0
                    #expect((1...3).contains(level), "\(reminder.kind)")
                    if level > 1 {
                        #expect(arrivals.contains { $0.documentID == id && $0.kind == "reminder-\(level - 1)" && $0.step < reminder.step },
                                "\(reminder.key) before reminder \(level - 1)")
                    }
                }
                // A receipt once per paid invoice (the test pays only invoices the customer has).
                let receipts = arrivals.filter { $0.documentID == id && $0.kind == "receipt" }
                if document.paidStep != nil && customerActive {
                    #expect(receipts.count == 1, "\(document.number): \(receipts.count) receipts")
                }
                if let paid = document.paidStep {
                    #expect(receipts.allSatisfy { $0.step >= paid }, "\(document.number): receipt before its payment")
                } else if status != "paid" {
                    #expect(receipts.isEmpty, "\(document.number): receipt without a payment")
                }
            }
            // The sequence exercised what it is meant to.
            #expect(documents.values.contains { $0.cancelledStep != nil })
            #expect(documents.values.contains { $0.paidStep != nil })
            #expect(arrivals.contains { $0.kind.hasPrefix("reminder") })
            #expect(arrivals.contains { $0.kind == "credit_note" })
            #expect(!inactiveSince.isEmpty)
        }
    }
}
