import Billing
import Documents
import EInvoice
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Credit notes and prepaid amounts as the stored document gives them: BT-3 381 with the preceding
/// invoice (BG-3) in CII, UBL's own `CreditNote` vocabulary, and BT-113/BT-115 of an invoice issued
/// with customer credit. (The official rules judge the same documents in `OfficialRulesTests`.)
@Suite struct CreditNoteTests {
    static func root(_ bytes: [UInt8]) throws -> XMLElement {
        try #require(try XMLDocument(data: Data(bytes)).rootElement())
    }

    static func values(_ node: XMLNode, _ steps: String) throws -> [String] {
        try node.nodes(forXPath: RoundTripTests.path(steps)).map { $0.stringValue ?? "" }
    }

    // Mutation (mutants.tsv einv-type-380-cii): EInvoice.init typing every document 380 (`type = .invoice`) → TypeCode 380 and a UBL
    // Invoice root; this test fails.
    // Mutation (mutants.tsv cii-preceding-dropped): CIIWriter leaving out InvoiceReferencedDocument → BT-25 missing; this test fails.
    @Test func aCreditNoteIs381WithItsPrecedingInvoiceInCII() throws {
        let document = try Fixtures.germanCreditNote()
        let invoice = try EInvoice(document)
        #expect(invoice.type == .creditNote)
        let cii = try Self.root(CIIWriter.xml(invoice))
        #expect(try Self.values(cii, "ExchangedDocument/TypeCode") == ["381"])
        #expect(try Self.values(cii, "ExchangedDocument/ID") == ["CN-2026-00001"])
        let settlement = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement"
        #expect(try Self.values(cii, settlement + "/InvoiceReferencedDocument/IssuerAssignedID") == ["CW-2026-00002"])
        #expect(try Self.values(cii, settlement + "/InvoiceReferencedDocument/FormattedIssueDateTime/DateTimeString") == ["20261011"])
        // The amounts of the invoice it credits in full, positive.
        let sums = settlement + "/SpecifiedTradeSettlementHeaderMonetarySummation"
        #expect(try Self.values(cii, sums + "/GrandTotalAmount") == ["1949.06"])
        #expect(try Self.values(cii, sums + "/DuePayableAmount") == ["1949.06"])
        #expect(try Self.values(cii, "SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem/SpecifiedLineTradeDelivery/BilledQuantity")
                == ["1", "2.5", "1"])
        // Settled by clearing against the invoice: no account to pay into, the terms say so, the reason is a note.
        #expect(try Self.values(cii, settlement + "/SpecifiedTradeSettlementPaymentMeans/TypeCode") == ["97"])
        #expect(try Self.values(cii, settlement + "/SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount/IBANID").isEmpty)
        #expect(try Self.values(cii, settlement + "/SpecifiedTradePaymentTerms/Description")
                == ["Verrechnet mit Rechnung CW-2026-00002 oder dem Guthaben des Kunden."])
        #expect(try Self.values(cii, "ExchangedDocument/IncludedNote/Content").contains("Doppelt berechnet: <Schulung> & \"Fachbuch\""))
    }

    // Mutation (mutants.tsv ubl-credit-invoiceline): UBLWriter writing `cac:InvoiceLine` in a credit note → the XSD check in OfficialRulesTests
    // and the line expectation here fail.
    @Test func aCreditNoteInUBLUsesTheCreditNoteVocabulary() throws {
        let invoice = try EInvoice(try Fixtures.germanCreditNote())
        let bytes = UBLWriter.xml(invoice)
        let ubl = try Self.root(bytes)
        #expect(ubl.name == "CreditNote")
        #expect(ubl.uri == "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2")
        #expect(try Self.values(ubl, "CreditNoteTypeCode") == ["381"])
        #expect(try Self.values(ubl, "InvoiceTypeCode").isEmpty)
        #expect(try Self.values(ubl, "BillingReference/InvoiceDocumentReference/ID") == ["CW-2026-00002"])
        #expect(try Self.values(ubl, "BillingReference/InvoiceDocumentReference/IssueDate") == ["2026-10-11"])
        #expect(try Self.values(ubl, "CreditNoteLine/CreditedQuantity") == ["1", "2.5", "1"])
        #expect(try Self.values(ubl, "InvoiceLine").isEmpty)
        #expect(try Self.values(ubl, "LegalMonetaryTotal/PayableAmount") == ["1949.06"])
        #expect(try Self.values(ubl, "PaymentMeans/PaymentMeansCode") == ["97"])
        #expect(try Self.values(ubl, "PaymentMeans/PayeeFinancialAccount/ID").isEmpty)
        #expect(try Self.values(ubl, "PaymentTerms/Note") == ["Verrechnet mit Rechnung CW-2026-00002 oder dem Guthaben des Kunden."])
    }

    /// A partial credit note: the billing core's gross lines per VAT rate, and the part paid back in the terms.
    // Mutation (mutants.tsv credit-terms-refunded): creditTerms ignoring `refunded` → the terms lack "50.00 EUR paid back"; this test fails.
    @Test func aPartialCreditNoteSaysWhatWasPaidBack() throws {
        let document = try Fixtures.partialCreditNote()
        let invoice = try EInvoice(document)
        #expect(EInvoice.amountText(invoice.totals.taxInclusive) == "119.00")
        #expect(EInvoice.amountText(invoice.totals.payable) == "119.00")
        #expect(invoice.lines.count == 2)
        #expect(invoice.paymentTerms == "Settled against invoice CW-2026-00002 or the customer's credit balance; 50.00 EUR paid back to the customer.")
    }

    // Mutation (mutants.tsv einv-prepaid-ignored): EInvoice.init ignoring invoice.prepaid → no TotalPrepaidAmount and 1949.06 due; this test fails.
    @Test func customerCreditAppliedAtIssueIsThePrepaidAmount() throws {
        let invoice = try EInvoice(try Fixtures.germanPrepaid())
        #expect(invoice.type == .invoice)
        #expect(invoice.precedingInvoice == nil)
        let cii = try Self.root(CIIWriter.xml(invoice))
        let sums = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement/SpecifiedTradeSettlementHeaderMonetarySummation"
        #expect(try Self.values(cii, sums + "/GrandTotalAmount") == ["1949.06"])
        #expect(try Self.values(cii, sums + "/TotalPrepaidAmount") == ["200.00"])
        #expect(try Self.values(cii, sums + "/DuePayableAmount") == ["1749.06"])
        let ubl = try Self.root(UBLWriter.xml(invoice))
        #expect(try Self.values(ubl, "LegalMonetaryTotal/PrepaidAmount") == ["200.00"])
        #expect(try Self.values(ubl, "LegalMonetaryTotal/PayableAmount") == ["1749.06"])
        // With cash rounding: BT-115 = BT-112 − BT-113 + BT-114 (BR-CO-16). 29.00 + 36.99 = 65.99 → 66.00.
        let swiss = try EInvoice(try Fixtures.swissPrepaid())
        #expect(EInvoice.amountText(swiss.totals.rounding) == "0.01")
        #expect(EInvoice.amountText(swiss.totals.payable) == "56.00")
    }

    // Mutation (mutants.tsv einv-preceding-guard): removing the preceding-invoice guard → a credit note without BT-25 is written (BR-55 needs it); fails.
    @Test func aCreditNoteWithoutItsInvoiceIsRefused() throws {
        var document = try Fixtures.germanCreditNote()
        document.invoice.preceding = nil
        let error = try #require(throws: EInvoiceError.self) { try EInvoice(document) }
        #expect(error.message == "credit note CN-2026-00001 names no invoice it credits; EN 16931 wants the preceding invoice (BT-25)")
    }
}
