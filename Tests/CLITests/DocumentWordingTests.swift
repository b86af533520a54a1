import Foundation
import Testing
import TestSupport

/// Issue 17: what the documents say about money, read from the printed text and the PDF
/// (pdftotext) as a customer reads them, and from the reminder mail (Python's email parser).
struct DocumentWordingTests {
    /// The PDF's text with runs of whitespace as one space (sentences wrap across lines).
    static func pdfText(_ cli: InvoiceCLI, _ number: String, in directory: TemporaryDirectory) throws -> String {
        let written = try cli.run("show", number, "--pdf")
        #expect(written.status == 0, "\(written.stderr)")
        let path = directory.path("\(number).pdf")
        try Data(written.stdoutData).write(to: URL(fileURLWithPath: path))
        return try ProcessRunner.shell("pdftotext '\(path)' -").stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func flat(_ text: String) -> String { text.split(whereSeparator: \.isWhitespace).joined(separator: " ") }

    /// Before: a paid invoice with CHF 11.90 paid too much said only "Vollständig bezahlt. Vielen Dank!",
    /// and the payment row read "(bank transfer)" in German. Mutation (mutants.tsv overpaid-sentence): InvoiceView.swift: the `overpaid`
    /// branch removed → no sentence about the credit; `InvoiceView.method` returning its input (mutants.tsv payment-method-as-given) →
    /// "bank transfer" in the German document.
    @Test func aPaidInvoiceSaysWhereTheSurplusWentAndNamesTheMethodInItsLanguage() throws {
        let directory = try TemporaryDirectory("wording-overpaid")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("w.sqlite"), today: "2027-03-10")
        try cli.ok("settings", "set", "company", "Desk AG")
        let customer = try cli.ok("customer", "add", "--company", "Kunde AG", "--email", "ap@kunde.ch", "--country", "CH",
                                  "--currency", "CHF", "--language", "de")
        let number = try cli.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        try cli.ok("pay", number, "--amount", "120.00", "--method", "bank transfer")
        let sentence = "Die über den Rechnungsbetrag hinaus bezahlten CHF 11.90 schreiben wir Ihrem Kundenkonto gut"
        let text = Self.flat(try cli.ok("show", number, "--txt"))
        #expect(text.contains(sentence), "\(text)")
        #expect(text.contains("(Banküberweisung)") && !text.contains("bank transfer"), "\(text)")
        let pdf = try Self.pdfText(cli, number, in: directory)
        #expect(pdf.contains(sentence), "\(pdf)")
        #expect(pdf.contains("Banküberweisung"))
        let html = try cli.ok("show", number, "--html")
        #expect(html.contains("schreiben wir Ihrem Kundenkonto gut") && html.contains("Banküberweisung"))
        // Paid exactly (108.10 less the 11.90 credit applied as prepaid): no word about a surplus; an
        // unknown method stays as written.
        let exact = try cli.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        try cli.ok("pay", exact, "--amount", "96.20", "--method", "Barzahlung am Schalter")
        let plain = Self.flat(try cli.ok("show", exact, "--txt"))
        #expect(plain.contains("Vollständig bezahlt. Vielen Dank!") && !plain.contains("Kundenkonto gut"), "\(plain)")
        #expect(plain.contains("(Barzahlung am Schalter)"))
    }

    /// Before: a German credit note's total read "Rechnungsbetrag" (invoice amount). Mutation (mutants.tsv credit-note-total-label):
    /// InvoiceView.swift: drop `values["total"] = labels["creditNoteTotal"]` → "Rechnungsbetrag" again.
    @Test(arguments: [("de", "Gutschriftsbetrag", "Rechnungsbetrag"), ("en", "Total credited", "Total CHF"),
                      ("it", "Importo accreditato", "Totale da pagare"), ("fr", "Montant crédité", "Total à payer")])
    func aCreditNotesTotalIsNotAnInvoiceAmount(language: String, label: String, invoiceLabel: String) throws {
        let directory = try TemporaryDirectory("wording-cn-\(language)")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("w.sqlite"), today: "2027-03-10")
        try cli.ok("settings", "set", "company", "Desk AG")
        let customer = try cli.ok("customer", "add", "--company", "Kunde AG", "--email", "ap@kunde.ch", "--country", "CH",
                                  "--currency", "CHF", "--language", language)
        let number = try cli.ok("new", customer, "--line", "Beratung;1;100.00;8.1", "--issue")
        #expect(Self.flat(try cli.ok("show", number, "--txt")).contains(invoiceLabel), "the invoice keeps its label")
        let note = try cli.ok("cancel", number)
        let text = Self.flat(try cli.ok("show", note, "--txt"))
        #expect(text.contains(label) && !text.contains(invoiceLabel), "\(text)")
        let pdf = try Self.pdfText(cli, note, in: directory)
        #expect(pdf.contains(label) && !pdf.contains(invoiceLabel), "\(pdf)")
    }

    /// Before: reminder 1 to an invoice with CHF 50.00 of 108.10 paid said "we have not yet received
    /// payment". Mutation (mutants.tsv reminder-partial-body): DocumentRenderer+Email.swift: always `mailReminder\(level)Body` → the
    /// partial mail says "not yet received payment".
    @Test func reminderOneToAPartlyPaidInvoiceNamesWhatWasReceived() throws {
        try SMTPTestServer.with { server in
            let desk = try DunningDesk(label: "partial")
            defer { desk.remove() }
            try desk.useServer(server.url)
            let customer = try desk.addCustomer("Acme Ltd", email: "ap@acme.example")
            let number = try desk.issueInvoice(customer: customer, on: "2026-01-01")
            try desk.ok(["send", number], on: "2026-01-01")
            try desk.run(on: "2026-01-02")
            try desk.ok(["pay", number, "--amount", "50.00"], on: "2026-01-20")
            try desk.run(on: "2026-02-08")
            let reminders = try DunningMail.all(server).filter { $0.kind == "reminder-1" }
            let mail = try #require(reminders.first)
            let text = Self.flat(mail.text)
            #expect(!text.contains("not yet received payment"), "\(text)")
            #expect(text.contains("we have received CHF 50.00 for invoice \(number)"), "\(text)")
            #expect(text.contains("CHF 58.10 of it is still open"), "\(text)")
            #expect(Self.flat(mail.html).contains("we have received CHF 50.00"))
        }
    }
}
