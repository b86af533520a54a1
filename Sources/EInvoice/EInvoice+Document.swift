import Billing
import Documents

extension EInvoice {
    /// The EN 16931 data of an issued invoice or credit note, as its printed document shows it.
    ///
    /// All from the stored document: a credit note is type 381 with positive amounts (EN 16931 states
    /// a credit note's amounts as positive; the type code gives them their direction), its preceding
    /// invoice (BG-3) and its reason as a note; it is settled against that invoice or the customer's
    /// credit balance, so its payment means is 97 (clearing between partners) without an account.
    /// Customer credit applied when an invoice was issued is its prepaid amount (BT-113), and the
    /// amount due (BT-115) is the total less it.
    ///
    /// Net invoices: each line's price is its unit price, a discount is a line allowance with its
    /// percentage. Gross invoices: EN 16931 wants net line amounts, so each rate's extracted net base is
    /// spread over its lines (largest lines absorb the rounding units) and a line's price is its net
    /// amount for its whole quantity (BT-149), exact. A negative price (a credit line) becomes a negative
    /// quantity at a positive price (BR-27). Refuses drafts, and what EN 16931 cannot carry.
    ///
    /// `specification` nil: chosen by the buyer (`EInvoice.specification(for:)`); an XRechnung is refused
    /// unless it has everything KoSIT's rules want of the parties (`xRechnungProblems`).
    public init(_ document: InvoiceDocument, specification wanted: Specification? = nil) throws {
        let invoice = document.invoice, customer = document.customer, seller = document.seller
        guard let number = invoice.number, !number.isEmpty, let issueDate = invoice.issueDate else {
            throw EInvoiceError("draft \(invoice.id) has no number yet; issue it first (invoice issue \(invoice.id))")
        }
        guard let sellerCountry = seller.country else {
            throw EInvoiceError("the operator's country is not set (invoice settings set country CC); EN 16931 needs it (BR-9)")
        }
        guard !seller.company.isEmpty else {
            throw EInvoiceError("the operator's company name is not set (invoice settings set company NAME); EN 16931 needs it (BR-6)")
        }
        let currency = invoice.currency
        let category = invoice.effectiveVATCategory
        if let problem = invoice.vatCategoryProblem(seller: seller, buyer: customer) { throw EInvoiceError(problem) }
        if category != .outsideScope && seller.vatID.isEmpty {
            throw EInvoiceError("tax category \(category.code) needs the operator's VAT id (BR-\(category.code)-02); set it with invoice settings set vat_id …")
        }
        let totals = invoice.totals

        let credit = invoice.isCreditNote
        if credit && invoice.preceding == nil {
            throw EInvoiceError("credit note \(number) names no invoice it credits; EN 16931 wants the preceding invoice (BT-25)")
        }
        type = credit ? .creditNote : .invoice
        self.number = number
        self.issueDate = issueDate
        dueDate = invoice.dueDate
        self.currency = currency
        buyerReference = customer.buyerReference
        purchaseOrder = invoice.purchaseOrder
        let specification = try wanted ?? EInvoice.specification(for: customer)
        self.specification = specification
        if specification == .xRechnung {
            let missing = EInvoice.xRechnungProblems(seller: seller, customer: customer, isCreditNote: invoice.isCreditNote)
            if !missing.isEmpty {
                throw EInvoiceError("\(number) cannot be an XRechnung: it needs \(missing.joined(separator: ", "))")
            }
        }
        notes = [invoice.title, invoice.notes, credit ? invoice.creditReason : ""].filter { !$0.isEmpty }
        precedingInvoice = invoice.preceding.map { PrecedingInvoice(number: $0.number, issueDate: $0.issueDate) }
        paymentTerms = credit ? EInvoice.creditTerms(invoice.language, invoice: invoice.preceding?.number ?? "",
                                                      refunded: invoice.refunded) : ""
        deliveryDate = issueDate
        deliverToCountry = category == .intraCommunity ? customer.address.country.code : ""

        // Parties. Category O forbids VAT ids on the document (BR-O-02); the seller is then identified by BT-29.
        let showsVATIDs = category != .outsideScope
        let sellerContact = Contact(name: seller.company, phone: seller.phone, email: seller.email)
        self.seller = Party(
            name: seller.company, identifier: showsVATIDs ? "" : seller.vatID, vatID: showsVATIDs ? seller.vatID : "",
            address: Address(line: EInvoice.streetLine(seller.street, seller.building), town: seller.town,
                              postcode: seller.postcode, country: sellerCountry.code),
            electronicAddress: EInvoice.electronicAddress(seller),
            contact: seller.email.isEmpty && seller.phone.isEmpty ? nil : sellerContact)
        let buyerName = customer.company.isEmpty ? customer.contact : customer.company
        let contactName = document.addressee?.fullName ?? customer.contact
        // BT-46: the customer number the printed invoice shows.
        buyer = Party(
            name: buyerName, identifier: String(customer.id), vatID: showsVATIDs ? customer.vatID : "",
            address: Address(line: EInvoice.streetLine(customer.address.street, customer.address.building),
                             town: customer.address.town, postcode: customer.address.postcode,
                             country: customer.address.country.code),
            electronicAddress: try EInvoice.electronicAddress(customer),
            contact: contactName.isEmpty ? nil : Contact(name: contactName, phone: "", email: document.addressee?.email ?? ""))

        // Lines and the VAT breakdown, per rate group as InvoiceTotals computed them.
        let lineNets = EInvoice.lineNetAmounts(invoice, totals: totals)
        var lines: [Line] = []
        for (index, line) in invoice.lines.enumerated() {
            let net = lineNets[index]
            let lineCategory = invoice.vatCategory(forRate: line.vatRate)
            let negative = line.unitPrice.minorUnits < 0 || (invoice.taxMode == .gross && net.minorUnits < 0)
            let quantity = negative ? DecimalNumber(significand: -line.quantity.significand, scale: line.quantity.scale)
                                    : line.quantity
            var price: String
            var base: DecimalNumber? = nil
            var allowance: Allowance? = nil
            if invoice.taxMode == .gross {
                if line.quantity.isZero {
                    price = Money.zero(currency).decimalString
                } else {
                    price = Money(minorUnits: Int64(net.minorUnits.magnitude), currency: currency).decimalString
                    base = line.quantity
                }
            } else {
                price = Money(minorUnits: Int64(line.unitPrice.minorUnits.magnitude), currency: currency).decimalString
                let undiscounted = InvoiceLine(title: line.title, quantity: line.quantity, unitPrice: line.unitPrice,
                                               vatRate: line.vatRate).amount
                // Quantity × price must give the line's amount within 0.01 (Peppol allows 0.02, PEPPOL-EN16931-R120);
                // where the currency's rounding makes it differ more (JPY), the price is the line's amount for
                // its whole quantity (BT-149), exact.
                let unit = EInvoice.power10(currency.exponent)
                let difference = Int128(line.quantity.significand) * Int128(line.unitPrice.minorUnits)
                    - Int128(undiscounted.minorUnits) * EInvoice.power10(line.quantity.scale)
                let close = difference.magnitude * 100 <= (unit * EInvoice.power10(line.quantity.scale)).magnitude
                if !close && !line.quantity.isZero {
                    price = Money(minorUnits: Int64(undiscounted.minorUnits.magnitude), currency: currency).decimalString
                    base = DecimalNumber(significand: Int64(line.quantity.significand.magnitude), scale: line.quantity.scale)
                }
                if !line.discount.isZero {
                    // Percentage and base only where base × percentage gives the amount within 0.01
                    // (PEPPOL-EN16931-R040 allows 0.02; R042 wants both or neither).
                    let amount = undiscounted - net
                    let share = Int128(amount.minorUnits) * 10_000 - Int128(undiscounted.minorUnits) * line.discount.basisPoints
                    let fits = share.magnitude * 100 <= (unit * 10_000).magnitude
                    allowance = Allowance(percent: fits ? line.discount : nil, base: fits ? undiscounted : nil, amount: amount)
                }
            }
            if price.hasPrefix("-") { price.removeFirst() }
            lines.append(Line(id: String(index + 1), name: line.title, description: line.description, quantity: quantity,
                              unitCode: EInvoice.unitCode(line.unit), netPrice: price, baseQuantity: base,
                              allowance: allowance, netAmount: net, category: lineCategory,
                              rate: lineCategory == .outsideScope ? nil : (lineCategory.chargesByRate ? line.vatRate : .zero)))
        }
        self.lines = lines

        let reason: String
        if case .exempt(let note) = invoice.taxMode { reason = note } else { reason = "" }
        vatBreakdown = totals.vatGroups.map { group in
            let groupCategory = invoice.vatCategory(forRate: group.rate)
            // Category O: no rate on the lines (BR-O-05), but 0 in the breakdown (XRechnung BR-DE-14).
            return VATBreakdown(category: groupCategory,
                                rate: groupCategory.chargesByRate ? group.rate : .zero,
                                taxable: group.base, tax: group.amount,
                                exemptionReason: groupCategory.chargesByRate ? "" : reason,
                                exemptionReasonCode: groupCategory.chargesByRate ? "" : (groupCategory.exemptionReasonCode ?? ""))
        }
        if vatBreakdown.isEmpty {
            // An invoice without lines still states its category (BR-CO-18: at least one VAT breakdown).
            vatBreakdown = [VATBreakdown(category: invoice.vatCategory(forRate: .zero),
                                         rate: .zero,
                                         taxable: .zero(currency), tax: .zero(currency),
                                         exemptionReason: category.chargesByRate ? "" : reason,
                                         exemptionReasonCode: category.chargesByRate ? "" : (category.exemptionReasonCode ?? ""))]
        }

        // A credit note has no prepaid amount (customer credit is applied to invoices only).
        let prepaid = credit ? .zero(currency) : invoice.prepaid
        self.totals = Totals(lineNet: totals.net, taxExclusive: totals.net, tax: totals.vat, taxInclusive: totals.gross,
                             prepaid: prepaid, rounding: totals.rounding, payable: totals.payable - prepaid)

        // A QR-IBAN only works inside a Swiss QR-bill payment; a SEPA transfer (EUR) needs the ordinary IBAN.
        // (the QR-bill uses the same account: `QRBill.account(seller:currency:)`).
        let account = QRBill.account(seller: seller, currency: currency).filter { $0 != " " }
        if credit {
            payment = Payment(meansCode: "97", remittance: "", iban: "")
        } else if account.isEmpty {
            payment = nil
        } else {
            payment = Payment(meansCode: currency.code == "EUR" && !QRBill.isQRIBAN(account) ? "58" : "30",
                              remittance: EInvoice.remittance(number: number, account: account, currency: currency),
                              iban: account)
        }
        try checkDecimals()
    }

    /// Which rules the buyer's e-invoices follow, by their country and wish (not by the mere presence of a
    /// buyer reference): XRechnung when they asked for XRechnung, or when a German buyer gave a buyer
    /// reference (the Leitweg-ID of a public buyer, KoSIT's CIUS) and did not ask for Factur-X; EN 16931
    /// otherwise, which UBL writes as Peppol BIS Billing 3. XRechnung without a buyer reference is refused
    /// (BR-DE-15), never quietly sent as something else.
    public static func specification(for customer: Customer) throws -> Specification {
        if customer.eInvoice == .xRechnungCII {
            guard !customer.buyerReference.isEmpty else {
                throw EInvoiceError("the customer asks for XRechnung (--einvoice xrechnung-cii) but gave no buyer reference; XRechnung needs one (BT-10, BR-DE-15): invoice customer edit \(customer.id) --buyer-reference REF (for public buyers the Leitweg-ID)")
            }
            return .xRechnung
        }
        if customer.address.country.code == "DE" && !customer.buyerReference.isEmpty && customer.eInvoice != .facturX {
            return .xRechnung
        }
        return .en16931
    }

    /// What an XRechnung for this seller and buyer lacks, as business terms and where to set them (KoSIT's
    /// BR-DE-1…9, BR-DE-15, BR-DE-27): empty when nothing is missing.
    public static func xRechnungProblems(seller: Operator, customer: Customer, isCreditNote: Bool) -> [String] {
        var missing: [String] = []
        if seller.town.isEmpty { missing.append("the seller city (BT-37, BR-DE-3): invoice settings set town …") }
        if seller.postcode.isEmpty { missing.append("the seller post code (BT-38, BR-DE-4): invoice settings set postcode …") }
        if seller.phone.filter(\.isNumber).count < 3 {
            missing.append("the seller contact telephone (BT-42, BR-DE-6/BR-DE-27, at least 3 digits): invoice settings set phone …")
        }
        if seller.email.isEmpty { missing.append("the seller contact email (BT-43, BR-DE-7): invoice settings set email …") }
        if !isCreditNote && seller.iban.isEmpty && seller.qrIBAN.isEmpty {
            missing.append("payment instructions (BG-16, BR-DE-1): invoice settings set iban …")
        }
        if customer.buyerReference.isEmpty {
            missing.append("the buyer reference (BT-10, BR-DE-15): invoice customer edit \(customer.id) --buyer-reference …")
        }
        if customer.address.town.isEmpty { missing.append("the buyer city (BT-52, BR-DE-8): invoice customer edit \(customer.id) --town …") }
        if customer.address.postcode.isEmpty {
            missing.append("the buyer post code (BT-53, BR-DE-9): invoice customer edit \(customer.id) --postcode …")
        }
        return missing
    }

    /// BT-20 of a credit note, in the document's language: what it is settled against, and what of it
    /// was paid back to the customer (`refunded`), as the printed credit note says.
    static func creditTerms(_ language: Language, invoice: String, refunded: Money) -> String {
        let back = refunded.isZero ? "" : EInvoice.amountText(refunded) + " " + refunded.currency.code
        switch language {
        case .en:
            return "Settled against invoice \(invoice) or the customer's credit balance"
                + (back.isEmpty ? "." : "; \(back) paid back to the customer.")
        case .de:
            return "Verrechnet mit Rechnung \(invoice) oder dem Guthaben des Kunden"
                + (back.isEmpty ? "." : "; \(back) an den Kunden zurückgezahlt.")
        case .fr:
            return "Imputée sur la facture \(invoice) ou le solde créditeur du client"
                + (back.isEmpty ? "." : " ; \(back) remboursés au client.")
        case .it:
            return "Compensata con la fattura \(invoice) o il credito del cliente"
                + (back.isEmpty ? "." : "; \(back) rimborsati al cliente.")
        }
    }

    /// BT-83: what the printed document asks the payer to quote. With a Swiss QR-bill (CHF/EUR to a CH/LI
    /// account) the QR reference (QR-IBAN) or the creditor reference; otherwise the invoice number.
    static func remittance(number: String, account: String, currency: Currency) -> String {
        guard ["CHF", "EUR"].contains(currency.code), account.hasPrefix("CH") || account.hasPrefix("LI"), account.count == 21
        else { return number }
        if QRBill.isQRIBAN(account) { return QRBillReference.qrReference(from: number) ?? number }
        return QRBillReference.creditorReference(from: number) ?? number
    }

    /// Line net amounts (BT-131) that add up to each rate's net base. Net invoices: the line amounts.
    /// Gross invoices: each line's VAT-extracted share of its rate's base, the rounding units going to
    /// the largest lines first, so Σ lines = BT-106 and each group's taxable amount = Σ its lines (BR-S-08).
    static func lineNetAmounts(_ invoice: Invoice, totals: InvoiceTotals) -> [Money] {
        let amounts = totals.lineAmounts
        guard invoice.taxMode == .gross else { return amounts }
        var nets = amounts.map(\.minorUnits)
        for group in totals.vatGroups {
            let members = invoice.lines.indices.filter { invoice.lines[$0].vatRate == group.rate }
            let bp = group.rate.basisPoints
            for index in members {
                nets[index] = Int64(divideRoundingHalfUp(Int128(amounts[index].minorUnits) * 10_000, 10_000 + bp))
            }
            var difference = group.base.minorUnits - members.reduce(0) { $0 + nets[$1] }
            let order = members.sorted { amounts[$0].minorUnits.magnitude > amounts[$1].minorUnits.magnitude }
            var cursor = 0
            while difference != 0 && !order.isEmpty {
                let step: Int64 = difference > 0 ? 1 : -1
                nets[order[cursor % order.count]] += step
                difference -= step
                cursor += 1
            }
        }
        return nets.map { Money(minorUnits: $0, currency: invoice.currency) }
    }

    /// UN/ECE Recommendation 20 unit codes for the units invoices here use; `C62` (one) otherwise.
    static func unitCode(_ unit: String) -> String {
        let key = unit.lowercased().filter { $0.isLetter }
        switch key {
        case "h", "hr", "hrs", "hour", "hours", "std", "stunde", "stunden", "heure", "heures", "ora", "ore": return "HUR"
        case "day", "days", "tag", "tage", "jour", "jours", "giorno", "giorni", "d": return "DAY"
        case "month", "months", "monat", "monate", "mois", "mese", "mesi", "mo": return "MON"
        case "year", "years", "jahr", "jahre", "an", "ans", "anno", "anni", "année", "années", "yr": return "ANN"
        case "week", "weeks", "woche", "wochen", "semaine", "semaines", "settimana", "settimane": return "WEE"
        case "min", "minute", "minutes", "minuten", "minuti": return "MIN"
        case "kg": return "KGM"
        case "km": return "KMT"
        default: return "C62"
        }
    }

    static func power10(_ exponent: Int) -> Int128 { (0..<exponent).reduce(1) { value, _ in value * 10 } }

    static func streetLine(_ street: String, _ building: String) -> String {
        [street, building].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// BT-49: the customer's electronic address (`SCHEME:ID`, such as `0204:991-12345-73`), else the
    /// address EAS gives its VAT id (`vatScheme`), else their email as `EM`.
    static func electronicAddress(_ customer: Customer) throws -> ElectronicAddress? {
        let text = customer.electronicAddress
        if text.isEmpty {
            if let derived = vatAddress(customer.vatID, country: customer.address.country.code) { return derived }
            return customer.email.isEmpty ? nil : ElectronicAddress(scheme: "EM", value: customer.email)
        }
        return parsedAddress(text)
    }

    /// BT-34: the operator's `electronic_address` setting, else the address EAS gives its VAT id, else its email.
    static func electronicAddress(_ seller: Operator) -> ElectronicAddress? {
        if !seller.electronicAddress.isEmpty { return parsedAddress(seller.electronicAddress) }
        if let country = seller.country, let derived = vatAddress(seller.vatID, country: country.code) { return derived }
        return seller.email.isEmpty ? nil : ElectronicAddress(scheme: "EM", value: seller.email)
    }

    static func parsedAddress(_ text: String) -> ElectronicAddress {
        guard let colon = text.firstIndex(of: ":") else { return ElectronicAddress(scheme: "EM", value: text) }
        return ElectronicAddress(scheme: String(text[..<colon]), value: String(text[text.index(after: colon)...]))
    }

    /// EAS schemes for VAT ids (Peppol's code list): a VAT id is a routable Peppol address in these countries.
    static let vatSchemes: [String: String] = [
        "DE": "9930", "FR": "9957", "AT": "9914", "IT": "0211", "BE": "9925", "NL": "9944", "ES": "9920", "LU": "9938",
        "CH": "0183",
    ]

    /// `9930:DE811907980` for a German VAT id (spaces and dots removed); nil where EAS has no VAT scheme.
    static func vatAddress(_ vatID: String, country: String) -> ElectronicAddress? {
        var compact = vatID.filter { $0.isLetter || $0.isNumber }.uppercased()
        if country == "CH" {
            // The Swiss UID (CHE-109.322.551 MWST → CHE109322551), EAS 0183.
            let digits = compact.dropFirst(3).prefix { $0.isNumber }
            guard compact.hasPrefix("CHE"), digits.count == 9 else { return nil }
            compact = "CHE" + digits
        }
        guard let scheme = vatSchemes[country], compact.hasPrefix(country == "GR" ? "EL" : country), compact.count > 4
        else { return nil }
        return ElectronicAddress(scheme: scheme, value: compact)
    }

    /// EN 16931 allows at most two decimals in every amount (BR-DEC-*): a KWD invoice whose amounts use
    /// the third decimal cannot be an e-invoice.
    private func checkDecimals() throws {
        var amounts: [(String, Money)] = [
            ("net total", totals.lineNet), ("VAT", totals.tax), ("total", totals.taxInclusive),
            ("prepaid amount", totals.prepaid), ("rounding", totals.rounding), ("amount due", totals.payable),
        ]
        for line in lines {
            amounts.append(("line \(line.id)", line.netAmount))
            if let allowance = line.allowance {
                amounts.append(("line \(line.id) discount", allowance.amount))
                if let base = allowance.base { amounts.append(("line \(line.id) before discount", base)) }
            }
        }
        for group in vatBreakdown {
            amounts.append(("VAT base at \(group.rate?.description ?? "-") %", group.taxable))
            amounts.append(("VAT at \(group.rate?.description ?? "-") %", group.tax))
        }
        if let (what, money) = amounts.first(where: { !EInvoice.fitsTwoDecimals($0.1) }) {
            throw EInvoiceError("\(number): the \(what) \(money) needs \(money.currency.exponent) decimals; EN 16931 allows at most 2 in amounts (BR-DEC), so this invoice cannot be an e-invoice")
        }
    }
}
