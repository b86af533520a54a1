import Billing
import Foundation
import Mustache

extension DocumentRenderer {
    /// Renders `email/<kind>.subject`, `.txt` and `.html`. The subject is folded to one line
    /// (line breaks in templates or data can never reach a mail header).
    public func email(_ context: InvoiceEmailContext) throws -> RenderedEmail {
        let document = context.document
        let view = view(document)
        let labels = view.labels, format = view.format
        let open = context.openAmount ?? document.invoice.open
        let due = (context.dueDate ?? document.invoice.dueDate).map(format.date) ?? ""
        let payment = context.payment ?? document.invoice.payments.last
        let arguments = ["number": view.isDraft ? labels["draft"] : view.number, "seller": document.seller.company,
                         "amount": format.money(open), "date": due]
        var mail: [String: TemplateValue] = [
            "greeting": .string(document.addressee.map { labels.text("greeting", ["name": $0.fullName]) }
                                ?? labels["greetingGeneric"]),
            "regards": .string(labels["regards"]),
            "open": .string(format.money(open)),
            "dueDate": .string(due),
        ]
        switch context.kind {
        case .invoice:
            // With customer credit applied or credit notes, the mail names what is still to pay.
            let invoice = document.invoice
            let amount = invoice.prepaid.isZero && invoice.credited.isZero ? view.total : format.money(open)
            mail["subject"] = .string(labels.text("mailInvoiceSubject", arguments))
            mail["body"] = .string(labels.text("mailInvoiceBody", arguments.merging(["amount": amount]) { $1 }))
        case .creditNote:
            let credited = document.invoice.preceding?.number ?? ""
            mail["subject"] = .string(labels.text("mailCreditNoteSubject", arguments))
            mail["body"] = .string(labels.text("mailCreditNoteBody", arguments.merging(["amount": view.total, "invoice": credited]) { $1 }))
        case .reminder(let level):
            guard (1...3).contains(level) else { throw DocumentError("reminder level \(level) must be 1, 2 or 3") }
            mail["level"] = .number(String(level))
            mail["isFinal"] = .bool(level == 3)
            var reminder = arguments
            // A reminder fee is stated beside the invoice's open amount, with the sum to pay; the body names the sum.
            if let fee = context.reminderFee, fee.minorUnits > 0 {
                guard fee.currency == open.currency else {
                    throw DocumentError("the reminder fee is in \(fee.currency.code), the invoice in \(open.currency.code)")
                }
                let toPay = format.money(context.amountToPay ?? open + fee)
                mail["fee"] = .string(format.money(fee))
                if let number = context.reminderFeeInvoice { mail["feeInvoice"] = .string(number) }
                mail["amountToPay"] = .string(toPay)
                reminder["amount"] = toPay
            }
            mail["subject"] = .string(labels.text("mailReminder\(level)Subject", reminder))
            // A partly paid invoice: the body names what was received and what is open, never
            // "we have not yet received payment".
            let received = document.invoice.paid
            if received.minorUnits > 0 {
                reminder["paid"] = format.money(received)
                reminder["open"] = format.money(open)
                mail["body"] = .string(labels.text("mailReminder\(level)BodyPartial", reminder))
            } else {
                mail["body"] = .string(labels.text("mailReminder\(level)Body", reminder))
            }
        case .receipt:
            let received = payment.map { format.money($0.amount) } ?? view.paid
            mail["subject"] = .string(labels.text("mailReceiptSubject", arguments))
            mail["body"] = .string(labels.text("mailReceiptBody", arguments.merging(["amount": received]) { $1 }))
            mail["status"] = .string(open.isZero ? labels["mailReceiptPaid"]
                                     : labels.text("mailReceiptOpen", ["amount": format.money(open)]))
            // What the payment activated: "Business Tarif: aktiv vom 28.11.2026 bis 27.12.2026."
            mail["activated"] = .array(context.activated.map { period in
                let product = labels.text(period.kind == .plan ? "bookingPlan" : "bookingModule", ["product": period.productName])
                guard let end = period.end else {
                    return .object(["text": .string(labels.text("mailReceiptActivatedOpen", ["product": product, "start": format.date(period.start)]))])
                }
                return .object(["text": .string(labels.text("mailReceiptActivated", [
                    "product": product, "start": format.date(period.start), "end": format.date(end)]))])
            })
        }
        guard case .object(var data) = view.templateValue else { throw DocumentError("invoice view is not an object") }
        data["mail"] = .object(mail)
        let value = TemplateValue.object(data)
        let base = "email/" + context.kind.templateName
        let subject = try library.render(base + ".subject", value)
            .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        return RenderedEmail(subject: subject, text: try library.render(base + ".txt", value),
                             html: try library.render(base + ".html", value))
    }
}
