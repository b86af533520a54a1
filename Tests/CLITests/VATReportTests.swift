import Foundation
import Testing
import TestSupport

/// `invoice report vat` (issue 22): the received basis (by payment, proportional for part payments,
/// exact to the cent) and the invoiced basis judged by the e-invoices themselves (BT-116/BT-117 read
/// back from the CII with Python's xml.etree).
@Suite struct VATReportTests {
    /// `rows` of a `report vat --json` as "CUR CAT RATE" → (net, vat) strings.
    static func figures(_ cli: InvoiceCLI, _ from: String, _ to: String, basis: String) throws -> [String: [String]] {
        let report = try #require(try cli.json("report", "vat", "--from", from, "--to", to, "--basis", basis) as? [String: Any])
        #expect(report["basis"] as? String == basis)
        var out: [String: [String]] = [:]
        for row in try #require(report["rows"] as? [[String: Any]]) {
            let key = "\(row["currency"] as? String ?? "?") \(row["category"] as? String ?? "?") \(row["rate"] as? String ?? "?")"
            out[key] = [row["net"] as? String ?? "?", row["vat"] as? String ?? "?"]
        }
        return out
    }

    // Mutation (mutants.tsv vat-received-smallest-remainder): the missing cents go to the smallest
    // remainders → the first part payment's split differs from the hand-computed one; this test fails.
    // Mutation (mutants.tsv vat-received-surplus-counted): a payment beyond what the invoice still owes
    // counts as its consideration → the third quarter's figures are too high; this test fails.
    // Mutation (mutants.tsv vat-received-notes-ignored): a credit note's money back is not counted → the
    // third quarter misses the credit note; this test fails.
    // Mutation (mutants.tsv vat-received-not-differenced): each settlement counts its cumulative share
    // instead of the difference to the one before → the second quarter counts the first payment again.
    @Test func partPaymentsCountInProportionInThePeriodTheMoneyMoves() throws {
        let directory = try TemporaryDirectory("vat-received")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"), today: "2026-01-10")
        func on(_ day: String) -> InvoiceCLI { InvoiceCLI(database: cli.database, today: day) }
        try cli.ok("settings", "set", "company", "Bücher GmbH")
        try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "ap@acme.de", "--country", "DE", "--currency", "EUR")
        // 172.50: 100.00 + 19.00 at 19 %, 50.00 + 3.50 at 7 %.
        let first = try cli.ok("new", "1", "--line", "Beratung;1;100.00;19", "--line", "Buch;1;50.00;7", "--issue")
        try on("2026-02-15").ok("pay", first, "--amount", "100.00")
        try on("2026-04-10").ok("pay", first, "--amount", "80.00")                // 7.50 beyond: customer credit
        let second = try on("2026-05-05").ok("new", "1", "--line", "Lizenz;1;200.00;19", "--issue")   // 238.00, 7.50 prepaid
        try on("2026-05-20").ok("credit-note", second, "--amount", "119.00")       // only reduces what is open
        try on("2026-07-01").ok("pay", second, "--amount", "120.00")                // 111.50 owed: 8.50 beyond
        try on("2026-08-01").ok("credit-note", first, "--line", "Rabatt;1;10.00;19")   // paid invoice: to the balance

        // Q1: 100.00 of 172.50. Exact shares 57.971 / 11.014 / 28.985 / 2.029 → floors 99.98; the two
        // missing cents go to the largest remainders (VAT 7 %, then net 7 %).
        #expect(try Self.figures(cli, "2026-01-01", "2026-03-31", basis: "received")
            == ["EUR S 19": ["57.97", "11.01"], "EUR S 7": ["28.99", "2.03"]])
        // Q2: the rest of the first (42.03 / 7.99, 21.01 / 1.47) and the 7.50 credit applied to the
        // second (7.50 / 238.00 of 200.00 + 38.00: 6.30 / 1.20).
        #expect(try Self.figures(cli, "2026-04-01", "2026-06-30", basis: "received")
            == ["EUR S 19": ["48.33", "9.19"], "EUR S 7": ["21.01", "1.47"]])
        // Q3: the second is settled up to 119.00 of 238.00 (7.50 + 111.50; the other 8.50 is credit):
        // half of it, less what Q2 counted (93.70 / 17.80); the credit note to the balance −10.00 / −1.90.
        #expect(try Self.figures(cli, "2026-07-01", "2026-09-30", basis: "received")
            == ["EUR S 19": ["83.70", "15.90"]])
        // The invoiced basis of the same year: both invoices and both credit notes at their issue dates.
        #expect(try Self.figures(cli, "2026-01-01", "2026-12-31", basis: "invoiced")
            == ["EUR S 19": ["190.00", "36.10"], "EUR S 7": ["50.00", "3.50"]])
        let refused = try cli.run("report", "vat", "--from", "2026-01-01", "--to", "2026-12-31", "--basis", "paid")
        #expect(refused.status != 0 && refused.stderr.contains("is not a basis"), "\(refused.stderr)")
    }

    // Mutation (mutants.tsv vat-received-first-day-dropped): settlements on the first day of a period are
    // left out → the months miss those of 1 February and 1 March; this test fails.
    @Test func theReceivedBasisOfMonthsAddsUpToTheirQuarterToTheCent() throws {
        let directory = try TemporaryDirectory("vat-received-months")
        defer { directory.remove() }
        let database = try JournalExportTests.randomYear(in: directory, steps: 160, seed: 11)
        let cli = InvoiceCLI(database: database, today: "2027-01-31")
        let quarter = try Self.figures(cli, "2026-01-01", "2026-03-31", basis: "received")
        var months: [String: [Int64]] = [:]
        for (from, to) in [("2026-01-01", "2026-01-31"), ("2026-02-01", "2026-02-28"), ("2026-03-01", "2026-03-31")] {
            for (key, value) in try Self.figures(cli, from, to, basis: "received") {
                let minor = value.map { Int64($0.replacingOccurrences(of: ".", with: "")) ?? Int64.min }
                months[key] = zip(months[key] ?? [0, 0], minor).map { $0 + $1 }
            }
        }
        #expect(quarter.count >= 4)
        for (key, value) in quarter {
            #expect(value.map { Int64($0.replacingOccurrences(of: ".", with: "")) ?? Int64.min } == months[key] ?? [], "\(key)")
        }
    }

    /// Reads every CII file in argv[1] with the EN 16931 XPaths and prints, per "CUR CAT RATE", the
    /// Σ of BT-116 (ApplicableTradeTax/BasisAmount) and BT-117 (CalculatedAmount) of the document level,
    /// credit notes (type 381) negative.
    static let ciiSums = #"""
        import sys, os, decimal, json, xml.etree.ElementTree as ET
        ns = {'rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
              'ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100'}
        sums, documents = {}, 0
        for name in sorted(os.listdir(sys.argv[1])):
            if not name.endswith('.xml'): continue
            root = ET.parse(os.path.join(sys.argv[1], name)).getroot()
            kind = root.find('rsm:ExchangedDocument/ram:TypeCode', ns).text
            settlement = root.find('rsm:SupplyChainTradeTransaction/ram:ApplicableHeaderTradeSettlement', ns)
            currency = settlement.find('ram:InvoiceCurrencyCode', ns).text
            sign = -1 if kind == '381' else 1
            documents += 1
            for tax in settlement.findall('ram:ApplicableTradeTax', ns):
                rate = decimal.Decimal(tax.find('ram:RateApplicablePercent', ns).text).normalize()
                key = '%s %s %s' % (currency, tax.find('ram:CategoryCode', ns).text, format(rate, 'f'))
                net, vat = sums.get(key, (decimal.Decimal(0), decimal.Decimal(0)))
                sums[key] = (net + sign * decimal.Decimal(tax.find('ram:BasisAmount', ns).text),
                             vat + sign * decimal.Decimal(tax.find('ram:CalculatedAmount', ns).text))
        print(json.dumps({'documents': documents, 'sums': {k: ['%.2f' % v[0], '%.2f' % v[1]] for k, v in sums.items()}}))
        """#

    // Mutation (mutants.tsv vat-report-rate-groups-merged): the report puts every rate of a category in
    // one row → it no longer matches the e-invoices' per-rate totals; this test fails.
    @Test func theInvoicedBasisEqualsTheSumsOfTheCIIInvoicesBT116AndBT117() throws {
        let directory = try TemporaryDirectory("vat-cii")
        defer { directory.remove() }
        let database = try JournalExportTests.randomYear(in: directory, steps: 120, seed: 5)
        let cli = InvoiceCLI(database: database, today: "2027-01-31")
        let out = directory.path("cii")
        try cli.ok("print", "--all", "--format", "cii", "--out", out)
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/python3"), ["-c", Self.ciiSums, out],
                                           currentDirectory: directory.url, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let sums = try #require(parsed["sums"] as? [String: [String]])
        let documents = try #require(parsed["documents"] as? Int)
        let listed = try #require(try cli.json("list") as? [[String: Any]])
        #expect(documents == listed.count && documents > 40, "\(documents) CII files for \(listed.count) documents")
        let report = try Self.figures(cli, "2026-01-01", "2027-12-31", basis: "invoiced")
        #expect(report.count >= 6)
        #expect(report == sums, "report vat \(report) vs CII \(sums)")
    }
}
