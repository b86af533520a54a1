import Foundation
import Testing
import TestSupport

/// Two webhook receivers (`invoice serve` on two ports, each started from a folder of its own, as two
/// hosts behind a load balancer) on one PostgreSQL database (always one on the throwaway server,
/// whatever `INVOICE_TEST_ENGINE` says): the event id is unique across them, so a provider's
/// redelivery that lands on the other receiver is a duplicate and a different payload under the same
/// id a 409; with one receiver SIGKILLed, the retries the other takes pay every invoice exactly once.
@Suite(.serialized)
struct MultiHostReceiverTests {
    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// POSTs `body` signed for now to `server`, the answer's status and body.
    func post(_ server: ServerProcess, _ body: [UInt8], messageID: String, in folder: TemporaryDirectory) throws -> CurlAnswer {
        try Self.post(server.url, body, messageID: messageID, in: folder)
    }

    static func post(_ url: String, _ body: [UInt8], messageID: String, in folder: TemporaryDirectory) throws -> CurlAnswer {
        let name = UUID().uuidString.prefix(8)
        let bodyFile = folder.path("body-\(name).json"), outFile = folder.path("answer-\(name).json")
        try Data(body).write(to: URL(fileURLWithPath: bodyFile))
        let stamp = Int64(Date().timeIntervalSince1970)
        let signature = try TestSecret.secret.signature(id: messageID, timestamp: String(stamp), body: body)
        return try Curl.run(Curl.signedPost(url: url, bodyFile: bodyFile, outFile: outFile, messageID: messageID,
                                            timestamp: stamp, signature: signature), outFile: outFile)
    }

    // Mutation (mutants.tsv webhook-retry-answered): `applying` answers PostgreSQL's serialization
    // failure as a 500 instead of letting the transaction run again → the receiver that lost the race
    // logs the event as failed (and, without the committer's fresh answers, tells the provider 500).
    @Test func eventsSpreadOverTwoReceiversWithRedeliveriesAndOneKilledPayEachInvoiceExactlyOnce() throws {
        let database = try TestPostgres.Database("receivers")
        defer { database.drop() }
        let fixture = try BillingFixture("receivers", database: database.uri)
        defer { fixture.remove() }
        var invoices: [(number: String, total: String)] = []
        for index in 0..<12 {
            let number = try fixture.issuedInvoice(net: "\(10 + index).00")
            invoices.append((number, try #require(try fixture.invoice(number)["total"] as? String)))
        }
        let hosts = try (0..<2).map { try TemporaryDirectory("receiver-\($0)") }
        defer { hosts.forEach { $0.remove() } }
        let servers = try hosts.map { try ServerProcess(database: database.uri, stderrPath: $0.path("serve.log"), workingDirectory: $0.url) }
        func logs() -> String { hosts.map { (try? String(contentsOfFile: $0.path("serve.log"), encoding: .utf8)) ?? "" }.joined(separator: "\n") }
        defer { servers.forEach { $0.stop() } }
        let events = invoices.enumerated().map { index, invoice in
            (id: "evt_hosts_\(index)", body: paymentBody(id: "evt_hosts_\(index)", invoice: invoice.number, amount: invoice.total))
        }

        // Each event to both receivers at once (the provider retried on the other while the first was
        // slow): one applies it, the other answers duplicate, whichever wins.
        for (index, event) in events.prefix(6).enumerated() {
            let answers = LineBox()
            let both = DispatchGroup()
            for url in servers.map(\.url) {
                both.enter()
                let folder = hosts[0]
                Thread {
                    let answer = try? Self.post(url, event.body, messageID: "msg_\(index)", in: folder)
                    answers.append("\(answer?.status ?? -1) \(answer?.json["status"] as? String ?? "?")")
                    both.leave()
                }.start()
            }
            #expect(both.wait(timeout: .now() + 60) == .success)
            #expect(answers.value.split(separator: "\n").sorted() == ["200 applied", "200 duplicate"], "event \(index): \(logs())")
        }
        // The same event id with another payload, on the receiver that did not see it first or did: 409.
        let changed = paymentBody(id: "evt_hosts_0", invoice: invoices[0].number, amount: "1.00")
        for server in servers { #expect(try post(server, changed, messageID: "msg_changed", in: hosts[1]).status == 409) }

        // The first receiver dies (SIGKILL) after the next three; the provider retries all the rest,
        // and those three again, on the second.
        for (index, event) in events[6..<9].enumerated() {
            #expect(try post(servers[0], event.body, messageID: "msg_a\(index)", in: hosts[0]).json["status"] as? String == "applied")
        }
        kill(servers[0].process.processIdentifier, SIGKILL)
        servers[0].process.waitUntilExit()
        for (index, event) in events[6...].enumerated() {
            let answer = try post(servers[1], event.body, messageID: "msg_b\(index)", in: hosts[1])
            #expect(answer.status == 200)
            #expect(answer.json["status"] as? String == (index < 3 ? "duplicate" : "applied"), "event \(index + 6)")
        }

        #expect(try fixture.paymentCount() == invoices.count)
        let listed = try #require(try fixture.cli.json("list") as? [[String: Any]])
        #expect(listed.count == invoices.count)
        for row in listed { #expect(row["status"] as? String == "paid", "\(row)") }
        // Money exact: what was paid is what was invoiced, to the cent, on the server's own sums.
        let sums = try TestEngine.postgresSQL(database.uri, "SELECT sum(p.amount), (SELECT sum(total) FROM invoices) FROM payments p")
        let parts = sums.trimmingCharacters(in: .newlines).split(separator: "|")
        #expect(parts.count == 2 && parts[0] == parts[1], "\(sums)")
        // No receiver logged a failed event: a transaction PostgreSQL could not serialize (both recording
        // the same event at once) ran again and answered duplicate, it was not a failure.
        #expect(!logs().contains("failed"), "\(logs())")
        #expect(servers[1].stop())
    }
}
