import Billing
import Documents

/// Documents for German public buyers (XRechnung) and Peppol buyers, beside the shared goldens.
extension Fixtures {
    /// A German seller with everything XRechnung and Peppol's German rules want of it.
    static func germanSeller() throws -> Operator {
        var seller = Operator()
        seller.company = "Nordlicht GmbH"
        seller.street = "Speicherstadt"
        seller.building = "5"
        seller.postcode = "20457"
        seller.town = "Hamburg"
        seller.country = try Country(code: "DE")
        seller.vatID = "DE811907980"
        seller.email = "billing@nordlicht.example"
        seller.phone = "+49 40 1234567"
        seller.iban = "DE89370400440532013000"
        return seller
    }

    /// A German federal office: Leitweg-ID as buyer reference and as electronic address (EAS 0204).
    static func germanPublicBuyer() throws -> Customer {
        var customer = Customer(id: 14, company: "Bundesamt für Daten", contact: "Referat Z 4",
                                address: Address(street: "Alt-Moabit", building: "140", postcode: "10557", town: "Berlin",
                                                 country: try Country(code: "DE")),
                                email: "eingang@bund.example", vatID: "DE123456789", currency: try Currency(code: "EUR"),
                                language: .de)
        customer.buyerReference = "991-12345-73"
        customer.electronicAddress = "0204:991-12345-73"
        return customer
    }

    /// XRechnung: German seller, German public buyer, 19 % and 7 %.
    static func germanXRechnung() throws -> InvoiceDocument {
        var document = try germanNet()
        document.seller = try germanSeller()
        document.customer = try germanPublicBuyer()
        document.invoice.customerID = 14
        document.invoice.payments = []
        document.invoice.status = .open
        return document
    }

    /// XRechnung credit note for all of `germanXRechnung`.
    static func germanXRechnungCreditNote() throws -> InvoiceDocument {
        var document = try germanXRechnung()
        var note = try CreditNoteBuilder.creditNote(for: document.invoice, previous: [], request: .rest,
                                                    reason: "Doppelt berechnet", lineTitle: "Gutschrift zu Rechnung CW-2026-00002")
        note.id = 22
        note.number = "CN-2026-00003"
        note.issueDate = try day("2026-11-20")
        note.status = .issued
        document.invoice = note
        return document
    }

    /// XRechnung in category O: a Swiss seller (not subject to German VAT) and a German public buyer.
    static func swissOutsideScopeXRechnung() throws -> InvoiceDocument {
        var document = try swissGross()
        document.customer = try germanPublicBuyer()
        document.invoice.customerID = 14
        document.invoice.currency = try Currency(code: "EUR")
        document.invoice.cashRoundingIncrement = 1
        document.invoice.taxMode = .exempt(note: "Nicht im Inland steuerbar (Leistungsort Schweiz)")
        document.invoice.vatCategory = .outsideScope
        document.invoice.lines = [try line("Plan Starter (Monat)", "1", "29.00", "EUR", vat: "0", unit: "Monat"),
                                  try line("Modul CRM", "3", "12.33", "EUR", vat: "0", unit: "Monat")]
        return document
    }

    /// Peppol BIS 3: the German seller to a French business with its SIRET as Peppol address (EAS 0009) and
    /// a buyer reference that must not make it an XRechnung.
    static func frenchPeppol() throws -> InvoiceDocument {
        var document = try frenchExempt()
        document.seller = try germanSeller()
        document.customer.buyerReference = "DEPT-ACHATS-42"
        document.customer.electronicAddress = "0009:30326504500017"
        document.invoice.vatCategory = .reverseCharge
        return document
    }

    /// A French business on Peppol without a buyer reference, billed by a Swiss seller (Peppol address
    /// from its UID) for its purchase order: BT-13 alone meets PEPPOL-EN16931-R003.
    static func frenchPeppolOrder() throws -> InvoiceDocument {
        var document = try frenchExempt()
        document.customer.electronicAddress = "0009:30326504500017"
        document.invoice.vatCategory = .reverseCharge
        document.invoice.purchaseOrder = "PO-2026-0042"
        return document
    }
}
