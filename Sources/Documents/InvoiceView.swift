import Billing
import Foundation

/// An invoice with every value already formatted for its language and currency: what both the
/// Mustache templates (through `templateValue`) and the native PDF layout show.
public struct InvoiceView: Sendable {
    public struct Line: Sendable, Hashable {
        public var position: String
        public var title: String
        public var description: String
        public var quantity: String
        public var unitPrice: String
        public var discount: String
        public var vatRate: String
        public var amount: String
    }

    public struct VATRow: Sendable, Hashable {
        public var rate: String
        public var base: String
        public var amount: String
        public var label: String
    }

    public struct PaymentRow: Sendable, Hashable {
        public var date: String
        public var method: String
        public var reference: String
        public var amount: String
        public var label: String
    }

    public let labels: DocumentLabels
    public let format: LocaleFormat
    public var heading: String
    public var number: String
    public var isDraft: Bool
    public var isCancelled: Bool
    /// A credit note (EN 16931 type 381): its own heading, no amount due, what it credits below the totals.
    public var isCreditNote: Bool
    public var subject: String
    public var issueDate: String
    public var dueDate: String
    public var currency: String
    public var customerNumber: String
    public var customerVatID: String
    /// The buyer's purchase order the invoice bills ("Your order"); empty for none.
    public var purchaseOrder: String
    public var addresseeName: String
    public var billingInfo: String
    public var senderLine: String
    public var recipientLines: [String]
    public var lines: [Line]
    public var showsDiscount: Bool
    public var isGross: Bool
    public var exemptNote: String
    public var net: String
    public var netLabel: String
    public var vatRows: [VATRow]
    public var gross: String
    public var rounding: String
    public var total: String
    public var payments: [PaymentRow]
    public var paid: String
    public var open: String
    public var isSettled: Bool
    /// The payment sentence: the amount, the due date, and the account and reference the QR-bill
    /// carries when there is one (otherwise the invoice number to quote); a draft says it is none.
    public var paymentTerms: String
    /// The account to pay to, grouped in fours: the QR-bill's (QR-)IBAN, else the seller's IBAN.
    public var paymentAccount: String
    /// The QR-bill's reference (QRR or SCOR, grouped), empty without one.
    public var paymentReference: String
    /// The seller's BIC on invoices outside CHF, else empty.
    public var bic: String
    /// `Bankverbindung: Cloudwerk AG, IBAN CH93 …, BIC …`; empty when nothing is to be paid, and when
    /// the payment sentence names the account already and there is no BIC to add.
    public var bankLine: String
    public var notes: String
    public var seller: SellerView
    /// The Swiss QR-bill, when the invoice gets one (see `QRBill`).
    public var qrBill: QRBill?

    public init(_ document: InvoiceDocument, labels documentLabels: DocumentLabels) {
        let invoice = document.invoice, customer = document.customer, seller = document.seller
        let format = LocaleFormat(language: invoice.language, currency: invoice.currency,
                                  country: customer.address.country)
        let totals = invoice.totals
        var labels = documentLabels
        if invoice.isCreditNote {
            // The header fields name the credit note, not an invoice.
            var values = labels.values
            values["invoiceNumber"] = labels["creditNoteNumber"]
            values["invoiceDate"] = labels["creditNoteDate"]
            // Its total is what it credits, not an invoice amount ("Rechnungsbetrag").
            values["total"] = labels["creditNoteTotal"]
            labels = DocumentLabels(language: labels.language, values: values)
        }
        isCreditNote = invoice.isCreditNote
        self.labels = labels
        self.format = format
        self.seller = SellerView(seller, labels: labels)
        qrBill = QRBill(document, message: "\(labels["invoice"]) \(invoice.number ?? "")")
        number = invoice.number ?? ""
        isDraft = invoice.number == nil
        isCancelled = invoice.status == .cancelled
        heading = isDraft ? labels["draft"] : labels[invoice.isCreditNote ? "creditNote" : "invoice"] + " " + number
        subject = invoice.title
        issueDate = invoice.issueDate.map(format.date) ?? ""
        dueDate = invoice.dueDate.map(format.date) ?? ""
        currency = invoice.currency.code
        customerNumber = String(customer.id)
        customerVatID = customer.vatID
        purchaseOrder = invoice.purchaseOrder
        addresseeName = document.addressee?.fullName ?? ""
        billingInfo = customer.billingInfo
        senderLine = [seller.company, PostalAddress.streetLine(street: seller.street, building: seller.building,
                                                               country: seller.country),
                      PostalAddress.townLine(postcode: seller.postcode, town: seller.town, country: seller.country)]
            .filter { !$0.isEmpty }.joined(separator: " · ")
        recipientLines = PostalAddress.recipientLines(customer: customer, addressee: document.addressee,
                                                      senderCountry: seller.country, language: invoice.language)
        lines = zip(invoice.lines.indices, zip(invoice.lines, totals.lineAmounts)).map { index, pair in
            let (line, amount) = pair
            let quantity = format.quantity(line.quantity) + (line.unit.isEmpty ? "" : " " + line.unit)
            return Line(position: String(index + 1), title: line.title, description: line.description,
                        quantity: quantity, unitPrice: format.amount(line.unitPrice),
                        discount: line.discount.isZero ? "" : format.percentage(line.discount),
                        vatRate: format.percentage(line.vatRate), amount: format.amount(amount))
        }
        showsDiscount = invoice.lines.contains { !$0.discount.isZero }
        isGross = invoice.taxMode == .gross
        if case .exempt(let note) = invoice.taxMode { exemptNote = note } else { exemptNote = "" }
        net = format.money(totals.net)
        netLabel = isGross ? labels["netExtracted"] : labels["net"]
        vatRows = exemptNote.isEmpty ? totals.vatGroups.map { group in
            VATRow(rate: format.percentage(group.rate), base: format.money(group.base), amount: format.money(group.amount),
                   label: labels.text("vatOn", ["rate": format.percentage(group.rate), "base": format.money(group.base)]))
        } : []
        gross = format.money(totals.gross)
        rounding = totals.rounding.isZero ? "" : format.money(totals.rounding)
        total = format.money(totals.payable)
        // Customer credit applied at issue (BT-113) and credit notes count like payments: they stand
        // between the total and the amount due, in every format (HTML, PDF, text, mail).
        var settled: [PaymentRow] = []
        if !invoice.prepaid.isZero {
            settled.append(PaymentRow(date: issueDate, method: "", reference: "", amount: format.money(-invoice.prepaid),
                                      label: labels["prepaid"]))
        }
        if !invoice.credited.isZero {
            settled.append(PaymentRow(date: "", method: "", reference: "", amount: format.money(-invoice.credited),
                                      label: labels["credited"]))
        }
        payments = settled + invoice.payments.map { payment in
            PaymentRow(date: format.date(payment.date), method: payment.method, reference: payment.reference,
                       amount: format.money(-payment.amount),
                       label: labels.text("paymentReceived", ["date": format.date(payment.date)])
                           + (payment.method.isEmpty ? "" : " (\(InvoiceView.method(payment.method, labels: labels)))"))
        }
        paid = format.money(invoice.paid)
        let openAmount = invoice.status == .draft ? totals.payable : invoice.open
        open = format.money(openAmount)
        isSettled = openAmount.isZero
        paymentAccount = qrBill?.formattedAccount ?? SellerView.grouped(iban: seller.iban)
        paymentReference = qrBill.map { $0.referenceType == .non ? "" : $0.formattedReference } ?? ""
        bic = invoice.currency.code == "CHF" ? "" : seller.bic
        if let preceding = invoice.preceding {
            var terms = [labels.text("creditNoteFor", ["amount": total, "number": preceding.number,
                                                       "date": preceding.issueDate.map(format.date) ?? ""])]
            if !invoice.creditReason.isEmpty { terms.append(labels.text("creditNoteReason", ["reason": invoice.creditReason])) }
            if !invoice.refunded.isZero { terms.append(labels.text("creditNoteRefunded", ["amount": format.money(invoice.refunded)])) }
            paymentTerms = terms.joined(separator: " ")
        } else if invoice.status == .cancelled {
            paymentTerms = ""
        } else if openAmount.isZero {
            // An overpayment went to the customer's credit balance (SPEC §1): say so, with the amount.
            let surplus = invoice.paid + invoice.prepaid + invoice.credited - totals.payable
            if invoice.status == .paid && !invoice.paid.isZero && surplus.minorUnits > 0 {
                paymentTerms = labels.text("overpaid", ["amount": format.money(surplus)])
            } else {
                paymentTerms = invoice.paid.isZero ? labels["nothingDue"] : labels["paidInFull"]
            }
        } else if isDraft {
            paymentTerms = labels["paymentTermsDraft"]
        } else if !paymentReference.isEmpty {
            paymentTerms = labels.text("paymentTermsReference", ["amount": format.money(openAmount), "date": dueDate,
                                                                  "account": paymentAccount, "reference": paymentReference])
        } else {
            paymentTerms = labels.text("paymentTerms", ["amount": format.money(openAmount), "date": dueDate,
                                                         "number": number])
        }
        // When the sentence already names the account (a QR-bill reference), the bank line only adds the BIC.
        if isSettled || paymentAccount.isEmpty || (!paymentReference.isEmpty && bic.isEmpty) {
            bankLine = ""
        } else {
            bankLine = "\(labels["bankAccount"]): \(seller.company), \(labels["iban"]) \(paymentAccount)"
                + (bic.isEmpty ? "" : ", \(labels["bic"]) \(bic)")
        }
        notes = invoice.notes
    }
}

extension InvoiceView {
    /// A payment method in the document's language when it is one of the common ones (`bank
    /// transfer` → "Banküberweisung", `webhook` → "Online-Zahlung"; labels `paymentMethod_<name>`,
    /// lower case, spaces and hyphens as `_`), else as the operator wrote it.
    static func method(_ method: String, labels: DocumentLabels) -> String {
        let key = "paymentMethod_" + method.lowercased().split(whereSeparator: { $0 == " " || $0 == "-" }).joined(separator: "_")
        return labels.values[key] ?? method
    }
}

/// The seller's details as the footer and header show them.
public struct SellerView: Sendable, Hashable {
    public var company: String
    public var addressLines: [String]
    public var vatID: String
    public var email: String
    public var phone: String
    public var website: String
    public var iban: String
    public var logoPath: String
    /// Where the HTML finds the logo: the file's URL, or (a logo frozen with an issued document) a
    /// `data:` URL of its bytes, so the page shows the logo of its issue date; empty: no logo.
    public var logoURL: String
    /// Footer columns: address, contact, bank and VAT id (empty entries dropped).
    public var footerColumns: [[String]]

    init(_ seller: Operator, labels: DocumentLabels) {
        company = seller.company
        addressLines = [PostalAddress.streetLine(street: seller.street, building: seller.building, country: seller.country),
                        PostalAddress.townLine(postcode: seller.postcode, town: seller.town, country: seller.country)]
            .filter { !$0.isEmpty }
        vatID = seller.vatID
        email = seller.email
        phone = seller.phone
        website = seller.website
        iban = SellerView.grouped(iban: seller.iban)
        logoPath = seller.logoPath
        if let frozen = seller.frozenLogo {
            let type = LogoFile.header(frozen.data)?.0 == .jpeg ? "image/jpeg" : "image/png"
            logoURL = "data:\(type);base64," + Data(frozen.data).base64EncodedString()
        } else {
            logoURL = seller.logoPath.isEmpty ? "" : URL(fileURLWithPath: seller.logoPath).absoluteString
        }
        let contact = [phone.isEmpty ? "" : "\(labels["phone"]) \(phone)", email, website].filter { !$0.isEmpty }
        let bank = [iban.isEmpty ? "" : "\(labels["iban"]) \(iban)", vatID.isEmpty ? "" : "\(labels["vatID"]) \(vatID)"]
            .filter { !$0.isEmpty }
        footerColumns = [[company] + addressLines, contact, bank].filter { !$0.isEmpty && $0 != [""] }
    }

    /// `CH93 0076 2011 6238 5295 7`: IBANs are printed in groups of four.
    static func grouped(iban: String) -> String {
        var out = ""
        for (index, character) in iban.enumerated() {
            if index > 0 && index % 4 == 0 { out += " " }
            out.append(character)
        }
        return out
    }
}
