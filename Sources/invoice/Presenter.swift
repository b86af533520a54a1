import Billing
import Store
import Workflows

/// How domain values look on the command line as text (the JSON objects are `Presenter`'s in Workflows).
extension Presenter {
    static func customerText(_ c: Customer, users: [User], credit: Money) -> String {
        var lines = ["Customer \(c.id): \(c.company)\(c.isActive ? "" : " (inactive)")"]
        if !c.contact.isEmpty { lines.append("  Contact:  \(c.contact)") }
        let street = [c.address.street, c.address.building].filter { !$0.isEmpty }.joined(separator: " ")
        let town = [c.address.postcode, c.address.town].filter { !$0.isEmpty }.joined(separator: " ")
        lines.append("  Address:  \([street, town, c.address.country.code].filter { !$0.isEmpty }.joined(separator: ", "))")
        lines.append("  Email:    \(c.email)")
        if !c.vatID.isEmpty { lines.append("  VAT id:   \(c.vatID)") }
        lines.append("  Billing:  \(c.currency.code), language \(c.language.rawValue)")
        if !c.billingInfo.isEmpty { lines.append("  Info:     \(c.billingInfo.replacingNewlines)") }
        lines.append("  Credit:   \(credit.description)")
        lines.append("  Users:    \(users.isEmpty ? "none" : "")")
        for u in users { lines.append("    \(u.id)  \(u.fullName) <\(u.email)>") }
        return lines.joined(separator: "\n")
    }

    static func invoiceText(_ i: Invoice, customer: Customer, today: Day, mail: String? = nil) -> String {
        let t = i.totals
        var out: [String] = []
        let kindName = i.isCreditNote ? "Credit note" : "Invoice"
        let name = i.number.map { "\(kindName) \($0)" } ?? "Draft invoice (id \(i.id))"
        out.append("\(name) — \(i.displayStatus(on: today))")
        out.append("  Customer: \(customer.company) (id \(customer.id))")
        if !i.title.isEmpty { out.append("  Title:    \(i.title)") }
        if let preceding = i.preceding { out.append("  Credits:  invoice \(preceding.number)\(i.creditReason.isEmpty ? "" : " — \(i.creditReason)")") }
        if let issue = i.issueDate, let due = i.dueDate { out.append("  Issued:   \(issue), due \(due)") }
        if let mail { out.append("  Mail:     \(i.sentAt.map { "sent \($0) (accepted by the mail server)" } ?? mail.replacingOccurrences(of: "_", with: " "))") }
        out.append("  Currency: \(i.currency.code), \(i.taxMode.name) prices, language \(i.language.rawValue)")
        out.append("")
        out.append("  POS  TITLE                              QTY        UNIT PRICE   DISC   VAT      AMOUNT")
        for (index, (line, amount)) in zip(i.lines, t.lineAmounts).enumerated() {
            let qty = line.quantity.description + (line.unit.isEmpty ? "" : " \(line.unit)")
            out.append("  \(String(index + 1).padding(5))\(line.title.truncated(34).padding(35))\(qty.padding(11))\(line.unitPrice.decimalString.leftPadded(10))  \((line.discount.isZero ? "" : line.discount.description + "%").leftPadded(5))  \((line.vatRate.description + "%").leftPadded(5))  \(amount.decimalString.leftPadded(10))")
        }
        out.append("")
        let label = 66
        func total(_ text: String, _ money: Money) { out.append("  \(text.padding(label))\(money.decimalString.leftPadded(12))") }
        total(i.taxMode.name == "gross" ? "Net (extracted)" : "Net", t.net)
        for group in t.vatGroups {
            total("VAT \(group.rate)% on \(group.base.decimalString)", group.amount)
        }
        if case .exempt(let note) = i.taxMode { out.append("  \(note)") }
        total("Gross", t.gross)
        if !t.rounding.isZero { total("Rounding", t.rounding) }
        total("Total \(i.currency.code)", t.payable)
        if !i.prepaid.isZero { total("Already paid (credit applied)", -i.prepaid) }
        if !i.credited.isZero { total("Credited (credit notes)", -i.credited) }
        if !i.refunded.isZero { total("Refunded to the customer", i.refunded) }
        for p in i.payments { total("Paid \(p.date)\(p.method.isEmpty ? "" : " (\(p.method))")", -p.amount) }
        if i.status.isIssued && !i.isCreditNote { total("Open", i.open) }
        if !i.notes.isEmpty { out.append(""); out.append("  \(i.notes.replacingNewlines)") }
        return out.joined(separator: "\n")
    }
}

extension String {
    var replacingNewlines: String { split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " / ") }
}
