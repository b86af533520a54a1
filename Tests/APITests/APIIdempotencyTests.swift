import Foundation
import Testing
import TestSupport

/// Issue 20, Idempotency-Key: the same key and body replay the first answer (status and body), also
/// after a restart of the server; another body → 422; two at once → one runs, the other replays it.
@Suite(.serialized)
struct APIIdempotencyTests {
    let desk: APIDesk
    let key: String

    init() throws {
        desk = try APIDesk("api-idempotency")
        key = try desk.createKey("app")
    }

    static let body = #"{"company":"Acme GmbH","email":"ap@acme.example","country":"DE","currency":"EUR"}"#

    /// Mutation (mutants.tsv api-idempotency-not-looked-up): APIHandler.swift never looks the key up:
    /// the second of two concurrent requests makes a second customer.
    @Test func twoClientsWithOneKeyAtOnceMakeOneCustomerAndGetOneAnswer() throws {
        defer { desk.remove() }
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        // Both curl processes are started before either is waited for.
        let args = CurlClient.arguments("POST", server.url + "/v1/customers", key: key, body: Self.body,
                                        headers: ["Idempotency-Key: signup-42"])
        let processes = (0..<2).map { _ in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = args
            let pipe = Pipe()
            process.standardOutput = pipe
            return (process, pipe)
        }
        for (process, _) in processes { try process.run() }
        var answers: [Answer] = []
        for (process, pipe) in processes {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            answers.append(try CurlClient.parse(String(decoding: data, as: UTF8.self)))
        }
        #expect(answers.map(\.status) == [201, 201])
        #expect(answers[0].body == answers[1].body)
        #expect(answers.filter { $0.headers["idempotent-replayed"] == "true" }.count == 1)
        #expect(try desk.count("customers") == 1)
    }

    /// Mutation (mutants.tsv api-idempotency-hash-ignored): APIHandler.swift does not compare the
    /// request's fingerprint: another body with the key replays instead of 422.
    @Test func theAnswerIsReplayedAfterARestartAndAnotherBodyIs422() throws {
        defer { desk.remove() }
        var server = try APIServer(database: desk.cli.database)
        let first = try CurlClient.send("POST", server.url + "/v1/customers", key: key, body: Self.body, headers: ["Idempotency-Key: k-1"])
        #expect(first.status == 201)
        server.stop()
        server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let again = try CurlClient.send("POST", server.url + "/v1/customers", key: key, body: Self.body, headers: ["Idempotency-Key: k-1"])
        #expect(again.status == 201)
        #expect(again.body == first.body)
        #expect(again.headers["idempotent-replayed"] == "true")
        #expect(try desk.count("customers") == 1)
        let other = try CurlClient.send("POST", server.url + "/v1/customers", key: key,
                                        body: Self.body.replacingOccurrences(of: "Acme GmbH", with: "Other AG"),
                                        headers: ["Idempotency-Key: k-1"])
        #expect(other.status == 422)
        #expect(try other.errorType() == "idempotency_error")
        #expect(try desk.count("customers") == 1)
        // Without the key, the same body makes a second customer (no external_id): the key is what dedupes.
        #expect(try CurlClient.send("POST", server.url + "/v1/customers", key: key, body: Self.body).status == 201)
        #expect(try desk.count("customers") == 2)
    }

    /// A refusal of the workflow is the key's answer too (as Stripe keeps errors): the retry gets the
    /// same 409, and nothing was written.
    @Test func aRefusalIsKeptAndReplayedAndWritesNothing() throws {
        defer { desk.remove() }
        try desk.cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE")
        let draft = try desk.cli.ok("new", "1", "--line", "Consulting;1;100.00;19")
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let before = try desk.count("payments")
        let pay = { try CurlClient.send("POST", server.url + "/v1/invoices/\(draft)/payments", key: key, body: #"{"amount":"119.00"}"#,
                                        headers: ["Idempotency-Key: pay-1"]) }
        let first = try pay()
        #expect(first.status == 409)
        #expect(try first.errorType() == "conflict_error")
        #expect(try first.object()["error"].flatMap { ($0 as? [String: Any])?["message"] as? String } == "invoice \(draft) is a draft; issue it before recording payments")
        let second = try pay()
        #expect(second.status == 409 && second.body == first.body && second.headers["idempotent-replayed"] == "true")
        #expect(try desk.count("payments") == before)
    }
}
