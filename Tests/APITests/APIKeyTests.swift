import Foundation
import Testing
import TestSupport

/// Issue 20, keys: printed once, only the SHA-256 stored; Bearer auth on /v1/ (401 without, wrong or
/// revoked, 403 for a read-only key on a write); no key at all: the API does not exist (404).
@Suite(.serialized)
struct APIKeyTests {
    let desk: APIDesk

    init() throws { desk = try APIDesk("api-keys") }

    /// Every write route, with a body each would accept from a read-write key.
    static func writeRoutes(invoice: String) -> [(String, String, String?)] {
        [("POST", "/v1/customers", #"{"company":"B AG","email":"b@b.example","country":"CH"}"#),
         ("PATCH", "/v1/customers/1", #"{"town":"Bern"}"#),
         ("POST", "/v1/customers/1/users", #"{"first_name":"A","surname":"B","email":"a@b.example"}"#),
         ("POST", "/v1/customers/1/plan", #"{"product":"Pro","activation":"monthly"}"#),
         ("POST", "/v1/customers/1/modules", #"{"product":"Zeit","activation":"trial"}"#),
         ("POST", "/v1/customers/1/plan/cancel", nil), ("POST", "/v1/customers/1/plan/revoke", nil),
         ("POST", "/v1/customers/1/plan/withdraw", nil), ("POST", "/v1/customers/1/modules/Zeit/cancel", nil),
         ("POST", "/v1/customers/1/modules/Zeit/revoke", nil), ("POST", "/v1/customers/1/modules/Zeit/withdraw", nil),
         ("POST", "/v1/invoices", #"{"customer":"1","lines":[{"title":"X","quantity":"1","unit_price":"10.00","vat_rate":"19"}]}"#),
         ("POST", "/v1/invoices/\(invoice)/payments", #"{"amount":"1.00"}"#),
         ("POST", "/v1/invoices/\(invoice)/credit-notes", #"{"amount":"1.00"}"#)]
    }

    /// Mutation (mutants.tsv api-key-hash-stored): Store+APIKeys.swift stores the key itself: the table
    /// holds the key, and the stored text is not its SHA-256.
    @Test func createPrintsTheKeyOnceAndStoresOnlyItsSHA256() throws {
        defer { desk.remove() }
        let key = try desk.createKey("web-app")
        #expect(key.hasPrefix("ik_") && key.count == 67)
        let stored = try desk.cli.sql("SELECT key_hash FROM api_keys WHERE name = 'web-app'").trimmingCharacters(in: .whitespacesAndNewlines)
        let python = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", "-c", "import hashlib,sys; print(hashlib.sha256(sys.argv[1].encode()).hexdigest())", key])
        #expect(stored == python.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(!(try desk.cli.dump()).contains(key))
        let list = try desk.cli.ok("api-keys", "list")
        #expect(list.contains("web-app") && list.contains("read-write") && list.contains("never") && !list.contains(key))
        let second = try desk.cli.run("api-keys", "create", "--name", "web-app")
        #expect(second.status != 0 && second.stderr.contains("exists already"))
    }

    /// Mutation (mutants.tsv api-no-keys-404): APIHandler.swift serves the API without any key: the
    /// customers list answers 401 instead of 404.
    @Test func withoutAnyKeyTheAPIAnswers404AndTheReceiverStillRuns() throws {
        defer { desk.remove() }
        let server = try APIServer(database: desk.cli.database, environment: ["INVOICE_WEBHOOK_SECRET": "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()])
        defer { server.stop() }
        let answer = try CurlClient.send("GET", server.url + "/v1/customers", key: "ik_whatever")
        #expect(answer.status == 404)
        #expect(try answer.errorType() == "not_found_error")
        #expect(try CurlClient.send("GET", server.url + "/healthz", key: nil).status == 200)
    }

    /// Mutation (mutants.tsv api-revoked-accepted): Store+APIKeys.swift ignores revoked_at: a revoked
    /// key reads customers (200, not 401).
    /// Mutation (mutants.tsv api-read-only-writes): APIHandler.swift lets a read-only key write: 403 turns
    /// into 2xx and the database changes.
    @Test func noKeyWrongKeyRevokedKeyAre401AndAReadOnlyKeyIs403OnEveryWriteRoute() throws {
        defer { desk.remove() }
        let writer = try desk.createKey("writer")
        let reader = try desk.createKey("reader", readOnly: true)
        let revoked = try desk.createKey("old")
        try desk.cli.ok("api-keys", "revoke", "old")
        try desk.cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE")
        let invoice = try desk.cli.ok("new", "1", "--line", "Consulting;1;100.00;19", "--issue")
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let url = server.url + "/v1/customers"
        for (label, key) in [("none", nil), ("wrong", "ik_" + String(repeating: "0", count: 64)), ("wrong prefix of a real key", String(writer.dropLast())),
                             ("revoked", revoked)] as [(String, String?)] {
            let answer = try CurlClient.send("GET", url, key: key)
            #expect(answer.status == 401, "\(label)")
            #expect(try answer.errorType() == "authentication_error", "\(label)")
            #expect(answer.headers["www-authenticate"]?.hasPrefix("Bearer") == true, "\(label)")
        }
        #expect(try CurlClient.send("GET", url, key: reader).status == 200)
        #expect(try CurlClient.send("GET", url, key: writer).status == 200)
        let before = try desk.cli.dump()
        for (method, path, body) in Self.writeRoutes(invoice: invoice) {
            let answer = try CurlClient.send(method, server.url + path, key: reader, body: body)
            #expect(answer.status == 403, "\(method) \(path): \(answer.body)")
            #expect(try answer.errorType() == "permission_error", "\(method) \(path)")
        }
        // The dump differs at most in the keys' last use (recorded outside the books).
        let strip = { (dump: String) in dump.split(separator: "\n").filter { !$0.contains("INSERT INTO api_keys") }.joined(separator: "\n") }
        #expect(strip(try desk.cli.dump()) == strip(before))
        let list = try desk.cli.json("api-keys", "list") as? [[String: Any]]
        let used = try #require(list?.first { $0["name"] as? String == "reader" })
        #expect(used["last_used_at"] is String)
        #expect(try #require(list?.first { $0["name"] as? String == "old" })["revoked_at"] is String)
    }
}
