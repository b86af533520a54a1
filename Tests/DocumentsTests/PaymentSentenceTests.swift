import Billing
import Documents
import Foundation
import Testing

/// The payment sentence and bank line say what the payer needs: the account and reference the
/// QR-bill carries, the BIC outside CHF, and a draft says it is not an invoice yet.
struct PaymentSentenceTests {
    /// Before: "…unter Angabe der Rechnungsnummer CW-2026-00001" and the ordinary IBAN, while the slip
    /// carried the QR-IBAN and a QR reference.
    /// Mutation (mutants.tsv payment-terms-reference): drop the `paymentTermsReference` branch in InvoiceView → the sentence names the invoice number.
    @Test("With a QR-IBAN the sentence names the QR-IBAN and the QR reference the slip carries, in HTML and text")
    func qrIBANAndReference() throws {
        var document = try Fixtures.swissGross()
        document.seller = try QRBillTests.qrIBANSeller()
        let bill = try #require(Fixtures.renderer.qrBill(document))
        let sentence = "Bitte überweisen Sie CHF\u{00A0}66.00 bis 31.10.2026 auf das Konto CH44 3199 9123 0008 8901 2 "
            + "mit der Referenz 00 00000 00000 00000 20260 00014."
        #expect(bill.formattedAccount == "CH44 3199 9123 0008 8901 2")
        #expect(bill.formattedReference == "00 00000 00000 00000 20260 00014")
        #expect(Fixtures.renderer.view(document).paymentTerms == sentence)
        #expect(try Fixtures.renderer.html(document).contains(sentence))
        let text = try Fixtures.renderer.text(document)
        // Wrapped at 72 columns, the account and the reference each whole on one line.
        #expect(text.contains("Bitte überweisen Sie CHF\u{00A0}66.00 bis 31.10.2026 auf das Konto\nCH44 3199 9123 0008 8901 2 "
                              + "mit der Referenz\n00 00000 00000 00000 20260 00014.\n"), "\(text)")
        #expect(!text.contains("Rechnungsnummer CW-2026-00001"))
    }

    /// Before: "Bitte überweisen Sie CHF 66.00 bis  unter Angabe der Rechnungsnummer —."
    /// Mutation (mutants.tsv payment-terms-draft): remove the `isDraft` branch → the sentence has an empty date and no number.
    @Test("A draft says it is not an invoice yet instead of a broken payment sentence")
    func draft() throws {
        var document = try Fixtures.swissGross()
        document.invoice.number = nil
        document.invoice.status = .draft
        document.invoice.issueDate = nil
        document.invoice.dueDate = nil
        let text = try Fixtures.renderer.text(document)
        #expect(text.contains("Dieser Entwurf ist noch keine Rechnung: Nummer und Fälligkeit folgen bei\nder Ausstellung."))
        #expect(!text.contains("—"))
        #expect(!text.contains("bis  "))
    }

    /// Mutation (mutants.tsv bic-inverted): `bic = seller.bic` only when currency == "CHF" (inverted) → no BIC on the EUR invoice.
    @Test("The BIC is printed with the IBAN on EUR invoices, not on CHF ones")
    func bicForEUR() throws {
        var euro = try Fixtures.germanNet()
        euro.seller.bic = "UBSWCHZH80A"
        let html = try Fixtures.renderer.html(euro)
        #expect(html.contains("<p class=\"bank\">Bankverbindung: Cloudwerk AG, IBAN CH93 0076 2011 6238 5295 7, BIC UBSWCHZH80A</p>"))
        #expect(try Fixtures.renderer.text(euro).contains("BIC UBSWCHZH80A"))
        var franc = try Fixtures.swissGross()
        franc.seller.bic = "UBSWCHZH80A"
        #expect(!(try Fixtures.renderer.html(franc)).contains("UBSWCHZH80A"))
    }

    @Test("Without a QR-bill the sentence asks for the invoice number and the bank line names the IBAN")
    func noQRBill() throws {
        var document = try Fixtures.american()
        document.invoice.payments = []
        document.invoice.status = .open
        document.seller.iban = "DE89370400440532013000"
        let text = try Fixtures.renderer.text(document)
        #expect(text.contains("Please pay $1,234.50 by November 30, 2026, quoting invoice number\nCW-2026-00005.\n"), "\(text)")
        #expect(text.contains("Bank account: Cloudwerk AG, IBAN DE89 3704 0044 0532 0130 00"))
    }

    /// Before: the payment sentence ran to 92–95 columns.
    /// Mutation (mutants.tsv text-width-100): `textWidth = 100` in InvoiceView+TemplateValue → the long lines come back.
    @Test("No line of the text documents is wider than 80 columns", arguments: 0..<5)
    func textWidth(index: Int) throws {
        let (name, make) = GoldenDocumentTests.cases[index]
        var document = try make()
        document.invoice.notes = String(repeating: "Bitte beachten Sie unsere neuen Geschäftsbedingungen. ", count: 4)
        document.customer.billingInfo = String(repeating: "Kostenstelle 4711 Projekt Migration ", count: 4)
        let text = try Fixtures.renderer.text(document)
        let widest = text.split(separator: "\n").map(\.count).max() ?? 0
        #expect(widest <= 80, "\(name): \(widest) columns")
    }
}
