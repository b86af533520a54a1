import Billing
import Foundation
import Store
import Workflows

enum InvoiceCommands {
    static let draftOptions: [Option] = [
        .value("--title", "T", "the invoice's title"),
        .value("--notes", "TEXT", "notes printed on the invoice"),
        .value("--purchase-order", "REF", "the buyer's order number it bills (printed; e-invoice BT-13); \"\" removes it"),
        .value("--user", "USER-ID", "the customer's user it is addressed to"),
        .value("--language", "LL", "its language, instead of the customer's", completion: .choices(["en", "de", "fr", "it"])),
        .flag("--gross", "prices include VAT"),
        .flag("--net", "prices exclude VAT (the default)"),
        .value("--exempt", "NOTE", "no VAT, with this note (e.g. the exemption's legal basis)"),
    ] + EInvoiceOptions.draftOptions
    static let taxModes = ExclusiveGroup(["--gross", "--net", "--exempt"])
    static let lineHelp = "a line: TITLE;QUANTITY;UNIT PRICE;VAT RATE[;DISCOUNT %[;UNIT]]"
    static let invoiceArgument = Argument("NUMBER|ID", "the invoice's number, or a draft's id")
    static let statuses = ["draft", "open", "partially_paid", "paid", "cancelled", "issued", "overdue"]

    static let new = Command(
        name: "new", summary: "add an invoice (a draft, or issued with --issue)",
        discussion: """
            Adds an invoice in the customer's currency and language. Prints its id, or its number with
            --issue. Decimals use a point: --line "Consulting;1.5;150.00;8.1".
            --from reads {"title": ..., "lines": [{"title", "quantity", "unit_price", "vat_rate",
            "discount", "unit", "description"}]} with numbers as strings.
            """,
        arguments: [Argument("CUSTOMER", "the customer's id (or exact company name)")],
        options: draftOptions + [.repeatable("--line", "SPEC", lineHelp),
                                 .value("--from", "FILE.json", "read the title, notes and lines from a JSON file", completion: .file),
                                 .flag("--issue", "issue it at once; prints its number"),
                                 .flag("--no-mail", "never mail it: invoice run skips it (invoice send still can)")],
        exclusive: [taxModes],
        examples: [#"invoice new 3 --title "Setup" --line "Consulting;1.5;150.00;8.1;;h" --issue"#],
        run: new)

    static let edit = Command(
        name: "edit", summary: "change a draft, or an issued invoice never sent nor paid",
        discussion: """
            Drafts can be edited freely. An issued invoice only while it is unpaid and was never sent;
            otherwise cancel it and issue a new one. --line replaces all lines; --add-line adds to them.
            """,
        arguments: [invoiceArgument],
        options: draftOptions + [.repeatable("--line", "SPEC", lineHelp + "; replaces all lines"),
                                 .repeatable("--add-line", "SPEC", "a line added to the existing ones")],
        exclusive: [taxModes],
        run: edit)

    static let show = Command(
        name: "show", summary: "one invoice with lines, VAT breakdown and payments",
        discussion: "One invoice: header, lines, VAT per rate, rounding, payments, amount still open.",
        arguments: [invoiceArgument],
        options: [.flag("--html", "the HTML document instead, to stdout"), .flag("--pdf", "the PDF document, to stdout"),
                  .flag("--txt", "the text document, to stdout"),
                  .value("--xml", "SYNTAX", "the e-invoice XML, cii or ubl, to stdout", completion: .choices(["cii", "ubl"])),
                  .flag("--facturx", "the Factur-X PDF (PDF/A-3 with the CII inside), to stdout")],
        exclusive: [ExclusiveGroup(["--html", "--pdf", "--txt", "--xml", "--facturx"])],
        run: show)

    static let list = Command(
        name: "list", summary: "the invoices, newest last, with status and open amount",
        discussion: "Streams invoices (--json: an array of invoice objects without lines).",
        options: [.value("--status", "S", "only this status: draft, open, partially_paid, paid, cancelled, issued (credit notes) or overdue",
                         completion: .choices(statuses)),
                  .value("--type", "T", "only invoices or only credit notes: invoice or credit_note",
                         completion: .choices(["invoice", "credit_note"])),
                  .value("--customer", "C", "only this customer's (id or exact company name)"),
                  .value("--limit", "N", "at most N invoices")],
        run: list)

    static let issue = Command(
        name: "issue", summary: "number and open a draft",
        discussion: "Numbers a draft from the gapless counter, dates it and opens it; consumes credit.",
        arguments: [Argument("ID", "the draft's id")],
        options: [.flag("--no-mail", "never mail it: invoice run skips it (invoice send still can)")], run: issue)

    static let delete = Command(
        name: "delete", summary: "delete a draft (issued invoices are cancelled instead)",
        discussion: "Deletes a draft. Issued invoices are never deleted: use invoice cancel.",
        arguments: [Argument("ID", "the draft's id")], run: delete)

    static let cancel = Command(
        name: "cancel", summary: "cancel an issued invoice by a full credit note; prints its number",
        discussion: """
            Cancels an issued invoice by issuing a credit note for all that is left to credit, and prints
            the credit note's number. What was still due is no longer owed; what was paid or applied from
            credit goes back to the customer's credit. A paid invoice of a plan or module period, credited
            in full, no longer pays it: a period running today ends today (access stops, nothing renews),
            a period paid ahead is void; stderr says which.
            """,
        arguments: [Argument("NUMBER", "the invoice's number")],
        options: [.flag("--no-mail", "do not mail the credit note (otherwise queued at once when a sender is set)")], run: cancel)

    static let pay = Command(
        name: "pay", summary: "record a payment",
        discussion: """
            Records a payment dated --date (which is also "today" for the command). Money is never
            refused: a surplus, or a payment for a cancelled or already paid invoice, becomes the
            customer's credit balance, used by the next invoice as a prepaid amount. The amount is digits with an
            optional point and at most the currency's decimals ("500.00"); "500.00 EUR" names its currency
            (or --currency; naming two different ones is refused). A payment in a currency other than the
            invoice's is kept as unmatched (invoice payments unmatched) and applied to nothing until the
            operator assigns it (invoice payments assign ID NUMBER).
            """,
        arguments: [Argument("NUMBER", "the invoice's number")],
        options: [.value("--amount", "A", "the amount paid", required: true),
                  .value("--currency", "CUR", "the payment's currency (default: the invoice's; another one is kept as unmatched)"),
                  .value("--method", "M", "how it was paid (bank, card, ...)"),
                  .value("--reference", "R", "the payment's reference")],
        featuredGlobals: ["--date"],
        examples: ["invoice pay CW-2026-00004 --amount 500.00 --date 2026-11-20"],
        run: pay)

    static func new(_ args: Arguments, _ context: Context) throws {
        let customerReference = try args.positional("CUSTOMER")
        let store = try context.openStore()
        let customer = try store.customer(reference: customerReference)
        var draft = try readDraft(args, currency: customer.currency)
        if let file = try args.option("--from") { try merge(file: file, into: &draft, currency: customer.currency) }
        let issue = args.flag("--issue")
        draft.lines = draft.addedLines
        draft.addedLines = []
        let invoice = try Invoicing(store: store).create(customerReference: String(customer.id), draft, issue: issue, today: context.today,
                                                         noMail: args.flag("--no-mail"))
        try EInvoiceOptions.hint(for: invoice, store: store, context: context)
        if context.json {
            context.emit(Presenter.invoice(invoice, customer: customer, today: context.today))
        } else {
            context.emit(invoice.number ?? String(invoice.id))
        }
    }

    /// Options shared by `new` and `edit`.
    private static func readDraft(_ args: Arguments, currency: Currency) throws -> InvoiceDraft {
        var draft = InvoiceDraft()
        draft.title = try args.option("--title")
        draft.notes = try args.option("--notes")
        draft.purchaseOrder = try args.option("--purchase-order")
        if let user = try args.option("--user") {
            guard let id = Int64(user) else { throw args.usageError("--user takes a user id") }
            draft.userID = id
        }
        if let language = try args.option("--language") { draft.language = try Language(code: language) }
        let exempt = try args.option("--exempt")
        let gross = args.flag("--gross"), net = args.flag("--net")
        if let exempt { draft.taxMode = .exempt(note: exempt) } else if gross { draft.taxMode = .gross } else if net { draft.taxMode = .net }
        draft.addedLines = try args.options("--line").map { try InvoiceLine(parsing: $0, currency: currency) }
        try EInvoiceOptions.readTaxCategory(args, into: &draft)
        return draft
    }

    /// Reads `{"title": …, "notes": …, "lines": [{"title", "quantity", "unit_price", "vat_rate", …}]}`.
    private static func merge(file: String, into draft: inout InvoiceDraft, currency: Currency) throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw BillingError("cannot read \(file)") }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw BillingError("\(file) is not a JSON object")
        }
        // JSONSerialization keeps the last of two equal keys: a price must not depend on which one wins.
        if let key = JSONDuplicateKeys.first(in: [UInt8](data)) {
            throw BillingError("\(file) has the key \"\(key)\" twice in one object; write each key once")
        }
        func text(_ dict: [String: Any], _ key: String) throws -> String? {
            guard let value = dict[key] else { return nil }
            if let s = value as? String { return s }
            throw BillingError("\(file): \"\(key)\" must be a string (write numbers as strings, e.g. \"12.50\", so they stay exact)")
        }
        if let title = try text(object, "title") { draft.title = title }
        if let notes = try text(object, "notes") { draft.notes = notes }
        if let order = try text(object, "purchase_order") { draft.purchaseOrder = order }
        guard let lines = object["lines"] as? [[String: Any]] else { return }
        for (index, line) in lines.enumerated() {
            let where_ = "\(file) line \(index + 1)"
            guard let title = try text(line, "title"), let quantity = try text(line, "quantity"),
                  let price = try text(line, "unit_price"), let vat = try text(line, "vat_rate")
            else { throw BillingError("\(where_) needs title, quantity, unit_price and vat_rate") }
            draft.addedLines.append(try InvoiceLine(
                title: title, description: try text(line, "description") ?? "",
                quantity: DecimalNumber(parsing: quantity, maxScale: InvoiceLine.maxQuantityDecimals, field: "quantity"),
                unit: try text(line, "unit") ?? "", unitPrice: Money(parsing: price, currency: currency, field: "unit price"),
                discount: try text(line, "discount").map { try Percentage(parsing: $0, field: "discount") } ?? .zero,
                vatRate: Percentage(parsing: vat, field: "VAT rate")).validated())
        }
    }

    static func edit(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("NUMBER|ID")
        let store = try context.openStore()
        let existing = try store.invoice(reference: reference)
        var draft = try readDraft(args, currency: existing.currency)
        let replaced = draft.addedLines
        draft.addedLines = try args.options("--add-line").map { try InvoiceLine(parsing: $0, currency: existing.currency) }
        if !replaced.isEmpty { draft.lines = replaced }
        let invoice = try Invoicing(store: store).edit(reference: String(existing.id), draft, today: context.today)
        try EInvoiceOptions.hint(for: invoice, store: store, context: context)
        let customer = try store.customer(id: invoice.customerID)
        if context.json {
            context.emit(Presenter.invoice(invoice, customer: customer, today: context.today))
        } else {
            var message = "updated \(invoice.number.map { "invoice \($0)" } ?? "draft \(invoice.id)"): total \(invoice.totals.payable)"
            if invoice.prepaid < existing.prepaid {
                message += "; prepaid \(existing.prepaid.decimalString) → \(invoice.prepaid.decimalString), \((existing.prepaid - invoice.prepaid).decimalString) back to the customer's credit"
            }
            if invoice.status == .paid, existing.status != .paid { message += "; paid by the credit applied" }
            context.emit(message)
        }
    }

    static func show(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("NUMBER|ID")
        let formats = ["--html", "--pdf", "--txt"].filter { args.flag($0) }
        let xml = try args.option("--xml")
        let facturX = args.flag("--facturx")
        let store = try context.openStore()
        let invoice = try store.invoice(reference: reference)
        if let xml {
            try EInvoiceOptions.writeXML(xml, invoice: invoice, store: store)
            return
        }
        if facturX {
            try EInvoiceOptions.writeFacturX(invoice: invoice, store: store, context: context)
            return
        }
        if let format = formats.first {
            try PrintCommand.writeDocument(format: String(format.dropFirst(2)), invoice: invoice, store: store, context: context)
            return
        }
        let customer = try store.customer(id: invoice.customerID)
        let mail = invoice.status.isIssued ? try mailStatus(invoice, store: store) : nil
        if context.json {
            context.emit(Presenter.invoice(invoice, customer: customer, today: context.today, mail: mail))
        } else {
            context.emit(Presenter.invoiceText(invoice, customer: customer, today: context.today, mail: mail))
        }
    }

    /// Where an issued document's own mail is: `sent` (the server accepted it; `sent` holds the day),
    /// `queued` (waiting or being retried), `failed`, `cancelled`, `not_sent` (none queued yet: the next
    /// `invoice run` with a sender queues it) or `no_mail` (opted out with --no-mail).
    static func mailStatus(_ invoice: Invoice, store: Store) throws -> String {
        if invoice.sentAt != nil { return "sent" }
        switch try store.documentMailState(invoiceID: invoice.id) {
        case .sent: return "sent"
        case .queued, .sending, .deferred: return "queued"
        case .failed: return "failed"
        case .cancelled: return "cancelled"
        case nil: return try store.isNoMail(invoiceID: invoice.id) ? "no_mail" : "not_sent"
        }
    }

    static func list(_ args: Arguments, _ context: Context) throws {
        var filter = InvoiceFilter()
        if let status = try args.option("--status") {
            if status == "overdue" {
                filter.overdueOn = context.today
            } else if let s = InvoiceStatus(rawValue: status.replacingOccurrences(of: "-", with: "_")) {
                filter.statuses = [s]
            } else {
                throw args.usageError("unknown status '\(status)'; use draft, open, partially_paid, paid, cancelled, issued or overdue")
            }
        }
        if let type = try args.option("--type") {
            guard let kind = DocumentKind(rawValue: type.replacingOccurrences(of: "-", with: "_")) else {
                throw args.usageError("unknown type '\(type)'; use invoice or credit_note")
            }
            filter.kind = kind
        }
        let store = try context.openStore()
        if let customer = try args.option("--customer") { filter.customerID = try store.customer(reference: customer).id }
        if let limit = try args.option("--limit") {
            guard let n = Int(limit), n > 0 else { throw args.usageError("--limit takes a positive number") }
            filter.limit = n
        }
        let out = StreamWriter()
        if context.json {
            out.write("[")
            var first = true
            try store.read {
                try store.forEachInvoice(filter) { summary in
                    var text = first ? "\n  " : ",\n  "
                    first = false
                    Presenter.invoice(summary, today: context.today).write(to: &text, indent: 1)
                    out.write(text)
                }
            }
            out.write(first ? "]\n" : "\n]\n")
        } else {
            var count = 0
            // Two passes in one read transaction: the first measures the amount columns (a 15-digit
            // total widens them for every row), the second writes; rows are never held in memory.
            var totalWidth = 10, openWidth = 12, numberWidth = 18
            try store.read {
                try store.forEachInvoice(filter) { s in
                    numberWidth = max(numberWidth, (s.number ?? "(draft \(s.id))").displayWidth + 1)
                    totalWidth = max(totalWidth, s.total.decimalString.count)
                    openWidth = max(openWidth, s.open.decimalString.count)
                }
                out.write("NUMBER".padding(numberWidth) + "TYPE".padding(8) + "STATUS".padding(16) + "ISSUED".padding(12) + "DUE".padding(12)
                          + "CUSTOMER".padding(29) + "    " + "TOTAL".leftPadded(totalWidth) + "  " + "OPEN".leftPadded(openWidth) + "\n")
                try store.forEachInvoice(filter) { s in
                    count += 1
                    let number = s.number ?? "(draft \(s.id))"
                    out.write(number.padding(numberWidth) + (s.kind == .creditNote ? "credit" : "invoice").padding(8)
                              + s.displayStatus(on: context.today).padding(16) + (s.issueDate?.description ?? "-").padding(12)
                              + (s.dueDate?.description ?? "-").padding(12) + s.customerName.truncated(28).padding(29)
                              + s.currency.code.padding(3) + s.total.decimalString.leftPadded(totalWidth)
                              + "  " + s.open.decimalString.leftPadded(openWidth) + "\n")
                }
            }
            if count == 0 { out.write("no invoices\n") }
        }
        out.flush()
    }

    static func issue(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("ID")
        let store = try context.openStore()
        let invoice = try Invoicing(store: store).issue(reference: reference, today: context.today, noMail: args.flag("--no-mail"))
        try emitChange(invoice, store: store, context: context,
                       text: "issued \(invoice.number ?? "") to \(try store.customer(id: invoice.customerID).company): \(invoice.totals.payable), due \(invoice.dueDate?.description ?? "")")
    }

    static func delete(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("ID")
        let store = try context.openStore()
        let invoice = try Invoicing(store: store).delete(reference: reference)
        context.json ? context.emit(.object([("deleted", .int(invoice.id))])) : context.emit("deleted draft \(invoice.id)")
    }

    static func cancel(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("NUMBER")
        let store = try context.openStore()
        let outcome = try Invoicing(store: store, outbox: try context.outbox()).cancel(reference: reference, today: context.today,
                                                                                     noMail: args.flag("--no-mail"))
        // Prints the credit note's number (scripts capture it); --json gives the credit note object.
        try emitChange(outcome.creditNote, store: store, context: context, text: outcome.creditNote.number ?? "")
        // stdout stays the number (scripts capture it); what happened to access is said on stderr.
        for change in outcome.accessChanges { context.warn(change) }
    }

    static func pay(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("NUMBER")
        guard let amountText = try args.option("--amount") else { throw args.usageError("pay needs --amount") }
        let currencyText = try args.option("--currency")
        let method = try args.option("--method") ?? ""
        let paymentReference = try args.option("--reference") ?? ""
        let store = try context.openStore()
        let target = try store.invoice(reference: reference)
        // "12.50 EUR" or --currency EUR name the payment's currency; otherwise it is the invoice's.
        var amountPart = amountText
        var named: Currency?
        let pieces = amountPart.split(separator: " ", omittingEmptySubsequences: false)
        if pieces.count == 2, !pieces[0].isEmpty, !pieces[1].isEmpty {
            let (a, b) = (String(pieces[0]), String(pieces[1]))
            if a.allSatisfy(\.isLetter) { named = try Currency(code: a); amountPart = b } else { named = try Currency(code: b); amountPart = a }
        }
        if let currencyText {
            let option = try Currency(code: currencyText)
            if let named, named != option {
                throw args.usageError("--amount \"\(amountText)\" is in \(named) but --currency says \(option); name the currency once")
            }
            named = option
        }
        let currency = named ?? target.currency
        let amount = try Money(parsing: amountPart, currency: currency)
        guard currency == target.currency else {
            // Money is never refused: another currency is kept as unmatched for the operator.
            let id = try Invoicing(store: store).keepUnmatched(invoiceReference: String(target.id), amount: amount,
                                                             date: context.today, reference: paymentReference, today: context.today)
            let name = target.number ?? String(target.id)
            if context.json {
                context.emit(.object([("status", .string("unmatched")), ("id", .string(id)), ("invoice", .string(name)),
                                      ("amount", .string(amount.decimalString)), ("currency", .string(currency.code)),
                                      ("date", .string(context.today.description))]))
            } else {
                context.emit("kept \(amount) as unmatched payment \(id): invoice \(name) is in \(target.currency), so nothing was applied to it; "
                             + "assign it to an invoice in \(currency) with invoice payments assign \(id) NUMBER, or pay it back")
            }
            return
        }
        let outcome = try Invoicing(store: store, outbox: try context.outbox()).pay(reference: String(target.id), amount: amount, date: context.today,
                                                      method: method, paymentReference: paymentReference)
        let invoice = outcome.invoice
        var text = "recorded \(amount) on \(invoice.number ?? String(invoice.id)) dated \(context.today): now \(invoice.status.rawValue)"
        if invoice.status == .partiallyPaid { text += ", \(invoice.open) open" }
        if outcome.credited.minorUnits > 0 {
            let why = outcome.applied.isZero ? " (the invoice was \(target.status == .cancelled ? "cancelled" : "already paid"))" : ""
            text += "; \(outcome.credited) went to the customer's credit balance\(why)"
        }
        if let deferred = outcome.receiptDeferred {
            context.warn("invoice: the receipt was not queued: \(deferred); invoice run queues it once there is space")
        }
        try emitChange(invoice, store: store, context: context, text: text)
    }

    private static func emitChange(_ invoice: Invoice, store: Store, context: Context, text: String) throws {
        if context.json {
            context.emit(Presenter.invoice(invoice, customer: try store.customer(id: invoice.customerID), today: context.today))
        } else {
            context.emit(text)
        }
    }
}

/// Buffered stdout for long listings: one write per 64 KiB instead of one per line.
final class StreamWriter {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        Context.writeOut(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}
