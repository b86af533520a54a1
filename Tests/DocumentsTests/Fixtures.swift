import Billing
import Documents
import Foundation
import TestSupport

/// Invoices as the golden files show them; built from real domain values, not mocks.
enum Fixtures {
    static func money(_ text: String, _ code: String) throws -> Money {
        try Money(parsing: text, currency: try Currency(code: code))
    }

    static func line(_ title: String, _ quantity: String, _ price: String, _ code: String, vat: String,
                     discount: String = "0", unit: String = "", description: String = "") throws -> InvoiceLine {
        InvoiceLine(title: title, description: description,
                    quantity: try DecimalNumber(parsing: quantity, maxScale: 4, field: "quantity"), unit: unit,
                    unitPrice: try money(price, code), discount: try Percentage(parsing: discount, field: "discount"),
                    vatRate: try Percentage(parsing: vat, field: "VAT"))
    }

    static func seller() throws -> Operator {
        var seller = Operator()
        seller.company = "Cloudwerk AG"
        seller.street = "Technoparkstrasse"
        seller.building = "1"
        seller.postcode = "8005"
        seller.town = "Zürich"
        seller.country = try Country(code: "CH")
        seller.vatID = "CHE-109.322.551 MWST"
        seller.email = "billing@cloudwerk.ch"
        seller.phone = "+41 44 123 45 67"
        seller.website = "https://cloudwerk.ch"
        seller.iban = "CH9300762011623852957"
        return seller
    }

    static func day(_ text: String) throws -> Day { try Day(parsing: text) }

    /// Germany, EUR, net prices, two VAT rates, a discount, one partial payment.
    static func germanNet() throws -> InvoiceDocument {
        let customer = Customer(id: 7, company: "Bäckerei Kühn GmbH", contact: "Jens Kühn",
                                address: Address(street: "Hauptstraße", building: "12", postcode: "10115", town: "Berlin",
                                                 country: try Country(code: "DE")),
                                email: "buchhaltung@kuehn.de", vatID: "DE123456789", currency: try Currency(code: "EUR"),
                                language: .de, billingInfo: "Kostenstelle 4711\nBestellung 2026-88")
        let user = User(id: 3, customerID: 7, salutation: "Herr", firstName: "Jens", surname: "Kühn", email: "jens@kuehn.de")
        let invoice = Invoice(id: 2, number: "CW-2026-00002", customerID: 7, userID: 3, title: "Jahresabo Business",
                              issueDate: try day("2026-10-11"), dueDate: try day("2026-11-10"),
                              currency: try Currency(code: "EUR"), language: .de, taxMode: .net, status: .partiallyPaid,
                              lines: [
                                try line("Plan Business (Jahr)", "1", "1188.00", "EUR", vat: "19", unit: "Jahr",
                                         description: "Zeitraum 11.10.2026 – 10.10.2027"),
                                try line("Schulung vor Ort", "2.5", "180.00", "EUR", vat: "19", discount: "10", unit: "Std."),
                                try line("Fachbuch Cloud-Betrieb", "1", "49.90", "EUR", vat: "7"),
                              ],
                              payments: [Payment(amount: try money("500.00", "EUR"), date: try day("2026-11-01"),
                                                 method: "SEPA")])
        return InvoiceDocument(invoice: invoice, customer: customer, addressee: user, seller: try seller())
    }

    /// Switzerland, CHF, gross prices, 0.05 cash rounding.
    static func swissGross() throws -> InvoiceDocument {
        let customer = Customer(id: 1, company: "Müller & Söhne AG", contact: "Anna Müller",
                                address: Address(street: "Bahnhofstrasse", building: "10", postcode: "8001", town: "Zürich",
                                                 country: try Country(code: "CH")),
                                email: "rechnungen@mueller.ch", currency: try Currency(code: "CHF"), language: .de)
        let invoice = Invoice(id: 1, number: "CW-2026-00001", customerID: 1, title: "Abonnement Starter",
                              issueDate: try day("2026-10-01"), dueDate: try day("2026-10-31"),
                              currency: try Currency(code: "CHF"), language: .de, taxMode: .gross, status: .open,
                              lines: [
                                try line("Plan Starter (Monat)", "1", "29.00", "CHF", vat: "8.1", unit: "Monat"),
                                try line("Modul CRM", "3", "12.33", "CHF", vat: "8.1", unit: "Monat"),
                              ], cashRoundingIncrement: 5)
        return InvoiceDocument(invoice: invoice, customer: customer, seller: try seller())
    }

    /// France, EUR, exempt (reverse charge), in French.
    static func frenchExempt() throws -> InvoiceDocument {
        let customer = Customer(id: 4, company: "Société Générale d'Études", contact: "Claire Dubois",
                                address: Address(street: "rue de la Paix", building: "12", postcode: "75002", town: "Paris",
                                                 country: try Country(code: "FR")),
                                email: "compta@sge.fr", vatID: "FR40303265045", currency: try Currency(code: "EUR"),
                                language: .fr)
        let invoice = Invoice(id: 8, number: "CW-2026-00008", customerID: 4, title: "Licence annuelle",
                              issueDate: try day("2026-11-15"), dueDate: try day("2026-12-15"),
                              currency: try Currency(code: "EUR"), language: .fr,
                              taxMode: .exempt(note: "Autoliquidation – article 283-2 du CGI"), status: .open,
                              lines: [try line("Plan Enterprise (année)", "1", "3580.00", "EUR", vat: "0", unit: "an")])
        return InvoiceDocument(invoice: invoice, customer: customer, seller: try seller())
    }

    /// United States, USD, in English, paid.
    static func american() throws -> InvoiceDocument {
        let customer = Customer(id: 9, company: "Acme Analytics Inc.", contact: "John Doe",
                                address: Address(street: "Main Street", building: "500", postcode: "94105",
                                                 town: "San Francisco", country: try Country(code: "US")),
                                email: "ap@acme.example", currency: try Currency(code: "USD"), language: .en)
        let invoice = Invoice(id: 5, number: "CW-2026-00005", customerID: 9, title: "Monthly subscription",
                              issueDate: try day("2026-10-31"), dueDate: try day("2026-11-30"),
                              currency: try Currency(code: "USD"), language: .en, taxMode: .net, status: .paid,
                              lines: [try line("Plan Growth (month)", "1", "1234.50", "USD", vat: "0", unit: "month")],
                              payments: [Payment(amount: try money("1234.50", "USD"), date: try day("2026-11-02"),
                                                 method: "card")])
        return InvoiceDocument(invoice: invoice, customer: customer, seller: try seller())
    }

    /// Sixty lines with long descriptions: several PDF pages.
    static func long() throws -> InvoiceDocument {
        var document = try swissGross()
        document.invoice.number = "CW-2026-00060"
        document.invoice.taxMode = .net
        document.invoice.lines = try (1...60).map { index in
            try line("Leistung \(index): Konfiguration Modul \(index)", String(index % 3 + 1), "\(40 + index).50", "CHF",
                     vat: "8.1", unit: "Std.",
                     description: index % 4 == 0
                        ? "Ausführliche Beschreibung der Arbeiten an Modul \(index), inklusive Abstimmung mit dem Team, Tests und Dokumentation für den Betrieb."
                        : "")
        }
        return document
    }

    /// A customer whose data tries to break HTML.
    static func hostile() throws -> InvoiceDocument {
        var document = try germanNet()
        document.customer.company = "<script>alert(\"x\")</script> Müller & Söhne 'AG'"
        document.invoice.lines[0].title = "Beratung <b>& \"Planung\"</b> für Jürgen"
        return document
    }

    static let renderer: DocumentRenderer = {
        do {
            return try DocumentRenderer(shippedDirectory: Paths.packageRoot.appendingPathComponent("Templates"))
        } catch {
            fatalError("the shipped templates do not load: \(error)")
        }
    }()
}
