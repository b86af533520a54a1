import Billing

/// Writes an `EInvoice` as OASIS UBL 2.1: `Invoice` or `CreditNote`, claiming XRechnung 3 for an XRechnung,
/// else Peppol BIS Billing 3 when the document meets Peppol's rules (`EInvoice.peppolProblems`), else plain
/// EN 16931. Elements in schema order.
public enum UBLWriter: Sendable {
    public static let en16931Customization = "urn:cen.eu:en16931:2017"

    /// BT-24 as UBL writes it for `invoice`.
    public static func customization(for invoice: EInvoice) -> String {
        if invoice.specification == .xRechnung { return xRechnungCustomization }
        return invoice.peppolProblems.isEmpty ? peppolCustomization : en16931Customization
    }

    public static let peppolCustomization = "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0"
    public static let xRechnungCustomization = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"
    public static let peppolProfile = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

    public static func xml(_ invoice: EInvoice) -> [UInt8] {
        let credit = invoice.type == .creditNote
        let root = credit ? "CreditNote" : "Invoice"
        var w = XMLWriter()
        w.element(root, [
            "xmlns": "urn:oasis:names:specification:ubl:schema:xsd:\(root)-2",
            "xmlns:cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
            "xmlns:cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
        ]) { w in
            let currency = invoice.currency.code
            let customization = customization(for: invoice)
            w.element("cbc:CustomizationID", customization)
            if customization != en16931Customization { w.element("cbc:ProfileID", peppolProfile) }
            w.element("cbc:ID", invoice.number)
            w.element("cbc:IssueDate", invoice.issueDate.description)
            if !credit, let due = invoice.dueDate { w.element("cbc:DueDate", due.description) }
            w.element(credit ? "cbc:CreditNoteTypeCode" : "cbc:InvoiceTypeCode", invoice.type.rawValue)
            // One note: Peppol allows no more (PEPPOL-EN16931-R002); the notes are its paragraphs.
            if !invoice.notes.isEmpty { w.element("cbc:Note", invoice.notes.joined(separator: "\n\n")) }
            w.element("cbc:DocumentCurrencyCode", currency)
            w.optional("cbc:BuyerReference", invoice.statedBuyerReference)
            if let start = invoice.periodStart, let end = invoice.periodEnd {
                w.element("cac:InvoicePeriod") { w in
                    w.element("cbc:StartDate", start.description)
                    w.element("cbc:EndDate", end.description)
                }
            }
            if !invoice.purchaseOrder.isEmpty {
                w.element("cac:OrderReference") { $0.element("cbc:ID", invoice.purchaseOrder) }
            }
            if let preceding = invoice.precedingInvoice {
                w.element("cac:BillingReference") { w in
                    w.element("cac:InvoiceDocumentReference") { w in
                        w.element("cbc:ID", preceding.number)
                        if let day = preceding.issueDate { w.element("cbc:IssueDate", day.description) }
                    }
                }
            }
            w.element("cac:AccountingSupplierParty") { party(&$0, invoice.seller) }
            w.element("cac:AccountingCustomerParty") { party(&$0, invoice.buyer) }
            if invoice.deliveryDate != nil || !invoice.deliverToCountry.isEmpty {
                w.element("cac:Delivery") { w in
                    if let day = invoice.deliveryDate { w.element("cbc:ActualDeliveryDate", day.description) }
                    if !invoice.deliverToCountry.isEmpty {
                        w.element("cac:DeliveryLocation") { w in
                            w.element("cac:Address") { w in
                                w.element("cac:Country") { $0.element("cbc:IdentificationCode", invoice.deliverToCountry) }
                            }
                        }
                    }
                }
            }
            if let payment = invoice.payment {
                w.element("cac:PaymentMeans") { w in
                    w.element("cbc:PaymentMeansCode", payment.meansCode)
                    if credit, let due = invoice.dueDate { w.element("cbc:PaymentDueDate", due.description) }
                    w.optional("cbc:PaymentID", payment.remittance)
                    if !payment.iban.isEmpty {
                        w.element("cac:PayeeFinancialAccount") { $0.element("cbc:ID", payment.iban) }
                    }
                }
            }
            if !invoice.paymentTerms.isEmpty {
                w.element("cac:PaymentTerms") { $0.element("cbc:Note", invoice.paymentTerms) }
            }
            w.element("cac:TaxTotal") { w in
                w.element("cbc:TaxAmount", amount(invoice.totals.tax), ["currencyID": currency])
                for group in invoice.vatBreakdown {
                    w.element("cac:TaxSubtotal") { w in
                        w.element("cbc:TaxableAmount", amount(group.taxable), ["currencyID": currency])
                        w.element("cbc:TaxAmount", amount(group.tax), ["currencyID": currency])
                        w.element("cac:TaxCategory") { w in
                            w.element("cbc:ID", group.category.code)
                            if let rate = group.rate { w.element("cbc:Percent", rate.description) }
                            w.optional("cbc:TaxExemptionReasonCode", group.exemptionReasonCode)
                            w.optional("cbc:TaxExemptionReason", group.exemptionReason)
                            w.element("cac:TaxScheme") { $0.element("cbc:ID", "VAT") }
                        }
                    }
                }
            }
            let totals = invoice.totals
            w.element("cac:LegalMonetaryTotal") { w in
                w.element("cbc:LineExtensionAmount", amount(totals.lineNet), ["currencyID": currency])
                w.element("cbc:TaxExclusiveAmount", amount(totals.taxExclusive), ["currencyID": currency])
                w.element("cbc:TaxInclusiveAmount", amount(totals.taxInclusive), ["currencyID": currency])
                if !totals.prepaid.isZero { w.element("cbc:PrepaidAmount", amount(totals.prepaid), ["currencyID": currency]) }
                if !totals.rounding.isZero {
                    w.element("cbc:PayableRoundingAmount", amount(totals.rounding), ["currencyID": currency])
                }
                w.element("cbc:PayableAmount", amount(totals.payable), ["currencyID": currency])
            }
            for line in invoice.lines { self.line(&w, line, currency: currency, credit: credit) }
        }
        return w.finished()
    }

    private static func amount(_ money: Money) -> String { EInvoice.amountText(money) }

    private static func party(_ w: inout XMLWriter, _ party: EInvoice.Party) {
        w.element("cac:Party") { w in
            if let address = party.electronicAddress {
                w.element("cbc:EndpointID", address.value, ["schemeID": address.scheme])
            }
            if !party.identifier.isEmpty {
                w.element("cac:PartyIdentification") { $0.element("cbc:ID", party.identifier) }
            }
            w.element("cac:PostalAddress") { w in
                w.optional("cbc:StreetName", party.address.line)
                w.optional("cbc:CityName", party.address.town)
                w.optional("cbc:PostalZone", party.address.postcode)
                w.element("cac:Country") { $0.element("cbc:IdentificationCode", party.address.country) }
            }
            if !party.vatID.isEmpty {
                w.element("cac:PartyTaxScheme") { w in
                    w.element("cbc:CompanyID", party.vatID)
                    w.element("cac:TaxScheme") { $0.element("cbc:ID", "VAT") }
                }
            }
            w.element("cac:PartyLegalEntity") { $0.element("cbc:RegistrationName", party.name) }
            if let contact = party.contact {
                w.element("cac:Contact") { w in
                    w.optional("cbc:Name", contact.name)
                    w.optional("cbc:Telephone", contact.phone)
                    w.optional("cbc:ElectronicMail", contact.email)
                }
            }
        }
    }

    private static func line(_ w: inout XMLWriter, _ line: EInvoice.Line, currency: String, credit: Bool) {
        w.element(credit ? "cac:CreditNoteLine" : "cac:InvoiceLine") { w in
            w.element("cbc:ID", line.id)
            w.element(credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity", line.quantity.plainString,
                      ["unitCode": line.unitCode])
            w.element("cbc:LineExtensionAmount", amount(line.netAmount), ["currencyID": currency])
            if line.periodStart != nil || line.periodEnd != nil {
                w.element("cac:InvoicePeriod") { w in
                    if let start = line.periodStart { w.element("cbc:StartDate", start.description) }
                    if let end = line.periodEnd { w.element("cbc:EndDate", end.description) }
                }
            }
            if let allowance = line.allowance {
                w.element("cac:AllowanceCharge") { w in
                    w.element("cbc:ChargeIndicator", "false")
                    w.element("cbc:AllowanceChargeReasonCode", "95")
                    w.element("cbc:AllowanceChargeReason", "Discount")
                    if let percent = allowance.percent { w.element("cbc:MultiplierFactorNumeric", percent.description) }
                    w.element("cbc:Amount", amount(allowance.amount), ["currencyID": currency])
                    if let base = allowance.base { w.element("cbc:BaseAmount", amount(base), ["currencyID": currency]) }
                }
            }
            w.element("cac:Item") { w in
                w.optional("cbc:Description", line.description)
                w.element("cbc:Name", line.name)
                w.element("cac:ClassifiedTaxCategory") { w in
                    w.element("cbc:ID", line.category.code)
                    if let rate = line.rate { w.element("cbc:Percent", rate.description) }
                    w.element("cac:TaxScheme") { $0.element("cbc:ID", "VAT") }
                }
            }
            w.element("cac:Price") { w in
                w.element("cbc:PriceAmount", line.netPrice, ["currencyID": currency])
                if let base = line.baseQuantity {
                    w.element("cbc:BaseQuantity", base.plainString, ["unitCode": line.unitCode])
                }
            }
        }
    }
}
