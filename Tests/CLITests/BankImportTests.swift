import Billing
import Foundation
import Testing
import TestSupport

/// `invoice payments import` as a user runs it: camt.053/054 files the tests write (each validated
/// against the ISO 20022 XSD of its version), the real binary, a real SQLite file with receipts queued.
@Suite struct BankImportTests {
    let directory: TemporaryDirectory
    let cli: InvoiceCLI
    let customer: String

    init() throws {
        directory = try TemporaryDirectory("bank-import")
        cli = try InvoiceCLI.creating(database: directory.path("bank.sqlite"), today: "2026-11-25", workingDirectory: directory.url)
        try cli.ok("settings", "set", "company", "Rappen AG")
        try cli.ok("settings", "set", "email", "billing@rappen.example")
        customer = try cli.ok("customer", "add", "--company", "Kasse GmbH", "--email", "ap@kasse.ch",
                              "--country", "CH", "--currency", "CHF", "--language", "de")
    }

    func invoice(_ amount: String) throws -> String {
        try cli.ok("new", customer, "--line", "Beratung;1;\(amount);0", "--issue")
    }

    func object(_ arguments: String...) throws -> [String: Any] {
        try #require(try cli.json(arguments) as? [String: Any])
    }

    /// Writes the files, requires each to be valid against its version's XSD, and returns their paths.
    func files(_ camt: CamtFile...) throws -> [String] {
        let paths = try camt.enumerated().map { index, file in
            try file.write(to: directory.url.appendingPathComponent("camt\(file.kind)-\(UUID().uuidString.prefix(6))-\(index).xml"))
        }
        let invalid = try CamtFile.validate(paths)
        #expect(invalid.isEmpty, "\(invalid)")
        return paths
    }

    func qrr(_ number: String) -> String { PaymentReference.qrReference(from: number) ?? "" }

    /// The import's last line: the summary per outcome.
    func summary(_ result: ProcessResult) -> String {
        String(result.stdout.split(separator: "\n").last ?? "")
    }

    // A day's QR-bill payments as one batch entry (Sammelgutschrift) with a transaction each: matched by
    // QR reference, creditor reference and an invoice number in the free text; dated by the booking date;
    // the plan the first one pays is activated; each paid invoice's receipt is queued.
    // Mutation (mutants.tsv bank-qrr-unverified): skip `isValidQRReference` → the wrong check digit is reported as
    // "no invoice has" it and this test fails. Mutation (bank-date-today): date payments `today` → fails.
    @Test func aBatchOfQRBillPaymentsPaysEachInvoice() throws {
        defer { directory.remove() }
        try cli.ok("catalog", "add-plan", "Business", "--currency", "CHF", "--monthly", "50.00", "--yearly", "500.00", "--vat", "8.1")
        let plan = try #require(try cli.json("plan", customer, "activate", "Business", "--monthly") as? [String: Any])
        let first = try #require(plan["invoice"] as? String)
        let second = try invoice("200.00"), third = try invoice("300.00")
        #expect(qrr(first) == "000000000000000002026000014")  // stdnum.ch.esr's check digit for INV-2026-00001
        let wrongCheck = String(qrr(third).dropLast()) + (qrr(third).last == "9" ? "0" : "9")
        var camt = CamtFile()
        camt.entries = [CamtFile.Entry(amount: "564.05", booked: "2026-11-27", accountServicerReference: "ESR-20261127-1", transactions: [
            CamtFile.Tx(amount: "54.05", accountServicerReference: "TX-1", referenceType: "QRR", reference: qrr(first)),
            CamtFile.Tx(amount: "200.00", accountServicerReference: "TX-2", referenceType: "SCOR",
                        reference: PaymentReference.creditorReference(from: second)),
            CamtFile.Tx(amount: "300.00", accountServicerReference: "TX-3", unstructured: ["Rechnung \(third), danke"]),
            CamtFile.Tx(amount: "10.00", accountServicerReference: "TX-4", referenceType: "QRR", reference: wrongCheck),
        ])]
        let later = InvoiceCLI(database: directory.path("bank.sqlite"), today: "2026-11-28", workingDirectory: directory.url)
        let result = try later.run(["payments", "import"] + (try files(camt)))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary(result) == "3 matched (CHF 554.05), 0 credited, 1 unmatched (CHF 10.00), 0 duplicate, 0 reversed, 0 ignored, 0 charges", "\(result.stdout)")
        #expect(result.stdout.contains("QR reference \(wrongCheck) fails its check digit"), "\(result.stdout)")
        for number in [first, second, third] {
            let shown = try object("show", number)
            #expect(shown["status"] as? String == "paid", "\(number)")
            let payments = try #require(shown["payments"] as? [[String: Any]])
            #expect(payments.map { $0["date"] as? String } == ["2026-11-27"])
            #expect(payments.map { $0["method"] as? String } == ["bank"])
        }
        let bookings = try #require(try cli.json("plan", customer, "list") as? [[String: Any]])
        #expect(bookings.map { $0["status"] as? String } == ["active"])
        #expect(bookings.first?["start"] as? String == "2026-11-27")
        let outbox = try #require(try cli.json("outbox", "list") as? [[String: Any]])
        #expect(outbox.filter { $0["kind"] as? String == "receipt" }.count == 3)
        let unmatched = try #require(try cli.json("payments", "unmatched") as? [[String: Any]])
        #expect(unmatched.map { $0["amount"] as? String } == ["10.00"])
    }

    // The same file twice, then a month-end camt.053 repeating the notification (the batch entry with
    // and without its details): nothing is recorded twice, the database is as after the first import.
    // Mutation (mutants.tsv bank-key-unchecked): `addBankTransaction` skips its lookup → the second import
    // pays again and this test fails.
    @Test func importingAgainOrAnOverlappingStatementRecordsNothingTwice() throws {
        defer { directory.remove() }
        let a = try invoice("100.00"), b = try invoice("50.00")
        let batch = CamtFile.Entry(amount: "150.00", accountServicerReference: "BATCH-77", transactions: [
            CamtFile.Tx(amount: "100.00", accountServicerReference: "T-1", referenceType: "QRR", reference: qrr(a)),
            CamtFile.Tx(amount: "50.00", accountServicerReference: "T-2", referenceType: "QRR", reference: qrr(b)),
        ])
        var notification = CamtFile(), statement = CamtFile(kind: "053", version: 8), bare = CamtFile(kind: "053", version: 4)
        notification.entries = [batch]
        statement.entries = [batch]
        var withoutDetails = batch
        withoutDetails.transactions = []
        bare.entries = [withoutDetails]
        let paths = try files(notification, statement, bare)
        #expect(summary(try cli.run("payments", "import", paths[0])).hasPrefix("2 matched (CHF 150.00)"))
        let after = try cli.dump()
        let again = try cli.run("payments", "import", paths[0], paths[1], paths[2])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(summary(again) == "0 matched, 0 credited, 0 unmatched, 5 duplicate (CHF 450.00), 0 reversed, 0 ignored, 0 charges")
        #expect(try cli.dump() == after)
        #expect(try object("show", a)["paid"] as? String == "100.00")
    }

    // A partial payment leaves the rest open; an overpayment pays and puts the surplus on the customer's
    // credit; money for a cancelled invoice becomes credit; a payment in another currency is kept
    // unmatched, like one whose reference no invoice has, which `payments assign` then applies.
    @Test func partialOverCancelledForeignAndUnknownMoneyIsNeverRefused() throws {
        defer { directory.remove() }
        let partial = try invoice("100.00"), over = try invoice("100.00"), cancelled = try invoice("80.00"), later = try invoice("40.00")
        try cli.ok("cancel", cancelled)
        var camt = CamtFile(version: 6)
        camt.entries = [
            CamtFile.Entry(amount: "60.00", accountServicerReference: "E-1", transactions: [
                CamtFile.Tx(amount: "60.00", referenceType: "QRR", reference: qrr(partial))]),
            CamtFile.Entry(amount: "130.00", accountServicerReference: "E-2", transactions: [
                CamtFile.Tx(amount: "130.00", referenceType: "QRR", reference: qrr(over))]),
            CamtFile.Entry(amount: "80.00", accountServicerReference: "E-3", transactions: [
                CamtFile.Tx(amount: "80.00", unstructured: ["\(cancelled)"])]),
            CamtFile.Entry(amount: "40.00", currency: "EUR", accountServicerReference: "E-4", transactions: [
                CamtFile.Tx(amount: "40.00", currency: "EUR", referenceType: "QRR", reference: qrr(later))]),
            CamtFile.Entry(amount: "40.00", accountServicerReference: "E-5", transactions: [
                CamtFile.Tx(amount: "40.00", unstructured: ["Danke fuer alles"])]),
        ]
        let result = try cli.run(["payments", "import"] + (try files(camt)))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary(result) == "2 matched (CHF 190.00), 1 credited (CHF 80.00), 2 unmatched (EUR 40.00 + CHF 40.00), 0 duplicate, 0 reversed, 0 ignored, 0 charges", "\(result.stdout)")
        #expect(try object("show", partial)["status"] as? String == "partially_paid")
        #expect(try object("show", partial)["open"] as? String == "40.00")
        #expect(try object("show", over)["status"] as? String == "paid")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "110.00")  // 30 over + 80 cancelled
        #expect(try object("show", later)["status"] as? String == "open")
        let unmatched = try #require(try cli.json("payments", "unmatched") as? [[String: Any]])
        #expect(unmatched.count == 2)
        let chf = try #require(unmatched.first { $0["currency"] as? String == "CHF" }?["event"] as? String)
        #expect(try cli.ok("payments", "assign", chf, later).hasPrefix("assigned \(chf) to \(later): now paid"))
        #expect(try object("show", later)["payments"].map { ($0 as? [[String: Any]])?.first?["method"] as? String } == "bank")
    }

    // A reversal (RvslInd, a debit naming the payer's EndToEndId) takes back the payment it names: the
    // invoice is open again and says why; the credit it made is gone.
    // Mutation (mutants.tsv bank-reversal-ignored): treat RvslInd as a plain debit → the invoice stays paid and this fails.
    @Test func aReversalTakesBackThePaymentItNames() throws {
        defer { directory.remove() }
        let number = try invoice("100.00")
        var credit = CamtFile(), reversal = CamtFile(messageID: "MSG-2")
        credit.entries = [CamtFile.Entry(amount: "120.00", accountServicerReference: "IN-1", transactions: [
            CamtFile.Tx(amount: "120.00", endToEndID: "E2E-4711", referenceType: "QRR", reference: qrr(number))])]
        reversal.entries = [CamtFile.Entry(amount: "120.00", direction: "DBIT", reversal: true, booked: "2026-11-26",
                                           accountServicerReference: "RV-1", transactions: [
            CamtFile.Tx(amount: "120.00", direction: "DBIT", endToEndID: "E2E-4711", referenceType: "QRR", reference: qrr(number),
                        returnReason: "AC04")])]
        let paths = try files(credit, reversal)
        try cli.ok("payments", "import", paths[0])
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "20.00")
        let result = try cli.run("payments", "import", paths[1])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary(result) == "0 matched, 0 credited, 0 unmatched, 0 duplicate, 1 reversed (CHF 120.00), 0 ignored, 0 charges", "\(result.stdout)")
        #expect(result.stdout.contains("open again, CHF 100.00 open (return reason AC04)"), "\(result.stdout)")
        let shown = try object("show", number)
        #expect(shown["status"] as? String == "open")
        #expect(shown["paid"] as? String == "0.00")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "0.00")
        // The same reversal again is a duplicate, not a second take-back.
        #expect(summary(try cli.run("payments", "import", paths[1])).contains("1 duplicate (CHF 120.00)"))
    }

    // Bank charges taken out of a payment are the operator's cost: the invoice is credited with what the
    // customer sent, the charges are reported; a debit and a separate charges entry are reported, not recorded.
    // Mutation (mutants.tsv bank-charges-shortfall): drop the adding back of included charges → the invoice
    // is partially paid and this fails.
    @Test func chargesAndDebitsAreReportedNotRecorded() throws {
        defer { directory.remove() }
        let number = try invoice("100.00")
        var camt = CamtFile(kind: "053", version: 8)
        camt.entries = [
            CamtFile.Entry(amount: "98.50", accountServicerReference: "C-1", transactions: [
                CamtFile.Tx(amount: "98.50", referenceType: "QRR", reference: qrr(number), charges: [CamtFile.Charge(amount: "1.50")])]),
            CamtFile.Entry(amount: "500.00", direction: "DBIT", accountServicerReference: "D-1", family: "ICDT", subFamily: "ESCT",
                           additionalInfo: "Rent December"),
            CamtFile.Entry(amount: "5.00", direction: "DBIT", accountServicerReference: "F-1", family: "CHRG", subFamily: "OTHR",
                           additionalInfo: "Account fee"),
        ]
        let before = try cli.sql("SELECT count(*) FROM payments")
        let result = try cli.run(["payments", "import"] + (try files(camt)))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary(result) == "1 matched (CHF 100.00), 0 credited, 0 unmatched, 0 duplicate, 0 reversed, 1 ignored (CHF 500.00), 2 charges (CHF 6.50)", "\(result.stdout)")
        #expect(try object("show", number)["status"] as? String == "paid")
        #expect(before.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        #expect(try cli.sql("SELECT count(*) FROM payments").trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        #expect(try #require(try cli.json("payments", "unmatched") as? [Any]).isEmpty)
    }

    // 500 transactions in one batch entry (camt.054.001.04, SPS 2019): 50 pay each of 10 invoices, and
    // --dry-run shows the same summary with nothing recorded.
    @Test func aBatchOf500Transactions() throws {
        defer { directory.remove() }
        let numbers = try (0..<10).map { _ in try invoice("50.00") }
        var camt = CamtFile(version: 4)
        camt.entries = [CamtFile.Entry(amount: "500.00", accountServicerReference: "BIG-1", transactions: (0..<500).map { index in
            CamtFile.Tx(amount: "1.00", accountServicerReference: "BIG-1-\(index)", referenceType: "QRR", reference: qrr(numbers[index % 10]))
        })]
        let paths = try files(camt)
        let before = try cli.dump()
        let dry = try cli.run("payments", "import", "--dry-run", paths[0])
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(summary(dry) == "dry run, nothing recorded: 500 matched (CHF 500.00), 0 credited, 0 unmatched, 0 duplicate, 0 reversed, 0 ignored, 0 charges")
        #expect(try cli.dump() == before)
        let json = try #require(try cli.json("payments", "import", paths[0]) as? [String: Any])
        let outcomes = try #require(json["outcomes"] as? [String: [String: Any]])
        #expect(outcomes["matched"]?["count"] as? Int == 500)
        #expect(json["messages"] as? [String] == ["camt.054.001.04"])
        for number in numbers { #expect(try object("show", number)["status"] as? String == "paid") }
        #expect(try #require(try cli.json("outbox", "list") as? [[String: Any]]).filter { $0["kind"] as? String == "receipt" }.count == 10)
    }

    // Every version from .001.04 to .001.08 of both messages is read (each file valid against its XSD).
    @Test func everyVersionOfBothMessages() throws {
        defer { directory.remove() }
        let number = try invoice("10.00")
        var camts: [CamtFile] = []
        for kind in ["053", "054"] {
            for version in 4...8 {
                var camt = CamtFile(kind: kind, version: version, messageID: "M-\(kind)-\(version)")
                camt.entries = [CamtFile.Entry(amount: "1.00", accountServicerReference: "V-\(kind)-\(version)", transactions: [
                    CamtFile.Tx(amount: "1.00", referenceType: "QRR", reference: qrr(number), debtor: "Zoë Müller & Co")])]
                camts.append(camt)
            }
        }
        let paths = try camts.enumerated().map { index, camt in
            try camt.write(to: directory.url.appendingPathComponent("v\(index).xml"))
        }
        #expect(try CamtFile.validate(paths).isEmpty)
        let result = try cli.run(["payments", "import"] + paths)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(summary(result).hasPrefix("10 matched (CHF 10.00), 0 credited"), "\(result.stdout)")
        #expect(try object("show", number)["status"] as? String == "paid")
    }

    // Files from outside that are not bank files: one clear line, a non-zero exit, nothing recorded —
    // also for the good file named before the bad one (all files are imported whole or not at all).
    // Mutation (mutants.tsv bank-doctype-allowed): skip `checkProlog` → the XXE file is read and this fails.
    @Test func malformedForeignAndHostileFilesAreRefusedWhole() throws {
        defer { directory.remove() }
        let number = try invoice("10.00")
        var good = CamtFile()
        good.entries = [CamtFile.Entry(amount: "10.00", accountServicerReference: "G-1", transactions: [
            CamtFile.Tx(amount: "10.00", referenceType: "QRR", reference: qrr(number))])]
        let goodPath = try files(good)[0]
        let text = good.xml
        let cases: [(String, String, String)] = [
            ("truncated", String(text.dropLast(30)), "before </Document> (cut short?)"),
            ("malformed", text.replacingOccurrences(of: "</GrpHdr>", with: "</GrpHdrX>"), "malformed XML at line"),
            ("namespace", text.replacingOccurrences(of: "urn:iso:std:iso:20022:tech:xsd:camt.054.001.08", with: "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"),
             "not a camt.053 or camt.054 one"),
            ("version", text.replacingOccurrences(of: "camt.054.001.08", with: "camt.054.001.02"),
             "camt.054.001.02 is a version this program does not read (it reads .001.04 to .001.08)"),
            ("xxe", text.replacingOccurrences(of: "<Document", with: "<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<Document")
                .replacingOccurrences(of: "SPS/2.0/PROD", with: "&x;"), "declares a DOCTYPE"),
            ("amount", text.replacingOccurrences(of: ">10.00</Amt>", with: ">10.001</Amt>"), "is not an amount"),
        ]
        let before = try cli.dump()
        for (name, body, message) in cases {
            let path = directory.path("\(name).xml")
            try Data(body.utf8).write(to: URL(fileURLWithPath: path))
            let result = try cli.run("payments", "import", goodPath, path)
            #expect(result.status != 0, "\(name)")
            #expect(result.stderr.contains(path) && result.stderr.contains(message), "\(name): \(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(name): \(result.stderr)")
            #expect(!result.stderr.contains("root:"), "\(name): \(result.stderr)")
            #expect(try cli.dump() == before, "\(name)")
        }
    }

    // A bank file larger than the limit (100 MB, `--max-mb`) is refused before it is read: one line,
    // nothing recorded. The 200 MB file is sparse (a valid head, then zeros): the size is checked, not
    // the content, so the test writes no 200 MB; scripts/bench camt parses one that size for memory.
    // Mutation (mutants.tsv bank-size-unchecked): never refuse by size → the 200 MB file is parsed (malformed) and the padded one is imported.
    @Test func aFileOverTheSizeLimitIsRefusedWhole() throws {
        defer { directory.remove() }
        let number = try invoice("10.00")
        var good = CamtFile()
        good.entries = [CamtFile.Entry(amount: "10.00", accountServicerReference: "S-1", transactions: [
            CamtFile.Tx(amount: "10.00", referenceType: "QRR", reference: qrr(number))])]
        let huge = directory.path("camt054-200mb.xml")
        try Data(good.xml.utf8).write(to: URL(fileURLWithPath: huge))
        let handle = try #require(FileHandle(forWritingAtPath: huge))
        try handle.truncate(atOffset: 200_000_000)
        try handle.close()
        let before = try cli.dump()
        let refused = try cli.run("payments", "import", huge)
        #expect(refused.status != 0)
        #expect(refused.stderr == "invoice: \(huge) is 200.0 MB, more than the 100 MB a bank file may have (--max-mb raises it); nothing was imported\n",
                "\(refused.stderr)")
        #expect(try cli.dump() == before)
        // A smaller limit: 1.1 MB (the file and trailing white space, which XML allows) is over 1 MB, under 2.
        let padded = directory.path("camt054-padded.xml")
        try Data((good.xml + String(repeating: " ", count: 1_100_000)).utf8).write(to: URL(fileURLWithPath: padded))
        let small = try cli.run("payments", "import", "--max-mb", "1", padded)
        #expect(small.status != 0)
        #expect(small.stderr.contains("is 1.1 MB, more than the 1 MB a bank file may have"), "\(small.stderr)")
        #expect(small.stderr.split(separator: "\n").count == 1, "\(small.stderr)")
        #expect(try cli.dump() == before)
        let taken = try cli.run("payments", "import", "--max-mb", "2", padded)
        #expect(taken.status == 0, "\(taken.stderr)")
        #expect(try object("show", number)["status"] as? String == "paid")
    }
}
