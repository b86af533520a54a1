import Foundation
import Testing
import TestSupport

/// `new|edit --purchase-order REF`: the buyer's order an invoice bills, printed as "Your order" in every
/// format and carried by the e-invoice as BT-13 (CII `BuyerOrderReferencedDocument`, UBL `OrderReference`);
/// for a Peppol buyer without a buyer reference it meets PEPPOL-EN16931-R003, judged by Peppol's rules.
@Suite struct PurchaseOrderTests {
    // Mutation (mutants.tsv einvoice-purchase-order): EInvoice+Document not copying invoice.purchaseOrder → no BT-13, R003 fatal; this fails.
    // Mutation (mutants.tsv store-purchase-order): the store not writing purchase_order → nothing printed; this fails.
    @Test("A purchase order is printed and is BT-13 of the CII and the Peppol UBL, which pass Peppol's rules")
    func purchaseOrderIsPrintedAndSent() throws {
        let directory = try TemporaryDirectory("purchase-order")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        for (key, value) in [("company", "Cloudwerk AG"), ("street", "Technoparkstrasse"), ("building", "1"),
                             ("postcode", "8005"), ("town", "Zürich"), ("country", "CH"), ("vat_id", "CHE-109.322.551 MWST"),
                             ("email", "billing@cloudwerk.example"), ("iban", "CH93 0076 2011 6238 5295 7")] {
            try cli.ok("settings", "set", key, value)
        }
        let customer = try cli.ok("customer", "add", "--company", "Société Exemple SA", "--email", "compta@exemple.fr",
                                  "--country", "FR", "--currency", "EUR", "--language", "fr", "--street", "rue de la Paix",
                                  "--building", "12", "--postcode", "75002", "--town", "Paris", "--vat-id", "FR40303265045",
                                  "--electronic-address", "0009:30326504500017", "--einvoice", "ubl")
        let draft = try cli.ok("new", customer, "--line", "Conseil;2;150.00;0;;h", "--tax-category", "AE",
                               "--purchase-order", "typo")
        try cli.ok("edit", draft, "--purchase-order", "PO-2026-4711")
        let said = try cli.ok("issue", draft)
        let number = try #require(said.split(separator: " ").dropFirst().first.map(String.init), "\(said)")

        let text = try cli.ok("show", number, "--txt")
        #expect(text.contains("Votre commande: PO-2026-4711"), "\(text)")
        #expect(!text.contains("typo"))
        #expect(try cli.ok("show", number, "--html").contains("<th>Votre commande</th><td>PO-2026-4711</td>"))
        let pdf = directory.path("\(number).pdf")
        try cli.run("show", number, "--pdf").stdoutData.write(to: URL(fileURLWithPath: pdf))
        let extracted = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["pdftotext", "-layout", pdf, "-"])
        #expect(extracted.status == 0, "\(extracted.stderr)")
        #expect(extracted.stdout.contains("Votre commande") && extracted.stdout.contains("PO-2026-4711"), "\(extracted.stdout)")

        let ubl = try cli.ok("show", number, "--xml", "ubl")
        let cii = try cli.ok("show", number, "--xml", "cii")
        #expect(ubl.contains("<cac:OrderReference><cbc:ID>PO-2026-4711</cbc:ID></cac:OrderReference>"), "\(ubl)")
        #expect(!ubl.contains("<cbc:BuyerReference>"), "R003 rests on BT-13 alone")
        #expect(cii.contains("<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>PO-2026-4711</ram:IssuerAssignedID>"), "\(cii)")
        // Its credit note names the same order.
        let note = try cli.ok("credit-note", number, "--amount", "50.00", "--reason", "Geste commercial", "--no-mail")
        let noteUBL = try cli.ok("show", note, "--xml", "ubl")
        #expect(noteUBL.contains("<cac:OrderReference><cbc:ID>PO-2026-4711</cbc:ID></cac:OrderReference>"), "\(noteUBL)")

        var files: [String] = []
        for (name, xml) in [("\(number).ubl.xml", ubl), ("\(number).cii.xml", cii), ("\(note).ubl.xml", noteUBL)] {
            try xml.write(toFile: directory.path(name), atomically: true, encoding: .utf8)
            files.append(directory.path(name))
        }
        try files.joined(separator: "\n").write(toFile: directory.path("list.txt"), atomically: true, encoding: .utf8)
        let checker = Paths.packageRoot.appendingPathComponent("Tests/EInvoiceTests/Fixtures/check_einvoices.py").path
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", checker, directory.path("list.txt")], timeout: 600)
        #expect(result.status == 0, "\(result.stderr)")
        var rules: [String: [String]] = [:]
        for line in result.stdout.split(separator: "\n") {
            let verdict = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let file = URL(fileURLWithPath: try #require(verdict["file"] as? String)).lastPathComponent
            rules[file] = try #require(verdict["rules"] as? [String])
            #expect((verdict["fatal"] as? [String]) == [], "\(file): \(verdict["fatal"] ?? "?")")
            #expect(verdict["xsd"] as? String == "ok", "\(file): \(verdict["xsd"] ?? "?")")
        }
        #expect(rules["\(number).ubl.xml"] == ["EN16931", "Peppol"])
        #expect(rules["\(note).ubl.xml"] == ["EN16931", "Peppol"])
        #expect(rules["\(number).cii.xml"] == ["EN16931"])
    }
}
