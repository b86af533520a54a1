import Foundation
import Testing
import TestSupport

/// The README's e-invoice recipe from an empty desk, run command by command as written there (read from
/// README.md, so the text cannot drift from what works), its mailed XRechnung judged by KoSIT's
/// XRechnung 3.0.2 rules and its mailed UBL to a French business by OpenPEPPOL's BIS Billing 3 rules.
@Suite struct ReadmeEInvoiceRecipeTests {
    /// The `invoice …` commands of the README's first code block after "from an empty desk".
    static func recipe() throws -> [[String]] {
        let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "Sending e-invoices, from an empty desk"))
        let block = try #require(readme[start.upperBound...].components(separatedBy: "```sh\n").dropFirst().first?
            .components(separatedBy: "```").first)
        var commands: [[String]] = []
        for line in block.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n") {
            for command in try words(String(line)).split(separator: [";"]) where command.first == "invoice" {
                commands.append(Array(command.dropFirst()))
            }
        }
        return commands
    }

    /// Shell words: double quotes group, `#` outside quotes starts a comment, `;` separates commands.
    static func words(_ line: String) throws -> [String] {
        var words: [String] = [], current = "", quoted = false, started = false
        for character in line {
            if character == "\"" { quoted.toggle(); started = true; continue }
            if !quoted && character == "#" { break }
            if !quoted && (character == " " || character == ";") {
                if started { words.append(current) }
                current = ""; started = false
                if character == ";" { words.append(";") }
                continue
            }
            current.append(character); started = true
        }
        #expect(!quoted, "unbalanced quotes in README line: \(line)")
        if started { words.append(current) }
        return words
    }

    // Mutation (mutants.tsv readme-recipe-no-phone): README recipe without `settings set phone` → issue refused (BT-42 named); this test fails.
    // (The recipe's XRechnung buyer is German with a buyer reference and its seller has a phone, so ignoring the
    // xrechnung-cii wish or claiming Peppol regardless changes nothing here: SpecificationChoiceTests and
    // OfficialRulesTests catch those, rows spec-ignores-xrechnung-wish and ubl-always-peppol.)
    @Test func theReadmeRecipeMailsAnXRechnungAndAPeppolUBLThatPassTheirRules() throws {
        let directory = try TemporaryDirectory("readme-einvoice")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        let commands = try Self.recipe()
        #expect(commands.count >= 14, "\(commands)")
        #expect(commands.contains { $0.starts(with: ["send"]) })
        for command in commands {
            let result = try cli.run(command)
            #expect(result.status == 0, "invoice \(command.joined(separator: " ")): \(result.stderr)")
        }
        // The XML the mails carry, saved from the queued messages (Python's email parser).
        let out = directory.path("attachments")
        let script = """
            import email, glob, os, sys
            from email import policy
            os.makedirs(sys.argv[2], exist_ok=True)
            for path in glob.glob(os.path.join(sys.argv[1], '*.eml')):
                message = email.message_from_binary_file(open(path, 'rb'), policy=policy.default)
                for part in message.iter_attachments():
                    if part.get_filename().endswith('.xml'):
                        open(os.path.join(sys.argv[2], part.get_filename()), 'wb').write(part.get_content())
            """
        let saved = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script, directory.path("Outbox"), out])
        #expect(saved.status == 0, "\(saved.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["INV-2026-00001.xml", "INV-2026-00002.ubl.xml"])

        try files.map { "\(out)/\($0)" }.joined(separator: "\n").write(toFile: directory.path("list.txt"), atomically: true, encoding: .utf8)
        let checker = Paths.packageRoot.appendingPathComponent("Tests/EInvoiceTests/Fixtures/check_einvoices.py").path
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", checker, directory.path("list.txt")], timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        var rules: [String: [String]] = [:]
        for line in result.stdout.split(separator: "\n") {
            let verdict = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let file = URL(fileURLWithPath: try #require(verdict["file"] as? String)).lastPathComponent
            rules[file] = verdict["rules"] as? [String]
            #expect((verdict["fatal"] as? [String]) == [], "\(file): \(verdict["fatal"] ?? "?")")
            #expect(verdict["xsd"] as? String == "ok", "\(file): \(verdict["xsd"] ?? "?")")
        }
        #expect(rules["INV-2026-00001.xml"] == ["EN16931", "XRechnung"])
        #expect(rules["INV-2026-00002.ubl.xml"] == ["EN16931", "Peppol"])
    }

    /// The README's old empty desk (no city, post code or telephone) cannot issue an XRechnung: refused,
    /// the missing business terms named, nothing changed.
    // Mutation (mutants.tsv issue-problem-skipped): Invoicing.issue not calling EInvoicing.issueProblem → the invoice is issued; this test fails.
    @Test func anXRechnungWithoutSellerCityPostcodePhoneIsNotIssued() throws {
        let directory = try TemporaryDirectory("readme-einvoice-old")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        for (key, value) in [("company", "Nordlicht GmbH"), ("country", "DE"), ("vat_id", "DE811907980"),
                             ("iban", "DE89370400440532013000"), ("email", "billing@nordlicht.example")] {
            try cli.ok("settings", "set", key, value)
        }
        let id = try cli.ok("customer", "add", "--company", "Bundesamt für Daten", "--email", "eingang@bund.example",
                            "--country", "DE", "--currency", "EUR", "--language", "de", "--postcode", "10557", "--town", "Berlin",
                            "--buyer-reference", "991-12345-73", "--einvoice", "xrechnung-cii")
        let draft = try cli.ok("new", id, "--line", "Beratung;2;150.00;19;;h")
        let before = try cli.dump()
        let issued = try cli.run("issue", draft)
        #expect(issued.status == 1)
        for term in ["BT-37", "BT-38", "BT-42"] { #expect(issued.stderr.contains(term), "\(issued.stderr)") }
        #expect(try cli.dump() == before)
    }
}
