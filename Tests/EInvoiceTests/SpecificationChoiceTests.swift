import Billing
import Documents
import EInvoice
import Foundation
import Testing

/// Which rules an e-invoice claims (XRechnung by the buyer's country and wish, Peppol BIS 3 otherwise),
/// what an XRechnung refuses to go without, and the account a SEPA payment names.
@Suite struct SpecificationChoiceTests {
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    /// A French business with a buyer reference gets a Peppol BIS 3 UBL, not an XRechnung.
    // Mutation (mutants.tsv spec-any-buyer-reference): EInvoice.specification(for:) choosing XRechnung for any buyer reference (the old rule) → fails.
    @Test func aFrenchBuyerReferenceStaysPeppol() throws {
        let invoice = try EInvoice(try Fixtures.frenchPeppol())
        #expect(invoice.specification == .en16931)
        let ubl = text(UBLWriter.xml(invoice))
        #expect(ubl.contains("<cbc:CustomizationID>\(UBLWriter.peppolCustomization)</cbc:CustomizationID>"))
        #expect(ubl.contains("<cbc:BuyerReference>DEPT-ACHATS-42</cbc:BuyerReference>"))
        #expect(ubl.contains("<cbc:EndpointID schemeID=\"0009\">30326504500017</cbc:EndpointID>"))
        #expect(ubl.contains("<cbc:EndpointID schemeID=\"9930\">DE811907980</cbc:EndpointID>"))
    }

    /// A German public buyer gets XRechnung in both syntaxes; a wish for Factur-X keeps EN 16931.
    @Test func aGermanPublicBuyerGetsXRechnung() throws {
        let document = try Fixtures.germanXRechnung()
        let invoice = try EInvoice(document)
        #expect(invoice.specification == .xRechnung)
        #expect(text(CIIWriter.xml(invoice)).contains(CIIWriter.xRechnungGuideline))
        #expect(text(UBLWriter.xml(invoice)).contains(UBLWriter.xRechnungCustomization))
        var facturX = document
        facturX.customer.eInvoice = .facturX
        #expect(try EInvoice(facturX).specification == .en16931)
    }

    /// XRechnung without seller city, post code and telephone (the README's old empty desk) is refused,
    /// naming the business terms.
    // Mutation (mutants.tsv xrechnung-problems-skipped): EInvoice+Document skipping the xRechnungProblems check → no error; this test fails.
    @Test func anXRechnungWithoutSellerCityPostcodePhoneIsRefused() throws {
        var document = try Fixtures.germanXRechnung()
        document.seller.town = ""
        document.seller.postcode = ""
        document.seller.phone = ""
        let error = try #require(throws: EInvoiceError.self) { try EInvoice(document) }
        for term in ["BT-37", "BT-38", "BT-42"] { #expect(error.message.contains(term), "\(error.message)") }
    }

    /// `--einvoice xrechnung-cii` without a buyer reference is refused with the reason, not sent as plain CII.
    // Mutation (mutants.tsv spec-ignores-xrechnung-wish): EInvoice.specification(for:) ignores the xrechnung-cii wish → no refusal; fails.
    @Test func xRechnungWishWithoutBuyerReferenceIsRefused() throws {
        var document = try Fixtures.germanXRechnung()
        document.customer.buyerReference = ""
        document.customer.eInvoice = .xRechnungCII
        let error = try #require(throws: EInvoiceError.self) { try EInvoice(document) }
        #expect(error.message.contains("BT-10"), "\(error.message)")
        #expect(error.message.contains("--buyer-reference"), "\(error.message)")
    }

    /// An EUR invoice of a seller with a QR-IBAN pays by SEPA (58) to the ordinary IBAN; CHF keeps the QR-IBAN.
    // Mutation (mutants.tsv qrbill-account-eur-qriban): QRBill.account returning the QR-IBAN for EUR too → the EUR expectations fail.
    @Test func eurPaysToTheOrdinaryIBAN() throws {
        var document = try Fixtures.germanNet()
        document.seller.qrIBAN = "CH4431999123000889012"
        let eur = try #require(try EInvoice(document).payment)
        #expect(eur.iban == "CH9300762011623852957")
        #expect(eur.meansCode == "58")
        var swiss = try Fixtures.swissGross()
        swiss.seller.qrIBAN = "CH4431999123000889012"
        #expect(try #require(try EInvoice(swiss).payment).iban == "CH4431999123000889012")
    }

    /// BT-119 is 0 in a category-O breakdown and absent on its lines (BR-DE-14, BR-O-05).
    @Test func outsideScopeBreakdownHasRateZero() throws {
        let ubl = text(UBLWriter.xml(try EInvoice(try Fixtures.swissOutsideScopeXRechnung())))
        #expect(ubl.contains("<cac:TaxCategory><cbc:ID>O</cbc:ID><cbc:Percent>0</cbc:Percent>"))
        #expect(ubl.contains("<cac:ClassifiedTaxCategory><cbc:ID>O</cbc:ID><cac:TaxScheme>"))
    }

    /// A credit note's title and reason are one note in UBL (PEPPOL-EN16931-R002 allows one).
    @Test func aCreditNoteHasOneNote() throws {
        let ubl = text(UBLWriter.xml(try EInvoice(try Fixtures.germanXRechnungCreditNote())))
        let header = try #require(ubl.components(separatedBy: "<cbc:DocumentCurrencyCode>").first)
        #expect(header.components(separatedBy: "<cbc:Note>").count == 2, "\(header)")
        #expect(ubl.contains("Doppelt berechnet"))
    }
}

/// The Leitweg-ID's check digits (ISO 7064 MOD 97-10), as `customer add|edit` checks them.
@Suite struct LeitwegIDTests {
    // Mutation (mutants.tsv leitweg-check-off-by-one): LeitwegID.checkDigits returning 98 - remainder - 1 → 991-12345-73 is refused; this test fails.
    @Test func checkDigits() throws {
        #expect(LeitwegID.checkDigits(for: "991-12345") == "73")
        try LeitwegID.check("991-12345-73", field: "buyer reference")
        try LeitwegID.check("04011000-1234512345-06", field: "buyer reference")
        let error = try #require(throws: BillingError.self) { try LeitwegID.check("991-12345-67", field: "buyer reference") }
        #expect(error.description.contains("991-12345-73"))
    }

    @Test func customersWithAWrongLeitwegIDAreRefused() throws {
        var customer = try Fixtures.germanPublicBuyer()
        customer.buyerReference = "991-12345-67"
        #expect(throws: BillingError.self) { try customer.validated() }
        customer.buyerReference = "PO-4711"  // not shaped like a Leitweg-ID: any reference the buyer wants
        customer.electronicAddress = "0204:991-12345-76"
        #expect(throws: BillingError.self) { try customer.validated() }
        customer.electronicAddress = "0204:991-12345-73"
        _ = try customer.validated()
    }
}
