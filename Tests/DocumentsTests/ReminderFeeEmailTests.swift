import Billing
import Documents
import Foundation
import Testing

/// A reminder fee is stated on the reminder mail (text and HTML, in the customer's language) with the
/// amount to pay including it; the invoice document it renders from is not changed.
struct ReminderFeeEmailTests {
    // Mutation (mutants.tsv email-fee-line): in DocumentRenderer.email, drop `mail["fee"] = …` → no fee line in text or HTML → fails.
    // Mutation (mutants.tsv reminder-template-fee-block): delete the `{{#mail.fee}}…{{/mail.fee}}` block from Templates/email/reminder.txt → fails.
    @Test func theFeeAndTheSumToPayAreStatedInTheCustomersLanguage() throws {
        let document = try Fixtures.frenchExempt()
        let before = document.invoice
        let fee = Money(minorUnits: 2500, currency: document.invoice.currency)
        let mail = try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .reminder(level: 2), reminderFee: fee,
                                                                   reminderFeeInvoice: "FA-2026-0042"))
        // Since issue 17 the fee is billed by its own invoice, which the reminder names.
        #expect(mail.text.contains("Frais de rappel: 25,00\u{00A0}€ (facture FA-2026-0042)"), "\(mail.text)")
        #expect(mail.text.contains("Montant à payer: 3\u{00A0}605,00\u{00A0}€"), "\(mail.text)")
        #expect(mail.text.contains("facturés séparément"))
        #expect(mail.html.contains("Facture des frais</td><td>FA-2026-0042</td>"), "\(mail.html)")
        #expect(mail.html.contains("Frais de rappel</td><td>25,00\u{00A0}€</td>"), "\(mail.html)")
        #expect(mail.html.contains("<strong>3\u{00A0}605,00\u{00A0}€</strong>"), "\(mail.html)")
        // The body names what to pay; the invoice's own open amount stays as it is.
        #expect(mail.text.contains("3\u{00A0}580,00\u{00A0}€"))
        #expect(document.invoice == before)
    }

    @Test func withoutAFeeThereIsNoFeeLine() throws {
        let document = try Fixtures.germanNet()
        for fee in [nil, Money(minorUnits: 0, currency: document.invoice.currency)] {
            let mail = try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .reminder(level: 1), reminderFee: fee))
            #expect(!mail.text.contains("Mahngebühr"))
            #expect(!mail.html.contains("Mahngebühr"))
            #expect(!mail.text.contains("Zu bezahlen:"))
        }
        let fee = Money(minorUnits: 1000, currency: document.invoice.currency)
        let charged = try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .reminder(level: 1), reminderFee: fee))
        #expect(charged.text.contains("Mahngebühr: 10,00\u{00A0}€"), "\(charged.text)")
    }

    @Test func aFeeInAnotherCurrencyIsRefused() throws {
        let document = try Fixtures.germanNet()
        let fee = Money(minorUnits: 1000, currency: try Currency(code: "CHF"))
        #expect(throws: DocumentError.self) {
            try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .reminder(level: 1), reminderFee: fee))
        }
    }
}

/// A receipt for a one-time module (issue 17, setup fees) names the day it became active and no end.
struct OneTimeReceiptEmailTests {
    // Mutation (mutants.tsv onetime-receipt-open): DocumentRenderer.email formats an open-ended period with "mailReceiptActivated" → no such
    // line ("aktiv ab") → fails.
    @Test func anOpenEndedPeriodIsActiveFromItsFirstDay() throws {
        let document = try Fixtures.germanNet()
        let start = try Day(parsing: "2027-03-05")
        let mail = try Fixtures.renderer.email(InvoiceEmailContext(document: document, kind: .receipt, activated: [
            ActivatedPeriod(productName: "Onboarding", kind: .module, start: start, end: nil)]))
        #expect(mail.text.contains("Onboarding Modul: aktiv ab 05.03.2027."), "\(mail.text)")
        #expect(!mail.text.contains(" bis "), "\(mail.text)")
    }
}
