import Billing
import Documents
import EInvoice
import Foundation
import TestSupport

/// Reproducible random invoices over everything an e-invoice must carry: every VAT category, net and gross,
/// discounts, credit lines, cash rounding, prepaid amounts, JPY/KWD, XRechnung buyers, hostile texts, and
/// credit notes (a quarter of the cases) made by the billing core's `CreditNoteBuilder` from the invoice:
/// in full or for a random amount, some partly paid back.
struct RandomInvoices {
    typealias Generator = SplitMix64

    static let texts = ["Beratung <b>& \"Planung\"</b> für Jürgen", "Tom's <Diner> & Co", "a ]]> b", "Łódź, Dvořák, Ærøskøbing €",
                        "R&D 'quoted' \"double\"", "Plan Business", "Zeiterfassung", "x < y > z & w"]
    static let units = ["", "h", "Std.", "Monat", "month", "Jahr", "an", "Stück", "day"]

    var rng: Generator

    init(seed: UInt64) { rng = Generator(seed: seed) }

    mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &rng)] }

    mutating func makeCase(index: Int) throws -> InvoiceDocument {
        let currencyCode = pick(["EUR", "EUR", "EUR", "CHF", "CHF", "USD", "JPY", "KWD"])
        let currency = try Currency(code: currencyCode)
        let category = pick([VATCategory?.none, .standard, .zeroRated, .exempt, .reverseCharge, .intraCommunity,
                             .export, .outsideScope])
        var mode: TaxMode = pick([.net, .net, .gross])
        var rates = ["19", "7", "8.1", "2.6", "20", "21", "5.5", "0", "10", "25"]
        if let category, !category.chargesByRate {
            mode = .exempt(note: pick(["Steuerfrei nach § 4 Nr. 11 UStG", "Reverse charge <AE> & \"co\"",
                                       "Not subject to VAT: service outside the EU", "Export 'outside' the EU"]))
        }
        if category == .zeroRated { rates = ["0"] }
        let lineCount = Int.random(in: 1...9, using: &rng)
        var lines: [InvoiceLine] = []
        for position in 0..<lineCount {
            let scale = pick([0, 0, 1, 2, 4])
            let quantity = DecimalNumber(significand: Int64.random(in: 0...Int64(3 * pow10(scale) * 10), using: &rng), scale: scale)
            var price = Int64.random(in: 1...2_000_000, using: &rng)
            if currency.exponent == 0 { price = Int64.random(in: 1...200_000, using: &rng) }
            if position > 0 && Int.random(in: 0..<8, using: &rng) == 0 { price = -Int64.random(in: 1...price / 4 + 1, using: &rng) }
            let discount = Int.random(in: 0..<3, using: &rng) == 0 ? pick(["5", "10", "12.5", "33.33", "50", "100"]) : "0"
            lines.append(InvoiceLine(
                title: pick(Self.texts), description: Int.random(in: 0..<3, using: &rng) == 0 ? pick(Self.texts) + "\nZeile 2" : "",
                quantity: quantity, unit: pick(Self.units), unitPrice: Money(minorUnits: price, currency: currency),
                discount: try Percentage(parsing: discount, field: "discount"),
                vatRate: try Percentage(parsing: pick(rates), field: "VAT")))
        }
        let increment: Int64 = currencyCode == "CHF" ? pick([1, 5]) : currencyCode == "KWD" ? pick([1, 10]) : 1
        let issue = try Day(year: 2026, month: Int.random(in: 1...12, using: &rng), day: Int.random(in: 1...28, using: &rng))
        var invoice = Invoice(id: Int64(index + 1), number: "RND-2026-\(String(format: "%05d", index + 1))", customerID: 1,
                              title: pick(Self.texts), issueDate: issue, dueDate: issue.adding(days: pick([0, 10, 30])),
                              currency: currency, language: pick(Language.allCases), taxMode: mode,
                              notes: Int.random(in: 0..<2, using: &rng) == 0 ? pick(Self.texts) : "",
                              status: .open, lines: lines, cashRoundingIncrement: increment)
        invoice.vatCategory = category
        invoice = try invoice.validated()

        let sellerCountry = try Country(code: pick(["DE", "CH", "FR", "AT", "IT"]))
        var seller = Operator()
        seller.company = pick(["Cloudwerk AG", "Müller & Söhne <GmbH>", "L'Atelier \"Nuage\" SARL"])
        seller.street = "Technoparkstrasse"
        seller.building = "1"
        seller.postcode = "8005"
        seller.town = "Zürich"
        seller.country = sellerCountry
        seller.vatID = sellerCountry.code == "CH" ? "CHE-109.322.551 MWST" : sellerCountry.code + "123456789"
        seller.email = "billing@cloudwerk.example"
        seller.phone = Int.random(in: 0..<2, using: &rng) == 0 ? "+41 44 123 45 67" : ""
        seller.iban = pick(["CH9300762011623852957", "DE89370400440532013000", "CH4431999123000889012", ""])
        seller.qrIBAN = seller.iban == "CH4431999123000889012" ? seller.iban : ""
        var customer = Customer(id: 1, company: pick(["Bäckerei Kühn GmbH", "Tom's <Diner> & Co", "Société Générale d'Études"]),
                                contact: pick(["", "Jens Kühn", "Claire \"CD\" Dubois"]),
                                address: Address(street: "Hauptstraße", building: pick(["", "12", "7b"]),
                                                 postcode: pick(["10115", ""]), town: "Berlin",
                                                 country: try Country(code: pick(["DE", "FR", "US", "CH", "JP"]))),
                                email: "ap@buyer.example", vatID: pick(["DE987654321", "FR40303265045", ""]),
                                currency: currency, language: invoice.language)
        if category?.needsBothVATIDs == true && customer.vatID.isEmpty { customer.vatID = "FR40303265045" }
        if Int.random(in: 0..<4, using: &rng) == 0 { customer.buyerReference = "991-12345-73" }
        if Int.random(in: 0..<4, using: &rng) == 0 { customer.electronicAddress = "0204:991-12345-73" }
        // Most XRechnung buyers (German, with a buyer reference) are served by a seller with what XRechnung
        // needs; every fourth is not, and is refused with the missing business terms named.
        if customer.address.country.code == "DE" && !customer.buyerReference.isEmpty && index % 4 != 0 {
            seller.phone = "+41 44 123 45 67"
            customer.address.postcode = "10115"
        }
        // Every fifth bills a purchase order (BT-13), hostile texts included; its credit note carries it too.
        if index % 5 == 2 { invoice.purchaseOrder = Self.texts[index % Self.texts.count] }
        let payable = invoice.totals.payable
        if payable.minorUnits > 0 && Int.random(in: 0..<4, using: &rng) == 0 {
            let request: CreditNoteRequest = Int.random(in: 0..<2, using: &rng) == 0
                ? .rest : .amount(Money(minorUnits: Int64.random(in: 1...payable.minorUnits, using: &rng), currency: currency))
            var note = try CreditNoteBuilder.creditNote(for: invoice, previous: [], request: request, reason: pick(Self.texts),
                                                        lineTitle: pick(Self.texts))
            note.id = invoice.id + 10_000
            note.number = "RCN-2026-\(String(format: "%05d", index + 1))"
            note.issueDate = issue.adding(days: Int.random(in: 0...60, using: &rng))
            note.status = .issued
            note.purchaseOrder = invoice.purchaseOrder
            if Int.random(in: 0..<3, using: &rng) == 0 {
                note.refunded = Money(minorUnits: Int64.random(in: 1...note.totals.payable.minorUnits, using: &rng), currency: currency)
            }
            return InvoiceDocument(invoice: note, customer: customer, seller: seller)
        }
        // Customer credit applied at issue (BT-113): at most the gross total, as Invoicing.issue applies it.
        if payable.minorUnits > 0 && Int.random(in: 0..<3, using: &rng) == 0 {
            let most = min(payable.minorUnits, invoice.totals.gross.minorUnits)
            let step: Int64 = currency.exponent > 2 ? 10 : 1  // KWD: amounts that fit two decimals (BR-DEC)
            invoice.prepaid = Money(minorUnits: Int64.random(in: 1...max(1, most), using: &rng) / step * step, currency: currency)
        }
        return InvoiceDocument(invoice: invoice, customer: customer, seller: seller)
    }

    /// Line periods (BG-26) come from the store's booking periods (`EInvoicing`), not from the document:
    /// the random sets give every third document one on its first line, and every ninth only a start
    /// or only an end (EN 16931 wants at least one of the two, BR-CO-20).
    static func withPeriods(_ invoice: EInvoice, index: Int) -> EInvoice {
        guard index % 3 == 0, !invoice.lines.isEmpty else { return invoice }
        var copy = invoice
        let start = invoice.issueDate.adding(days: -(index % 40)), end = invoice.issueDate.adding(days: 30 - index % 40)
        copy.lines[0].periodStart = index % 9 == 3 ? nil : start
        copy.lines[0].periodEnd = index % 9 == 6 ? nil : end
        return copy
    }

    private func pow10(_ n: Int) -> Int64 { (0..<n).reduce(1) { value, _ in value * 10 } }
}
