import Foundation
import Testing
import TestSupport

/// Issue 20, done when the README's API walk-through works with curl: its block, as written, against a
/// fresh desk (`invoice init`, one key) and a live server; only the port is the test's.
@Suite(.serialized)
struct ReadmeAPIWalkthroughTests {
    /// The shell block after "A walk-through with curl" in README.md.
    static func walkthrough() throws -> String {
        let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        guard let intro = readme.range(of: "A walk-through with curl"),
              let start = readme.range(of: "```sh\n", range: intro.upperBound..<readme.endIndex),
              let end = readme.range(of: "\n```", range: start.upperBound..<readme.endIndex) else {
            throw ProcessRunnerError.failed("README.md has no API walk-through block")
        }
        return String(readme[start.upperBound..<end.lowerBound])
    }

    @Test func theReadmeWalkthroughSignsUpInvoicesPaysAndGrantsThePlan() throws {
        let directory = try TemporaryDirectory("readme-api")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("invoice.sqlite"), today: APIDesk.today)
        let key = try cli.ok("api-keys", "create", "--name", "web-app")
        let server = try APIServer(database: cli.database)
        defer { server.stop() }
        let script = try Self.walkthrough()
        #expect(script.contains("127.0.0.1:8080"))
        let bin = Paths.invoiceExecutable.deletingLastPathComponent().path
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/bin/bash"),
                                           ["-euo", "pipefail", "-c", script.replacingOccurrences(of: "127.0.0.1:8080", with: "127.0.0.1:\(server.port)")],
                                           environment: ["KEY": key, "INVOICE_DB": try cli.location(), "INVOICE_TODAY": APIDesk.today,
                                                         "PATH": bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")],
                                           currentDirectory: directory.url, timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        // The last answer is the entitlement check: the paid plan is usable.
        let last = try #require(result.stdout.split(separator: "\n").last.map(String.init))
        let check = try #require(try JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])
        let entitlement = try #require(check["entitlement"] as? [String: Any])
        #expect(entitlement["product"] as? String == "Pro" && entitlement["active"] as? Bool == true)
        let pdf = try Data(contentsOf: directory.url.appendingPathComponent("INV-2026-00001.pdf"))
        #expect(pdf.starts(with: Array("%PDF-".utf8)))
        #expect(try cli.sql("SELECT status FROM invoices WHERE number = 'INV-2026-00001'").trimmingCharacters(in: .whitespacesAndNewlines) == "paid")
    }
}
