import Billing
import Documents
import Foundation
import Testing

struct EmailTests {
    // Mutation (mutants.tsv email-html-no-total): delete `{{totals.total}}` from Templates/email/invoice.html → this test fails (and
    // `{{{totals.total}}}` from invoice.txt likewise, mutants.tsv email-text-no-total).
    @Test("The invoice mail names the number, total and due date in the customer's language")
    func invoiceMail() throws {
        let mail = try Fixtures.renderer.email(InvoiceEmailContext(document: try Fixtures.germanNet(), kind: .invoice))
        #expect(mail.subject == "Rechnung CW-2026-00002 von Cloudwerk AG")
        #expect(mail.text.hasPrefix("Guten Tag Herr Jens Kühn"))
        #expect(mail.text.contains("10.11.2026"))
        #expect(mail.text.contains("1.949,06\u{00A0}€"))
        // The total line itself (the amount also shows in the sentence above it).
        #expect(mail.text.contains("Rechnungsbetrag: 1.949,06\u{00A0}€"), "\(mail.text)")
        #expect(mail.html.contains("<strong>1.949,06\u{00A0}€</strong>"))
        #expect(mail.html.contains("Rechnung CW-2026-00002"))
    }

    @Test("Each reminder level has its own subject, and level 4 is refused", arguments: [1, 2, 3])
    func reminders(level: Int) throws {
        let document = try Fixtures.frenchExempt()
        let mail = try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .reminder(level: level)))
        let expected = ["Rappel : facture CW-2026-00008", "Deuxième rappel : facture CW-2026-00008",
                        "Dernier rappel : facture CW-2026-00008"][level - 1]
        #expect(mail.subject == expected)
        #expect(mail.text.contains("3\u{00A0}580,00\u{00A0}€"))
        #expect(throws: DocumentError.self) {
            try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .reminder(level: 4)))
        }
    }

    @Test("The receipt confirms the payment and says what is still open")
    func receipt() throws {
        let mail = try Fixtures.renderer.email(InvoiceEmailContext(document: try Fixtures.germanNet(), kind: .receipt))
        #expect(mail.subject == "Zahlung für Rechnung CW-2026-00002 erhalten")
        #expect(mail.text.contains("500,00\u{00A0}€"))
        #expect(mail.text.contains("Noch offen sind"))
    }

    @Test("A subject never spans lines, whatever the data")
    func subjectIsOneLine() throws {
        var document = try Fixtures.americanDocument()
        document.seller.company = "Evil\r\nBcc: x@example.com"
        let mail = try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .invoice))
        #expect(!mail.subject.contains("\n") && !mail.subject.contains("\r"))
    }
}

extension Fixtures {
    static func americanDocument() throws -> InvoiceDocument { try american() }
}
