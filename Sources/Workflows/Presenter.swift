import Billing
import Store

/// How domain values look as JSON: the objects of the scripting contract (`--json`), which event payloads
/// carry too (one builder for both).
public enum Presenter {
    public static func money(_ m: Money) -> JSON { .string(m.decimalString) }

    public static func customer(_ c: Customer, users: [User]? = nil, credit: Money? = nil) -> JSON {
        var pairs: [(String, JSON)] = [
            ("id", .int(c.id)), ("company", .string(c.company)), ("contact", .string(c.contact)),
            ("street", .string(c.address.street)), ("building", .string(c.address.building)),
            ("postcode", .string(c.address.postcode)), ("town", .string(c.address.town)),
            ("country", .string(c.address.country.code)), ("email", .string(c.email)), ("vat_id", .string(c.vatID)),
            ("currency", .string(c.currency.code)), ("language", .string(c.language.rawValue)),
            ("billing_info", .string(c.billingInfo)), ("active", .bool(c.isActive)),
        ] + customerEInvoice(c)
        if let credit { pairs.append(("credit_balance", money(credit))) }
        if let users { pairs.append(("users", .array(users.map(user)))) }
        return .object(pairs)
    }

    public static func userPairs(_ u: User) -> [(String, JSON)] {
        [("id", .int(u.id)), ("customer", .int(u.customerID)), ("salutation", .string(u.salutation)),
         ("first_name", .string(u.firstName)), ("surname", .string(u.surname)), ("email", .string(u.email))]
    }

    public static func user(_ u: User) -> JSON { .object(userPairs(u)) }

    public static func product(_ p: Product) -> JSON {
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

    public static func vatGroups(_ groups: [VATGroup]) -> JSON {
        .array(groups.map { .object([("rate", .string($0.rate.description)), ("base", money($0.base)), ("amount", money($0.amount))]) })
    }

    /// The invoice object of the scripting contract (`show --json`; `list --json` without lines).
    /// `mail`: where the document's own mail is (`MailCommands.mailStatus`), shown by `show`.
    public static func invoice(_ i: Invoice, customer: Customer, today: Day, mail: String? = nil) -> JSON {
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

    public static func invoice(_ s: InvoiceSummary, today: Day) -> JSON {
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

    /// The e-invoice fields of a customer, for `customer show --json`.
    public static func customerEInvoice(_ c: Customer) -> [(String, JSON)] {
        [("buyer_reference", .string(c.buyerReference)), ("electronic_address", .string(c.electronicAddress)),
         ("einvoice", .string(c.effectiveEInvoice.rawValue))]
    }

    public static func booking(_ details: Bookings.Details) -> JSON { .object(bookingPairs(details)) }

    /// The booking object of the scripting contract: kind, product, status, cycle, start, end, invoice, and more.
    public static func bookingPairs(_ details: Bookings.Details) -> [(String, JSON)] {
        let b = details.booking
        var pairs: [(String, JSON)] = [
            ("id", .int(b.id)), ("customer", .int(b.customerID)), ("kind", .string(b.kind.rawValue)),
            ("product", .string(b.productName)), ("status", .string(b.status.rawValue)), ("cycle", .string(b.cycle.rawValue)),
            ("start", .optional(b.start?.description)), ("end", .optional(b.end?.description)),
            ("invoice", .optional(details.invoiceNumber)),
            ("replaces", b.replacesID.map { .int($0) } ?? .null),
            ("renewal", .optional(details.renewal?.state.rawValue)),
            ("usable_until", .optional(details.renewal?.usableUntil.description)),
            ("price", b.price.map { p in
                .object([("currency", .string(p.amount.currency.code)), ("amount", money(p.amount)),
                         ("vat_rate", .string(p.vatRate.description)), ("gross", .bool(p.isGross))])
            } ?? .null),
            ("next_price", b.nextPrice.map { money($0) } ?? .null),
            ("owed_on_next_invoice", .array(details.owedOnNextInvoice.map { money($0) })),
        ]
        pairs.append(("paying_invoice", details.invoice.map { s in
            .object([("number", .optional(s.number)), ("status", .string(s.status.rawValue)), ("total", money(s.total)),
                     ("paid", money(s.paid)), ("open", money(s.open)),
                     ("due_date", .optional(s.dueDate?.description))])
        } ?? .null))
        pairs.append(("next_renewal", details.nextRenewal.map { next in
            .object([("invoice_on", .string(next.invoiceOn.description)), ("period_start", .string(next.periodStart.description)),
                     ("invoice", .optional(next.invoiceNumber))])
        } ?? .null))
        pairs.append(("periods", .array(details.periods.map { line in
            let p = line.period
            return .object([("reason", .string(p.reason.rawValue)), ("cycle", .string(p.cycle.rawValue)),
                            ("planned_start", .string(p.plannedStart.description)), ("start", .string(p.start.description)),
                            ("end", .string(p.end.description)), ("state", .string(p.state.rawValue)),
                            ("invoice", .optional(line.invoiceNumber)), ("amount", money(p.listAmount)),
                            ("credit", money(p.credit)), ("paid_on", .optional(p.paidOn?.description))])
        })))
        pairs.append(("history", .array(details.events.map {
            .object([("date", .string($0.date.description)), ("action", .string($0.action)), ("detail", .string($0.detail))])
        })))
        return pairs
    }
}
