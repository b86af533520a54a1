import Billing
import Documents
import Foundation
import Testing
import TestSupport

/// Customer data that once made invalid QR-bills: every code must decode with `zbarimg`, the
/// independent `qrbill` library must accept what it holds, and the slip prints the same text.
@Suite(.serialized)
struct QRBillHygieneTests {
    static func document(_ change: (inout Customer) -> Void) throws -> InvoiceDocument {
        var document = try Fixtures.swissGross()
        change(&document.customer)
        return document
    }

    /// Decodes the bill's code and asks `qrbill`; returns the decoded payload.
    @discardableResult
    static func checkOutside(_ bill: QRBill, in directory: TemporaryDirectory,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> String? {
        let code = try #require(bill.qrCode, sourceLocation: sourceLocation)
        let decoded = try QRBillOracle.decode(code, in: directory)
        #expect(decoded == bill.payload, "zbarimg reads the payload", sourceLocation: sourceLocation)
        #expect(try QRBillOracle.verdict(decoded ?? "", in: directory) == "ok", sourceLocation: sourceLocation)
        return decoded
    }

    /// Before: a type-S debtor with an empty postcode, which `qrbill` refuses ("Postal code is mandatory").
    /// Mutation (mutants.tsv qr-debtor-complete): `self.debtor = debtor` (drop the `isComplete` check) → qrbill refuses the payload.
    @Test("A customer without a postcode leaves the debtor empty and the slip shows the blank field with corner marks")
    func noPostcode() throws {
        let directory = try TemporaryDirectory("qrbill-hygiene")
        defer { directory.remove() }
        let document = try QRBillHygieneTests.document { $0.address.postcode = "" }
        let bill = try #require(Fixtures.renderer.qrBill(document))
        #expect(bill.debtor == nil)
        try QRBillHygieneTests.checkOutside(bill, in: directory)
        let html = try Fixtures.renderer.html(document)
        #expect(html.contains("<h3>Zahlbar durch (Name/Adresse)</h3>"))
        #expect(html.contains(#"class="qrbill-blank" width="52mm" height="20mm""#), "receipt: 52 × 20 mm corner marks")
        #expect(html.contains(#"class="qrbill-blank" width="65mm" height="25mm""#), "payment part: 65 × 25 mm corner marks")
        // With an address there are no blank boxes.
        #expect(!(try Fixtures.renderer.html(try Fixtures.swissGross())).contains("class=\"qrbill-blank\""))
    }

    /// Mutation (mutants.tsv qr-clean-nothing): return `(composed, [])` at the top of QRBillText.clean → ’, emoji and Cyrillic reach
    /// the code and the character-set check fails.
    @Test("Characters outside the IG 2.3 set are transliterated or dropped, the same on the slip as in the code",
          arguments: [
              ("O’Brien’s Bar – “Zürich”", "O'Brien's Bar - \"Zürich\""),
              ("Café 😀 Soleil 👍🏽 GmbH", "Café Soleil GmbH"),
              ("ООО Ромашка", "OOO Romaška"),
              ("Œuvre Łódź Dvořák Ștefan ﬁne…", "Œuvre Łódź Dvořák Ștefan fine..."),
              ("東京商事", "dōng jīng shāng shì"),
          ])
    func characterSet(name: String, expected: String) throws {
        let directory = try TemporaryDirectory("qrbill-hygiene")
        defer { directory.remove() }
        let document = try QRBillHygieneTests.document {
            $0.company = name
            $0.address.town = "Москва"
        }
        let bill = try #require(Fixtures.renderer.qrBill(document))
        #expect(bill.debtor?.name == expected)
        #expect(bill.debtor?.town == "Moskva")
        #expect(!bill.substitutions.isEmpty, "the changes are reported for a warning")
        let warnings = Fixtures.renderer.warnings(for: document)
        #expect(warnings.count == 1 && warnings[0].hasPrefix("the QR-bill shows '"), "\(warnings)")
        try QRBillHygieneTests.checkOutside(bill, in: directory)
        let html = try Fixtures.renderer.html(document)
        let slip = try #require(html.range(of: "<section class=\"qrbill-page\">").map { String(html[$0.lowerBound...]) })
        let escaped = expected.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;")
            .replacingOccurrences(of: "\"", with: "&quot;")
        #expect(slip.contains(escaped + "<br>"), "the slip prints what the code holds")
        #expect(!slip.contains(name.replacingOccurrences(of: "’", with: "&#39;")) || name == expected)
    }

    /// Issue 17: 山田太郎 became "shān tián tài láng" (ICU's Mandarin reading) and 株式会社 "zhū shì huì shè".
    /// The rule: a Japanese debtor (address in JP, or kana in it) keeps kana as Hepburn romaji; kanji
    /// have no reading without a name dictionary, so a name or address with kanji leaves the debtor
    /// out (the blank "Payable by" field with corner marks). Chinese stays pinyin (東京商事 above).
    /// Mutation (mutants.tsv qr-japanese-han-read): QRBillText.swift: drop the `japanese && isHan` branch → 山田太郎 reads "shan tian…" in the
    /// substitution warnings
    /// and the debtor is kept. Mutation (mutants.tsv qr-debtor-unreadable): QRBill.swift: `!unreadable` dropped → a debtor with a name of spaces.
    @Test("Japanese names: kana are romanized, kanji are never read in Mandarin", arguments: [
        ("やまだ たろう", "Minato-ku", "JP", "yamada tarou"),
        ("ヤマダ ショウジ", "Tokyo", "JP", "yamada shouji"),
        ("ｶﾌﾞｼｷｶﾞｲｼｬ ｿﾆｰ", "Zürich", "CH", "kabushikigaisha sonī"),
        ("山田太郎", "Tokyo", "JP", nil),
        ("トヨタ自動車株式会社", "Toyota", "JP", nil),
        ("Sony Group", "東京都港区", "JP", nil),
    ] as [(String, String, String, String?)])
    func japaneseNames(name: String, town: String, country: String, expected: String?) throws {
        let directory = try TemporaryDirectory("qrbill-japanese")
        defer { directory.remove() }
        let code = try Country(code: country)
        let document = try QRBillHygieneTests.document {
            $0.company = name
            $0.address.town = town
            $0.address.country = code
        }
        let bill = try #require(Fixtures.renderer.qrBill(document))
        #expect(bill.debtor?.name == expected, "\(String(describing: bill.debtor))")
        for mandarin in ["shan", "tian", "zhu shi", "dong", "jing", "zi dong", "gang"] {
            #expect(!bill.payload.lowercased().contains(mandarin), "no Chinese reading in the code: \(bill.payload)")
            // Nor in the warnings about replaced characters that `print` shows the operator.
            let readings = bill.substitutions.map { $0.replacement.lowercased() }.joined(separator: " ")
            #expect(!readings.contains(mandarin), "no Chinese reading in the warnings: \(bill.substitutions)")
        }
        try QRBillHygieneTests.checkOutside(bill, in: directory)
        if expected == nil {
            #expect(try Fixtures.renderer.html(document).contains("class=\"qrbill-blank\""), "the blank field to fill in")
        }
    }

    /// The longest values input accepts (AddressLimits) go into the code whole, and `qrbill` accepts them.
    /// Mutation (mutants.tsv address-town-36): AddressLimits.town = 36 → qrbill refuses "A city cannot have more than 35 characters".
    @Test("Maximum-length names and addresses are kept whole and accepted")
    func maximumLengths() throws {
        let directory = try TemporaryDirectory("qrbill-hygiene")
        defer { directory.remove() }
        var document = try QRBillHygieneTests.document {
            $0.company = String(repeating: "Ä", count: AddressLimits.name)
            $0.address.street = String(repeating: "s", count: AddressLimits.street)
            $0.address.building = String(repeating: "9", count: AddressLimits.building)
            $0.address.postcode = String(repeating: "8", count: AddressLimits.postcode)
            $0.address.town = String(repeating: "Z", count: AddressLimits.town)
        }
        document.seller.company = String(repeating: "C", count: AddressLimits.name)
        document.seller.street = String(repeating: "t", count: AddressLimits.street)
        document.seller.town = String(repeating: "W", count: AddressLimits.town)
        let validated = try document.customer.validated()
        #expect(validated == document.customer, "input accepts exactly these lengths")
        let bill = try #require(Fixtures.renderer.qrBill(document))
        #expect(bill.debtor?.name.count == AddressLimits.name)
        #expect(bill.debtor?.town.count == AddressLimits.town)
        #expect(bill.creditor.street.count == AddressLimits.street)
        try QRBillHygieneTests.checkOutside(bill, in: directory)
    }

    /// Every QR-bill of the demo, read by zbarimg from the printed PDFs, is accepted by `qrbill`.
    /// Mutation (mutants.tsv qr-spc-version): `"SPC", "0201"` in QRBill.payload → the header check refuses every demo code.
    @Test("Every QR code of the demo's printed PDFs decodes and qrbill accepts it")
    func demo() throws {
        let directory = try TemporaryDirectory("qrbill-demo")
        defer { directory.remove() }
        let database = directory.path("demo.sqlite"), out = directory.path("pdf")
        let seeded = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", database, "--date", "2026-11-25", "demo"],
                                           currentDirectory: directory.url)
        #expect(seeded.status == 0, "demo: \(seeded.stderr)")
        let printed = try ProcessRunner.run(Paths.invoiceExecutable,
                                            ["--db", database, "print", "--all", "--format", "pdf", "--out", out])
        #expect(printed.status == 0, "print: \(printed.stderr)")
        var payloads: [(String, String)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: out).sorted() where file.hasSuffix(".pdf") {
            let pdf = "\(out)/\(file)", stem = directory.path(file)
            let pages = try PDFTools.pages(pdf)
            // Only the last pages that carry a payment part (its heading in any of the four languages).
            let text = try ProcessRunner.shell("pdftotext -f \(pages) -l \(pages) '\(pdf)' -").stdout
            guard ["Zahlteil", "Section paiement", "Sezione pagamento", "Payment part"].contains(where: text.contains)
            else { continue }
            _ = try ProcessRunner.shell("pdftoppm -r 200 -f \(pages) -l \(pages) -singlefile -png '\(pdf)' '\(stem)'")
            let scan = try ProcessRunner.shell("zbarimg --raw -q -Sbinary '\(stem).png'")
            #expect(scan.status == 0, "\(file): the QR code decodes")
            payloads.append((file, String(decoding: scan.stdoutData, as: UTF8.self)))
        }
        #expect(payloads.count >= 5, "QR-bills found in the demo: \(payloads.count)")
        let verdicts = try QRBillOracle.verdicts(payloads.map(\.1), in: directory)
        for ((file, _), verdict) in zip(payloads, verdicts) { #expect(verdict == "ok", "\(file)") }
    }

    /// The oracle itself must catch what we fixed, or the tests above prove nothing.
    @Test("The qrbill check refuses a type-S debtor without postcode and a character outside the set")
    func theOracleRefusesBadPayloads() throws {
        let directory = try TemporaryDirectory("qrbill-hygiene")
        defer { directory.remove() }
        let good = try #require(Fixtures.renderer.qrBill(try Fixtures.swissGross())).payload
        #expect(try QRBillOracle.verdict(good, in: directory) == "ok")
        let noPostcode = good.replacingOccurrences(of: "Bahnhofstrasse\n10\n8001\n", with: "Bahnhofstrasse\n10\n\n")
        #expect(try QRBillOracle.verdict(noPostcode, in: directory).contains("Postal code is mandatory"))
        let quote = good.replacingOccurrences(of: "Müller & Söhne AG", with: "Müller’s AG")
        #expect(try QRBillOracle.verdict(quote, in: directory).hasPrefix("characters outside the IG 2.3 set"))
    }
}
