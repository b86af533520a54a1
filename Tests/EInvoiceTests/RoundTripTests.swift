import Billing
import Documents
import EInvoice
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// CII and UBL of the same invoice, parsed back (libxml2 through Foundation's XMLDocument), carry the same
/// business terms: totals, VAT breakdown, parties, dates, lines; and they equal the billing core's sums.
@Suite struct RoundTripTests {
    /// The business terms both syntaxes carry, as the files spell them (dates as YYYY-MM-DD).
    struct Terms: Equatable, CustomStringConvertible {
        var values: [String: String] = [:]
        var breakdown: [[String]] = []
        var lines: [[String]] = []
        var description: String { "\(values.sorted { $0.key < $1.key })\n\(breakdown)\n\(lines)" }
    }

    static func path(_ steps: String) -> String {
        steps.split(separator: "/").map { $0 == ".." ? ".." : "*[local-name()='\($0)']" }.joined(separator: "/")
    }

    static func text(_ node: XMLNode, _ steps: String) throws -> String {
        try node.nodes(forXPath: path(steps)).first?.stringValue ?? ""
    }

    /// Every match's text, joined by " | " (a term that repeats, such as the notes).
    static func texts(_ node: XMLNode, _ steps: String) throws -> String {
        try node.nodes(forXPath: path(steps)).map { $0.stringValue ?? "" }.joined(separator: " | ")
    }

    static func dashed(_ compact: String) -> String {
        guard compact.count == 8 else { return compact }
        let c = Array(compact)
        return String(c[0..<4]) + "-" + String(c[4..<6]) + "-" + String(c[6..<8])
    }

    static func cii(_ bytes: [UInt8]) throws -> Terms {
        let root = try #require(try XMLDocument(data: Data(bytes)).rootElement())
        var t = Terms()
        let settlement = "SupplyChainTradeTransaction/ApplicableHeaderTradeSettlement"
        let sums = settlement + "/SpecifiedTradeSettlementHeaderMonetarySummation"
        let agreement = "SupplyChainTradeTransaction/ApplicableHeaderTradeAgreement"
        t.values = [
            "BT-1": try text(root, "ExchangedDocument/ID"), "BT-3": try text(root, "ExchangedDocument/TypeCode"),
            "BT-2": dashed(try text(root, "ExchangedDocument/IssueDateTime/DateTimeString")),
            "BT-9": dashed(try text(root, settlement + "/SpecifiedTradePaymentTerms/DueDateDateTime/DateTimeString")),
            "BT-5": try text(root, settlement + "/InvoiceCurrencyCode"),
            "BT-10": try text(root, agreement + "/BuyerReference"),
            "BT-83": try text(root, settlement + "/PaymentReference"),
            "BT-84": try text(root, settlement + "/SpecifiedTradeSettlementPaymentMeans/PayeePartyCreditorFinancialAccount/IBANID"),
            "BT-106": try text(root, sums + "/LineTotalAmount"), "BT-109": try text(root, sums + "/TaxBasisTotalAmount"),
            "BT-110": try text(root, sums + "/TaxTotalAmount"), "BT-112": try text(root, sums + "/GrandTotalAmount"),
            "BT-113": try text(root, sums + "/TotalPrepaidAmount"), "BT-114": try text(root, sums + "/RoundingAmount"),
            "BT-115": try text(root, sums + "/DuePayableAmount"),
            "BT-20": try text(root, settlement + "/SpecifiedTradePaymentTerms/Description"),
            "BT-22": try texts(root, "ExchangedDocument/IncludedNote/Content"),
            "BT-25": try text(root, settlement + "/InvoiceReferencedDocument/IssuerAssignedID"),
            "BT-26": dashed(try text(root, settlement + "/InvoiceReferencedDocument/FormattedIssueDateTime/DateTimeString")),
            "BT-81": try text(root, settlement + "/SpecifiedTradeSettlementPaymentMeans/TypeCode"),
            "BT-27": try text(root, agreement + "/SellerTradeParty/Name"),
            "BT-31": try text(root, agreement + "/SellerTradeParty/SpecifiedTaxRegistration/ID"),
            "BT-40": try text(root, agreement + "/SellerTradeParty/PostalTradeAddress/CountryID"),
            "BT-35": try text(root, agreement + "/SellerTradeParty/PostalTradeAddress/LineOne"),
            "BT-37": try text(root, agreement + "/SellerTradeParty/PostalTradeAddress/CityName"),
            "BT-44": try text(root, agreement + "/BuyerTradeParty/Name"),
            "BT-48": try text(root, agreement + "/BuyerTradeParty/SpecifiedTaxRegistration/ID"),
            "BT-49": try text(root, agreement + "/BuyerTradeParty/URIUniversalCommunication/URIID"),
            "BT-53": try text(root, agreement + "/BuyerTradeParty/PostalTradeAddress/PostcodeCode"),
            "BT-55": try text(root, agreement + "/BuyerTradeParty/PostalTradeAddress/CountryID"),
        ]
        for tax in try root.nodes(forXPath: path(settlement + "/ApplicableTradeTax")) {
            t.breakdown.append([try text(tax, "CategoryCode"), try text(tax, "RateApplicablePercent"),
                                try text(tax, "BasisAmount"), try text(tax, "CalculatedAmount"),
                                try text(tax, "ExemptionReason"), try text(tax, "ExemptionReasonCode")])
        }
        for line in try root.nodes(forXPath: path("SupplyChainTradeTransaction/IncludedSupplyChainTradeLineItem")) {
            t.lines.append([try text(line, "AssociatedDocumentLineDocument/LineID"),
                            try text(line, "SpecifiedTradeProduct/Name"),
                            try text(line, "SpecifiedLineTradeDelivery/BilledQuantity"),
                            try text(line, "SpecifiedLineTradeAgreement/NetPriceProductTradePrice/ChargeAmount"),
                            try text(line, "SpecifiedLineTradeSettlement/SpecifiedTradeSettlementLineMonetarySummation/LineTotalAmount"),
                            try text(line, "SpecifiedLineTradeSettlement/ApplicableTradeTax/CategoryCode"),
                            try text(line, "SpecifiedLineTradeSettlement/ApplicableTradeTax/RateApplicablePercent"),
                            try text(line, "SpecifiedLineTradeSettlement/SpecifiedTradeAllowanceCharge/ActualAmount"),
                            dashed(try text(line, "SpecifiedLineTradeSettlement/BillingSpecifiedPeriod/StartDateTime/DateTimeString")),
                            dashed(try text(line, "SpecifiedLineTradeSettlement/BillingSpecifiedPeriod/EndDateTime/DateTimeString"))])
        }
        return t
    }

    static func ubl(_ bytes: [UInt8]) throws -> Terms {
        let root = try #require(try XMLDocument(data: Data(bytes)).rootElement())
        var t = Terms()
        let sums = "LegalMonetaryTotal"
        let seller = "AccountingSupplierParty/Party", buyer = "AccountingCustomerParty/Party"
        t.values = [
            "BT-1": try text(root, "ID"), "BT-3": try text(root, "InvoiceTypeCode") + (try text(root, "CreditNoteTypeCode")),
            "BT-2": try text(root, "IssueDate"),
            "BT-9": try text(root, "DueDate") + (try text(root, "PaymentMeans/PaymentDueDate")),
            "BT-5": try text(root, "DocumentCurrencyCode"), "BT-10": try text(root, "BuyerReference"),
            "BT-83": try text(root, "PaymentMeans/PaymentID"), "BT-84": try text(root, "PaymentMeans/PayeeFinancialAccount/ID"),
            "BT-106": try text(root, sums + "/LineExtensionAmount"), "BT-109": try text(root, sums + "/TaxExclusiveAmount"),
            "BT-110": try text(root, "TaxTotal/TaxAmount"), "BT-112": try text(root, sums + "/TaxInclusiveAmount"),
            "BT-113": try text(root, sums + "/PrepaidAmount"), "BT-114": try text(root, sums + "/PayableRoundingAmount"),
            "BT-115": try text(root, sums + "/PayableAmount"),
            "BT-20": try text(root, "PaymentTerms/Note"),
            // UBL carries the notes as the paragraphs of one (Peppol allows one, PEPPOL-EN16931-R002).
            "BT-22": try texts(root, "Note").replacingOccurrences(of: "\n\n", with: " | "),
            "BT-25": try text(root, "BillingReference/InvoiceDocumentReference/ID"),
            "BT-26": try text(root, "BillingReference/InvoiceDocumentReference/IssueDate"),
            "BT-81": try text(root, "PaymentMeans/PaymentMeansCode"),
            "BT-27": try text(root, seller + "/PartyLegalEntity/RegistrationName"),
            "BT-31": try text(root, seller + "/PartyTaxScheme/CompanyID"),
            "BT-40": try text(root, seller + "/PostalAddress/Country/IdentificationCode"),
            "BT-35": try text(root, seller + "/PostalAddress/StreetName"),
            "BT-37": try text(root, seller + "/PostalAddress/CityName"),
            "BT-44": try text(root, buyer + "/PartyLegalEntity/RegistrationName"),
            "BT-48": try text(root, buyer + "/PartyTaxScheme/CompanyID"),
            "BT-49": try text(root, buyer + "/EndpointID"),
            "BT-53": try text(root, buyer + "/PostalAddress/PostalZone"),
            "BT-55": try text(root, buyer + "/PostalAddress/Country/IdentificationCode"),
        ]
        for tax in try root.nodes(forXPath: path("TaxTotal/TaxSubtotal")) {
            t.breakdown.append([try text(tax, "TaxCategory/ID"), try text(tax, "TaxCategory/Percent"),
                                try text(tax, "TaxableAmount"), try text(tax, "TaxAmount"),
                                try text(tax, "TaxCategory/TaxExemptionReason"), try text(tax, "TaxCategory/TaxExemptionReasonCode")])
        }
        for line in try root.nodes(forXPath: path("InvoiceLine") + " | " + path("CreditNoteLine")) {
            t.lines.append([try text(line, "ID"), try text(line, "Item/Name"),
                            try text(line, "InvoicedQuantity") + (try text(line, "CreditedQuantity")),
                            try text(line, "Price/PriceAmount"), try text(line, "LineExtensionAmount"),
                            try text(line, "Item/ClassifiedTaxCategory/ID"), try text(line, "Item/ClassifiedTaxCategory/Percent"),
                            try text(line, "AllowanceCharge/Amount"),
                            try text(line, "InvoicePeriod/StartDate"), try text(line, "InvoicePeriod/EndDate")])
        }
        return t
    }

    static func cases() throws -> [(String, InvoiceDocument)] {
        var all: [(String, InvoiceDocument)] = try OfficialRulesTests.goldens.map { ($0.0, try $0.1()) }
        var generator = RandomInvoices(seed: 7)
        for index in 0..<80 {
            let document = try generator.makeCase(index: index)
            guard document.invoice.currency.code != "KWD" else { continue }
            // XRechnung buyers whose random seller lacks what XRechnung needs are refused (OfficialRulesTests counts them).
            do { _ = try EInvoice(document) } catch let error as EInvoiceError where error.message.contains("cannot be an XRechnung") {
                continue
            }
            all.append(("random \(index)", document))
        }
        return all
    }

    // Mutation (mutants.tsv cii-rounding-amount): CIIWriter dropping RoundingAmount → BT-114 differs from the UBL for swiss-gross; this test fails.
    // Mutation (mutants.tsv einv-type-380-roundtrip): EInvoice.init typing every document 380 → BT-3 differs from the stored kind's 381; this test fails.
    // Mutation (mutants.tsv einv-preceding-nil): EInvoice.init leaving precedingInvoice nil → BT-25 is empty for the credit notes; this test fails.
    // Mutation (mutants.tsv einv-prepaid-ignored-roundtrip): EInvoice.init ignoring invoice.prepaid → BT-113 empty and BT-115 too high; this test fails.
    // Mutation (mutants.tsv ubl-line-period-dropped): UBLWriter leaving out the line's InvoicePeriod → BT-134/BT-135 differ from the CII; this test fails.
    @Test func ciiAndUBLCarryTheSameBusinessTerms() throws {
        let all = try Self.cases()
        #expect(all.filter { $0.1.invoice.isCreditNote }.count >= 15)
        #expect(all.filter { !$0.1.invoice.prepaid.isZero }.count >= 10)
        for (index, (label, document)) in all.enumerated() {
            let invoice = RandomInvoices.withPeriods(try EInvoice(document), index: index)
            let cii = try Self.cii(CIIWriter.xml(invoice)), ubl = try Self.ubl(UBLWriter.xml(invoice))
            #expect(cii == ubl, "\(label):\nCII \(cii)\nUBL \(ubl)")
            // And both say what the billing core stored and computed.
            let stored = document.invoice, totals = stored.totals
            let text = EInvoice.amountText
            #expect(cii.values["BT-3"] == stored.kind.typeCode, "\(label)")
            #expect(cii.values["BT-25"] == (stored.preceding?.number ?? ""), "\(label)")
            #expect(cii.values["BT-26"] == (stored.preceding?.issueDate?.description ?? ""), "\(label)")
            #expect(cii.values["BT-113"] == (stored.prepaid.isZero ? "" : text(stored.prepaid)), "\(label)")
            #expect(cii.values["BT-106"] == text(totals.net), "\(label)")
            #expect(cii.values["BT-110"] == text(totals.vat), "\(label)")
            #expect(cii.values["BT-112"] == text(totals.gross), "\(label)")
            #expect(cii.values["BT-115"] == text(totals.payable - stored.prepaid), "\(label)")
            #expect(cii.values["BT-1"] == stored.number, "\(label)")
            #expect(cii.values["BT-2"] == stored.issueDate?.description, "\(label)")
            #expect(cii.lines.count == stored.lines.count, "\(label)")
            #expect(cii.breakdown.count == max(1, totals.vatGroups.count), "\(label)")
            #expect(cii.lines.map { $0[8] } == invoice.lines.map { $0.periodStart?.description ?? "" }, "\(label)")
            #expect(cii.lines.map { $0[9] } == invoice.lines.map { $0.periodEnd?.description ?? "" }, "\(label)")
            if stored.isCreditNote {
                // A credit note's amounts are positive (its type code gives the direction), and it is
                // settled by clearing, with no account to pay into (BT-81 97, no BT-84).
                #expect(totals.payable.minorUnits > 0 && !(cii.values["BT-115"] ?? "-").hasPrefix("-"), "\(label)")
                #expect(cii.values["BT-81"] == "97" && cii.values["BT-84"] == "", "\(label)")
                #expect(cii.values["BT-22"]?.contains(stored.creditReason) == true, "\(label)")
            }
        }
    }

    /// Decimals as the documents show them: 2 for EUR, 0 for JPY, prices and quantities exact.
    // Mutation (mutants.tsv amount-text-trimmed): amountText using DecimalNumber.description (trims 1.50 to 1.5) → this test fails.
    @Test func amountsKeepTheCurrencyDecimals() throws {
        let invoice = try EInvoice(try Fixtures.germanNet())
        let cii = try Self.cii(CIIWriter.xml(invoice))
        #expect(cii.values["BT-106"] == "1642.90")  // the golden document: Total netto 1.642,90 €
        #expect(cii.values["BT-110"] == "306.16")  // 3,49 + 302,67
        #expect(cii.values["BT-112"] == "1949.06")
        #expect(cii.lines[1] == ["2", "Schulung vor Ort", "2.5", "180.00", "405.00", "S", "19", "45.00", "", ""])
        var yen = try Fixtures.american()
        yen.invoice.currency = try Currency(code: "JPY")
        yen.invoice.lines[0].unitPrice = Money(minorUnits: 123_450, currency: yen.invoice.currency)
        let jpy = try Self.ubl(UBLWriter.xml(try EInvoice(yen)))
        #expect(jpy.values["BT-115"] == "123450")
        #expect(jpy.lines[0][3] == "123450")
    }
}
