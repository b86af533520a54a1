import Billing
import Documents

/// The e-invoice suite's documents beyond the shared goldens: credit notes and prepaid amounts.
extension Fixtures {
    /// A credit note for all of `germanNet`, built by the billing core (its lines copied, positive),
    /// issued five weeks later with a reason that tries to break the XML.
    static func germanCreditNote() throws -> InvoiceDocument {
        var document = try germanNet()
        var note = try CreditNoteBuilder.creditNote(for: document.invoice, previous: [], request: .rest,
                                                    reason: "Doppelt berechnet: <Schulung> & \"Fachbuch\"",
                                                    lineTitle: "Gutschrift zu Rechnung CW-2026-00002")
        note.id = 20
        note.number = "CN-2026-00001"
        note.issueDate = try day("2026-11-20")
        note.status = .issued
        document.invoice = note
        return document
    }

    /// A partial credit note in English: 119.00 of `germanNet` split over its two VAT rates as gross
    /// lines, 50.00 of it paid back to the customer.
    static func partialCreditNote() throws -> InvoiceDocument {
        var document = try germanNet()
        document.invoice.language = .en
        var note = try CreditNoteBuilder.creditNote(for: document.invoice, previous: [], request: .amount(try money("119.00", "EUR")),
                                                    reason: "Goodwill", lineTitle: "Credit on invoice CW-2026-00002")
        note.id = 21
        note.number = "CN-2026-00002"
        note.issueDate = try day("2026-11-21")
        note.status = .issued
        note.refunded = try money("50.00", "EUR")
        document.invoice = note
        return document
    }

    /// `germanNet` issued while the customer had 200.00 of credit: its prepaid amount (BT-113).
    static func germanPrepaid() throws -> InvoiceDocument {
        var document = try germanNet()
        document.invoice.prepaid = try money("200.00", "EUR")
        return document
    }

    /// `swissGross` (0.05 cash rounding) with 10.00 of customer credit applied.
    static func swissPrepaid() throws -> InvoiceDocument {
        var document = try swissGross()
        document.invoice.prepaid = try money("10.00", "CHF")
        return document
    }
}

