import Billing
import Store

/// How domain values look on the command line: JSON objects of the scripting contract and text.
enum Presenter {
    static func money(_ m: Money) -> JSON { .string(m.decimalString) }

    static func customer(_ c: Customer, users: [User]? = nil, credit: Money? = nil) -> JSON {
        var pairs: [(String, JSON)] = [
            ("id", .int(c.id)), ("company", .string(c.company)), ("contact", .string(c.contact)),
            ("street", .string(c.address.street)), ("building", .string(c.address.building)),
            ("postcode", .string(c.address.postcode)), ("town", .string(c.address.town)),
            ("country", .string(c.address.country.code)), ("email", .string(c.email)), ("vat_id", .string(c.vatID)),
            ("currency", .string(c.currency.code)), ("language", .string(c.language.rawValue)),
            ("billing_info", .string(c.billingInfo)), ("active", .bool(c.isActive)),
        ] + EInvoiceOptions.customerJSON(c)
        if let credit { pairs.append(("credit_balance", money(credit))) }
        if let users { pairs.append(("users", .array(users.map(user)))) }
        return .object(pairs)
    }

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

    static func userPairs(_ u: User) -> [(String, JSON)] {
        [("id", .int(u.id)), ("customer", .int(u.customerID)), ("salutation", .string(u.salutation)),
         ("first_name", .string(u.firstName)), ("surname", .string(u.surname)), ("email", .string(u.email))]
    }

    static func user(_ u: User) -> JSON { .object(userPairs(u)) }

    static func product(_ p: Product) -> JSON {
        .object([
            ("id", .int(p.id)), ("kind", .string(p.kind.rawValue)), ("name", .string(p.name)),
            ("description", .string(p.description)), ("trial_days", .int(Int64(p.trialDays))), ("free", .bool(p.isFree)),
            ("active", .bool(p.isActive)),
            ("prices", .array(p.prices.map { price in
                .object([("currency", .string(price.currency.code)),
                         ("monthly", price.monthly.map(money) ?? .null), ("yearly", price.yearly.map(money) ?? .null),
                         ("onetime", price.onetime.map(money) ?? .null), ("vat_rate", .string(price.vatRate.description)),
                         ("gross", .bool(price.isGross))])
            })),
        ])
    }

    static func vatGroups(_ groups: [VATGroup]) -> JSON {
        .array(groups.map { .object([("rate", .string($0.rate.description)), ("base", money($0.base)), ("amount", money($0.amount))]) })
    }

    /// The invoice object of the scripting contract (`show --json`; `list --json` without lines).
    /// `mail`: where the document's own mail is (`MailCommands.mailStatus`), shown by `show`.
    static func invoice(_ i: Invoice, customer: Customer, today: Day, mail: String? = nil) -> JSON {
        let totals = i.totals
        var pairs = header(id: i.id, number: i.number, status: i.displayStatus(on: today), storedStatus: i.status,
                           customerID: i.customerID, customerName: customer.company, title: i.title,
                           currency: i.currency, language: i.language, taxMode: i.taxMode.name,
                           issueDate: i.issueDate, dueDate: i.dueDate)
        if case .exempt(let note) = i.taxMode { pairs.append(("exempt_note", .string(note))) }
        pairs.append(("user", i.userID.map { .int($0) } ?? .null))
        pairs.append(("lines", .array(zip(i.lines, totals.lineAmounts).enumerated().map { index, pair in
            let (line, amount) = pair
            return .object([("position", .int(Int64(index + 1))), ("title", .string(line.title)),
                            ("description", .string(line.description)), ("quantity", .string(line.quantity.description)),
                            ("unit", .string(line.unit)), ("unit_price", money(line.unitPrice)),
                            ("discount", .string(line.discount.description)), ("vat_rate", .string(line.vatRate.description)),
                            ("amount", money(amount))])
        })))
        pairs += amounts(net: totals.net, groups: totals.vatGroups, vat: totals.vat, gross: totals.gross,
                         rounding: totals.rounding, total: totals.payable, paid: i.paid, open: i.open)
        pairs += money(kind: i.kind, prepaid: i.prepaid, credited: i.credited, preceding: i.preceding?.number, refunded: i.refunded)
        if i.isCreditNote { pairs.append(("reason", .string(i.creditReason))) }
        pairs.append(("payments", .array(i.payments.map {
            .object([("amount", money($0.amount)), ("date", .string($0.date.description)), ("method", .string($0.method)),
                     ("reference", .string($0.reference))])
        })))
        pairs.append(("notes", .string(i.notes)))
        pairs.append(("sent", .optional(i.sentAt?.description)))
        if let mail { pairs.append(("mail", .string(mail))) }
        return .object(pairs)
    }

    static func invoice(_ s: InvoiceSummary, today: Day) -> JSON {
        .object(header(id: s.id, number: s.number, status: s.displayStatus(on: today), storedStatus: s.status,
                       customerID: s.customerID, customerName: s.customerName, title: s.title, currency: s.currency,
                       language: s.language, taxMode: s.taxMode, issueDate: s.issueDate, dueDate: s.dueDate)
                + amounts(net: s.net, groups: s.vatGroups, vat: s.vat, gross: s.gross, rounding: s.rounding,
                          total: s.total, paid: s.paid, open: s.open)
                + money(kind: s.kind, prepaid: s.prepaid, credited: s.credited, preceding: s.precedingNumber, refunded: s.refunded))
    }

    /// `type` (`invoice`/`credit_note`), `prepaid` (customer credit applied, BT-113), `credited` (its credit
    /// notes); a credit note also names its `invoice` and what of it was `refunded`.
    private static func money(kind: DocumentKind, prepaid: Money, credited: Money, preceding: String?, refunded: Money) -> [(String, JSON)] {
        var pairs: [(String, JSON)] = [("type", .string(kind.rawValue)), ("prepaid", money(prepaid)), ("credited", money(credited))]
        if kind == .creditNote {
            pairs.append(("invoice", .optional(preceding)))
            pairs.append(("refunded", money(refunded)))
        }
        return pairs
    }

    private static func header(id: Int64, number: String?, status: String, storedStatus: InvoiceStatus, customerID: Int64,
                               customerName: String, title: String, currency: Currency, language: Language,
                               taxMode: String, issueDate: Day?, dueDate: Day?) -> [(String, JSON)] {
        [("id", .int(id)), ("number", .optional(number)), ("status", .string(status)),
         ("customer", .int(customerID)), ("customer_name", .string(customerName)), ("title", .string(title)),
         ("currency", .string(currency.code)), ("language", .string(language.rawValue)), ("tax_mode", .string(taxMode)),
         ("issue_date", .optional(issueDate?.description)), ("due_date", .optional(dueDate?.description))]
    }

    private static func amounts(net: Money, groups: [VATGroup], vat: Money, gross: Money, rounding: Money, total: Money,
                                paid: Money, open: Money) -> [(String, JSON)] {
        [("net", money(net)), ("vat", vatGroups(groups)), ("vat_total", money(vat)), ("gross", money(gross)),
         ("rounding", money(rounding)), ("total", money(total)), ("paid", money(paid)), ("open", money(open))]
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
