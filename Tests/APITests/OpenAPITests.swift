import Foundation
import Testing
import TestSupport

/// Issue 20: the OpenAPI 3.1 document at GET /v1/openapi.json (no key) is the repository's openapi.json,
/// `openapi-spec-validator` accepts it, and `schemathesis` run against the live server on a seeded desk
/// finds no 5xx and no answer outside the document.
@Suite(.serialized)
struct OpenAPITests {
    static var repositoryDocument: URL { Paths.packageRoot.appendingPathComponent("openapi.json") }

    /// Mutation (mutants.tsv api-openapi-needs-key): APIHandler.swift serves the document only with a
    /// key: the GET without one answers 401.
    @Test func theServedDocumentIsTheRepositoryFileAndTheValidatorAcceptsIt() throws {
        let desk = try APIDesk("openapi-served")
        defer { desk.remove() }
        _ = try desk.createKey("app")
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let answer = try CurlClient.send("GET", server.url + "/v1/openapi.json", key: nil)
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"] == "application/json")
        #expect(answer.body == (try String(contentsOf: Self.repositoryDocument, encoding: .utf8)))
        let document = try answer.object()
        #expect(document["openapi"] as? String == "3.1.0")
        let served = fixturePath(desk, "served.json")
        try Data(answer.body.utf8).write(to: URL(fileURLWithPath: served))
        let check = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-m", "openapi_spec_validator", served], timeout: 60)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
    }

    func fixturePath(_ desk: APIDesk, _ name: String) -> String { desk.directory.path(name) }

    /// At most 10 examples per operation (`-n 10`), seed 1, the coverage and fuzzing phases, with the
    /// seeded customer, invoice and module as path values, every check but positive_data_acceptance (a
    /// schema-valid request the books refuse, such as cancelling a trial, is a 422 by design): no 5xx,
    /// every answer's status, content type, headers and body as the document says, invalid input refused,
    /// 405 with Allow, no operation without the key.
    /// Mutation (mutants.tsv api-entitlement-shape): APIHandler+Bookings.swift names `usable_until`
    /// `valid_until`: schemathesis finds entitlements outside their schema.
    @Test func schemathesisFindsNoServerErrorAndNoAnswerOutsideTheDocument() throws {
        let desk = try APIDesk("openapi-schemathesis")
        defer { desk.remove() }
        let key = try desk.createKey("app")
        try desk.cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.example", "--country", "DE")
        try desk.cli.ok("plan", "1", "activate", "Pro", "--monthly")
        try desk.cli.ok("module", "1", "activate", "Zeit", "--trial")
        try desk.cli.ok("new", "1", "--line", "Consulting;2;150.00;19", "--issue")
        let server = try APIServer(database: desk.cli.database)
        defer { server.stop() }
        let config = fixturePath(desk, "schemathesis.toml")
        try """
            [parameters]
            "path.id" = 1
            "path.number" = "INV-2026-00001"
            "path.module" = "Zeit"
            """.write(toFile: config, atomically: true, encoding: .utf8)
        // First the reads against the seeded desk as it is (the writes would cancel and withdraw its
        // bookings before the entitlements are read), then every operation.
        for methods in [["--include-method", "GET"], []] {
            let run = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), [
                "schemathesis", "--config-file", config, "run", server.url + "/v1/openapi.json",
                "-H", "Authorization: Bearer \(key)", "-n", "10", "--seed", "1", "--no-color", "--generation-database", "none",
                "--phases", "coverage,fuzzing", "--checks", "all", "--exclude-checks", "positive_data_acceptance",
            ] + methods, currentDirectory: desk.directory.url, timeout: 400)
            let summary = run.stdout.split(separator: "\n").filter { $0.contains("generated") || $0.contains("Tested:") }
            #expect(run.status == 0, "\(methods): \(summary.joined(separator: "\n"))\n\(run.stdout.suffix(4000))")
            #expect(summary.contains { $0.contains(methods.isEmpty ? "Tested: 22" : "Tested: 9") })
            #expect(summary.contains { $0.contains("generated") && $0.contains("passed") && !$0.contains("failed") })
        }
    }
}
