import Billing

/// Writes an `EInvoice` as UN/CEFACT Cross Industry Invoice (D16B), the syntax of Factur-X/ZUGFeRD and
/// XRechnung CII. The schema is a sequence: every element below stands in the order the XSD wants.
public enum CIIWriter: Sendable {
    public static let en16931Guideline = "urn:cen.eu:en16931:2017"
    public static let xRechnungGuideline = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    static let peppolProcess = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

    public static func xml(_ invoice: EInvoice) -> [UInt8] {
        var w = XMLWriter()
        w.element("rsm:CrossIndustryInvoice", [
            "xmlns:rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
            "xmlns:qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
            "xmlns:ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
            "xmlns:udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
        ]) { w in
            w.element("rsm:ExchangedDocumentContext") { w in
                if invoice.specification == .xRechnung {
                    w.element("ram:BusinessProcessSpecifiedDocumentContextParameter") { $0.element("ram:ID", peppolProcess) }
                }
                w.element("ram:GuidelineSpecifiedDocumentContextParameter") { w in
                    w.element("ram:ID", invoice.specification == .xRechnung ? xRechnungGuideline : en16931Guideline)
                }
            }
            w.element("rsm:ExchangedDocument") { w in
                w.element("ram:ID", invoice.number)
                w.element("ram:TypeCode", invoice.type.rawValue)
                w.element("ram:IssueDateTime") { date(&$0, invoice.issueDate) }
                for note in invoice.notes {
                    w.element("ram:IncludedNote") { $0.element("ram:Content", note) }
                }
            }
            w.element("rsm:SupplyChainTradeTransaction") { w in
                for line in invoice.lines { lineItem(&w, line, currency: invoice.currency) }
                w.element("ram:ApplicableHeaderTradeAgreement") { w in
                    w.optional("ram:BuyerReference", invoice.statedBuyerReference)
                    party(&w, "ram:SellerTradeParty", invoice.seller)
                    party(&w, "ram:BuyerTradeParty", invoice.buyer)
                    if !invoice.purchaseOrder.isEmpty {
                        w.element("ram:BuyerOrderReferencedDocument") { $0.element("ram:IssuerAssignedID", invoice.purchaseOrder) }
                    }
                }
                w.element("ram:ApplicableHeaderTradeDelivery") { w in
                    if !invoice.deliverToCountry.isEmpty {
                        w.element("ram:ShipToTradeParty") { w in
                            w.element("ram:PostalTradeAddress") { $0.element("ram:CountryID", invoice.deliverToCountry) }
                        }
                    }
                    if let day = invoice.deliveryDate {
                        w.element("ram:ActualDeliverySupplyChainEvent") { w in
                            w.element("ram:OccurrenceDateTime") { date(&$0, day) }
                        }
                    }
                }
                settlement(&w, invoice)
            }
        }
        return w.finished()
    }

    private static func date(_ w: inout XMLWriter, _ day: Day) {
        w.element("udt:DateTimeString", EInvoice.compactDate(day), ["format": "102"])
    }

    private static func amount(_ money: Money) -> String { EInvoice.amountText(money) }

    private static func lineItem(_ w: inout XMLWriter, _ line: EInvoice.Line, currency: Currency) {
        w.element("ram:IncludedSupplyChainTradeLineItem") { w in
            w.element("ram:AssociatedDocumentLineDocument") { $0.element("ram:LineID", line.id) }
            w.element("ram:SpecifiedTradeProduct") { w in
                w.element("ram:Name", line.name)
                w.optional("ram:Description", line.description)
            }
            w.element("ram:SpecifiedLineTradeAgreement") { w in
                w.element("ram:NetPriceProductTradePrice") { w in
                    w.element("ram:ChargeAmount", line.netPrice)
                    if let base = line.baseQuantity {
                        w.element("ram:BasisQuantity", base.plainString, ["unitCode": line.unitCode])
                    }
                }
            }
            w.element("ram:SpecifiedLineTradeDelivery") { w in
                w.element("ram:BilledQuantity", line.quantity.plainString, ["unitCode": line.unitCode])
            }
            w.element("ram:SpecifiedLineTradeSettlement") { w in
                w.element("ram:ApplicableTradeTax") { w in
                    w.element("ram:TypeCode", "VAT")
                    w.element("ram:CategoryCode", line.category.code)
                    if let rate = line.rate { w.element("ram:RateApplicablePercent", rate.description) }
                }
                if line.periodStart != nil || line.periodEnd != nil {
                    w.element("ram:BillingSpecifiedPeriod") { w in
                        if let start = line.periodStart { w.element("ram:StartDateTime") { date(&$0, start) } }
                        if let end = line.periodEnd { w.element("ram:EndDateTime") { date(&$0, end) } }
                    }
                }
                if let allowance = line.allowance {
                    w.element("ram:SpecifiedTradeAllowanceCharge") { w in
                        w.element("ram:ChargeIndicator") { $0.element("udt:Indicator", "false") }
                        if let percent = allowance.percent { w.element("ram:CalculationPercent", percent.description) }
                        if let base = allowance.base { w.element("ram:BasisAmount", amount(base)) }
                        w.element("ram:ActualAmount", amount(allowance.amount))
                        w.element("ram:ReasonCode", "95")
                        w.element("ram:Reason", "Discount")
                    }
                }
                w.element("ram:SpecifiedTradeSettlementLineMonetarySummation") { w in
                    w.element("ram:LineTotalAmount", amount(line.netAmount))
                }
            }
        }
    }

    private static func party(_ w: inout XMLWriter, _ name: String, _ party: EInvoice.Party) {
        w.element(name) { w in
            w.optional("ram:ID", party.identifier)
            w.element("ram:Name", party.name)
            if let contact = party.contact {
                w.element("ram:DefinedTradeContact") { w in
                    w.optional("ram:PersonName", contact.name)
                    if !contact.phone.isEmpty {
                        w.element("ram:TelephoneUniversalCommunication") { $0.element("ram:CompleteNumber", contact.phone) }
                    }
                    if !contact.email.isEmpty {
                        w.element("ram:EmailURIUniversalCommunication") { $0.element("ram:URIID", contact.email) }
                    }
                }
            }
            w.element("ram:PostalTradeAddress") { w in
                w.optional("ram:PostcodeCode", party.address.postcode)
                w.optional("ram:LineOne", party.address.line)
                w.optional("ram:CityName", party.address.town)
                w.element("ram:CountryID", party.address.country)
            }
            if let address = party.electronicAddress {
                w.element("ram:URIUniversalCommunication") { $0.element("ram:URIID", address.value, ["schemeID": address.scheme]) }
            }
            if !party.vatID.isEmpty {
                w.element("ram:SpecifiedTaxRegistration") { $0.element("ram:ID", party.vatID, ["schemeID": "VA"]) }
            }
        }
    }

    private static func settlement(_ w: inout XMLWriter, _ invoice: EInvoice) {
        w.element("ram:ApplicableHeaderTradeSettlement") { w in
            if let payment = invoice.payment { w.optional("ram:PaymentReference", payment.remittance) }
            w.element("ram:InvoiceCurrencyCode", invoice.currency.code)
            if let payment = invoice.payment {
                w.element("ram:SpecifiedTradeSettlementPaymentMeans") { w in
                    w.element("ram:TypeCode", payment.meansCode)
                    if !payment.iban.isEmpty {
                        w.element("ram:PayeePartyCreditorFinancialAccount") { $0.element("ram:IBANID", payment.iban) }
                    }
                }
            }
            for group in invoice.vatBreakdown {
                w.element("ram:ApplicableTradeTax") { w in
                    w.element("ram:CalculatedAmount", amount(group.tax))
                    w.element("ram:TypeCode", "VAT")
                    w.optional("ram:ExemptionReason", group.exemptionReason)
                    w.element("ram:BasisAmount", amount(group.taxable))
                    w.element("ram:CategoryCode", group.category.code)
                    w.optional("ram:ExemptionReasonCode", group.exemptionReasonCode)
                    if let rate = group.rate { w.element("ram:RateApplicablePercent", rate.description) }
                }
            }
            if let start = invoice.periodStart, let end = invoice.periodEnd {
                w.element("ram:BillingSpecifiedPeriod") { w in
                    w.element("ram:StartDateTime") { date(&$0, start) }
                    w.element("ram:EndDateTime") { date(&$0, end) }
                }
            }
            if invoice.dueDate != nil || !invoice.paymentTerms.isEmpty {
                w.element("ram:SpecifiedTradePaymentTerms") { w in
                    w.optional("ram:Description", invoice.paymentTerms)
                    if let due = invoice.dueDate { w.element("ram:DueDateDateTime") { date(&$0, due) } }
                }
            }
            let totals = invoice.totals
            w.element("ram:SpecifiedTradeSettlementHeaderMonetarySummation") { w in
                w.element("ram:LineTotalAmount", amount(totals.lineNet))
                w.element("ram:TaxBasisTotalAmount", amount(totals.taxExclusive))
                w.element("ram:TaxTotalAmount", amount(totals.tax), ["currencyID": invoice.currency.code])
                if !totals.rounding.isZero { w.element("ram:RoundingAmount", amount(totals.rounding)) }
                w.element("ram:GrandTotalAmount", amount(totals.taxInclusive))
                if !totals.prepaid.isZero { w.element("ram:TotalPrepaidAmount", amount(totals.prepaid)) }
                w.element("ram:DuePayableAmount", amount(totals.payable))
            }
            if let preceding = invoice.precedingInvoice {
                w.element("ram:InvoiceReferencedDocument") { w in
                    w.element("ram:IssuerAssignedID", preceding.number)
                    if let day = preceding.issueDate {
                        w.element("ram:FormattedIssueDateTime") { w in
                            w.element("qdt:DateTimeString", EInvoice.compactDate(day), ["format": "102"])
                        }
                    }
                }
            }
        }
    }
}
