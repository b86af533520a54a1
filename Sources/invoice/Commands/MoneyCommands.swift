import Billing
import Foundation
import Store
import Workflows

/// Where money goes besides invoices: credit notes, refunds, customer credit, unmatched payments.
enum MoneyCommands {
    static let creditNote = Command(
        name: "credit-note", summary: "credit an issued invoice (a numbered credit note); prints its number",
        discussion: """
            Issues a credit note against an issued invoice, from its own gapless counter
            (credit_note_number_format, default CN-{YYYY}-{SEQ:5}). Without --amount or --line it credits all
            that is left; an amount is split over the invoice's VAT rates in proportion; never more than is
            left. On an unpaid invoice it reduces the amount due (credited in full, the invoice is
            cancelled); on money already paid it becomes customer credit, or with --refund is recorded as
            paid back.
            """,
        arguments: [Argument("NUMBER", "the invoice's number")],
        options: [.value("--amount", "A", "credit this amount (VAT split in proportion)"),
                  .repeatable("--line", "SPEC", "credit this line: TITLE;QUANTITY;UNIT PRICE;VAT RATE"),
                  .value("--reason", "TEXT", "why (printed on the credit note)"),
                  .flag("--refund", "record the part already paid as refunded instead of customer credit"),
                  .flag("--no-mail", "do not mail it (otherwise queued at once when a sender is set, or by invoice run)")],
        exclusive: [ExclusiveGroup(["--amount", "--line"])],
        examples: [#"invoice credit-note INV-2026-00012 --amount 50.00 --reason "Goodwill""#],
        run: creditNote)

    static let refund = Command(
        name: "refund", summary: "pay customer credit back; prints the new balance",
        discussion: "Records money paid back from the customer's credit balance (never below zero), dated --date.",
        arguments: [Argument("CUSTOMER", "the customer's id (or exact company name)")],
        options: [.value("--amount", "A", "the amount paid back", required: true),
                  .value("--currency", "CUR", "the credit's currency (default: the customer's)"),
                  .value("--reference", "R", "the refund's reference (bank transfer, ...)")],
        featuredGlobals: ["--date"],
        examples: ["invoice refund 3 --amount 42.73 --reference BANK-0815"],
        run: refund)

    static let payments = Command(
        name: "payments", summary: "bank files in; payments no invoice matched, and assigning them",
        discussion: """
            Bank files (camt.053/054) are imported as payments. Payments the webhook or a bank file brought
            for an unknown invoice (or in another currency) are kept, never lost: list them, then apply one
            to an invoice as `invoice pay` would.
            """,
        subcommands: [
            BankImportCommand.command,
            Command(name: "unmatched", summary: "the payments waiting to be assigned",
                    options: [.flag("--all", "assigned ones too")], run: unmatched),
            Command(name: "assign", summary: "apply an unmatched payment to an invoice",
                    arguments: [Argument("EVENT", "the provider's event id"), Argument("NUMBER", "the invoice's number")],
                    run: assign),
        ])

    /// `customer credit ID`, declared as a subcommand of `customer`.
    static let customerCreditCommand = Command(
        name: "credit", summary: "the customer's credit ledger: date, amount, reason, document",
        arguments: [Argument("ID", "the customer's id (or exact company name)")], run: customerCredit)

    /// `invoice credit-note NUMBER [--amount A | --line "TITLE;QTY;PRICE;VAT"…] [--reason R] [--refund]`
    static func creditNote(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("NUMBER")
        let amountText = try args.option("--amount")
        let lineTexts = try args.options("--line")
        let reason = try args.option("--reason") ?? ""
        let refund = args.flag("--refund")
        let store = try context.openStore()
        let invoice = try store.invoice(reference: reference)
        let request: CreditNoteRequest
        if let amountText {
            request = .amount(try Money(parsing: amountText, currency: invoice.currency))
        } else if !lineTexts.isEmpty {
            request = .lines(try lineTexts.map { try InvoiceLine(parsing: $0, currency: invoice.currency) })
        } else {
            request = .rest
        }
        let outcome = try Invoicing(store: store, outbox: try context.outbox())
            .creditNote(reference: String(invoice.id), request, reason: reason, refund: refund, today: context.today,
                        noMail: args.flag("--no-mail"))
        if context.json {
            context.emit(Presenter.invoice(outcome.creditNote, customer: try store.customer(id: invoice.customerID), today: context.today))
        } else {
            context.emit(outcome.creditNote.number ?? "")
        }
        // stdout stays the number (scripts capture it); what happened to access is said on stderr.
        for change in outcome.accessChanges { context.warn(change) }
    }

    /// `invoice refund CUSTOMER --amount A [--currency CUR] [--date D] [--reference R]`: prints the new balance.
    static func refund(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("CUSTOMER")
        guard let amountText = try args.option("--amount") else { throw args.usageError("refund needs --amount") }
        let currencyText = try args.option("--currency")
        let paymentReference = try args.option("--reference") ?? ""
        let store = try context.openStore()
        let customer = try store.customer(reference: reference)
        let currency = try currencyText.map { try Currency(code: $0) } ?? customer.currency
        let amount = try Money(parsing: amountText, currency: currency)
        let balance = try Invoicing(store: store).refund(customerReference: String(customer.id), amount: amount,
                                                         date: context.today, reference: paymentReference, today: context.today)
        if context.json {
            context.emit(.object([("customer", .int(customer.id)), ("refunded", Presenter.money(amount)),
                                  ("currency", .string(currency.code)), ("credit_balance", Presenter.money(balance))]))
        } else {
            context.emit(balance.decimalString)
        }
    }

    /// `invoice customer credit CUSTOMER [--json]`: the ledger and the balance.
    static func customerCredit(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("ID")
        let store = try context.openStore()
        let customer = try store.customer(reference: reference)
        let entries = try store.creditLedger(customerID: customer.id)
        let balance = try store.creditBalance(customerID: customer.id, currency: customer.currency)
        if context.json {
            context.emit(.object([
                ("customer", .int(customer.id)), ("currency", .string(customer.currency.code)),
                ("credit_balance", Presenter.money(balance)),
                ("entries", .array(entries.map { entry in
                    .object([("date", .string(entry.date.description)), ("amount", Presenter.money(entry.amount)),
                             ("currency", .string(entry.amount.currency.code)), ("reason", .string(entry.reason)),
                             ("document", .optional(entry.document))])
                })),
            ]))
            return
        }
        context.emit("Credit of customer \(customer.id) (\(customer.company)): \(balance)")
        if entries.isEmpty { context.emit("  no entries") }
        for entry in entries {
            context.emit("  \(entry.date)  \(entry.amount.description.leftPadded(16))  \((entry.document ?? "").padding(16))\(entry.reason)")
        }
    }

    /// `invoice payments unmatched [--all]`
    static func unmatched(_ args: Arguments, _ context: Context) throws {
        let all = args.flag("--all")
        let store = try context.openStore()
        let list = try store.unmatchedPayments(all: all)
        if context.json {
            context.emit(.array(list.map { p in
                .object([("event", .string(p.eventID)), ("invoice", .string(p.invoiceNumber)),
                         ("kind", .string(p.amount.minorUnits < 0 ? "refund" : "payment")),
                         ("amount", Presenter.money(p.amount.minorUnits < 0 ? -p.amount : p.amount)),
                         ("currency", .string(p.amount.currency.code)), ("date", .string(p.paidOn.description)),
                         ("reason", .string(p.reason)), ("assigned", .bool(p.assignedInvoiceID != nil))])
            }))
            return
        }
        if list.isEmpty { context.emit("no unmatched payments"); return }
        for p in list {
            let kind = p.amount.minorUnits < 0 ? "refund " : ""
            context.emit("\(p.eventID)  \(p.paidOn)  \(kind)\(p.amount.minorUnits < 0 ? -p.amount : p.amount)  for '\(p.invoiceNumber)': \(p.reason)")
        }
    }

    /// `invoice payments assign EVENT NUMBER`
    static func assign(_ args: Arguments, _ context: Context) throws {
        let event = try args.positional("EVENT")
        let number = try args.positional("NUMBER")
        let store = try context.openStore()
        if let stored = try store.unmatchedPayment(eventID: event), stored.amount.minorUnits < 0 {
            throw CommandFailure(message: "event \(event) is a refund, not a payment; record it with invoice credit-note NUMBER --amount A --refund or invoice refund")
        }
        let outcome = try Invoicing(store: store, outbox: try context.outbox())
            .assignUnmatched(eventID: event, invoiceReference: number, today: context.today)
        let invoice = outcome.invoice
        if context.json {
            context.emit(Presenter.invoice(invoice, customer: try store.customer(id: invoice.customerID), today: context.today))
        } else {
            var text = "assigned \(event) to \(invoice.number ?? String(invoice.id)): now \(invoice.status.rawValue)"
            if outcome.credited.minorUnits > 0 { text += "; \(outcome.credited) went to the customer's credit balance" }
            context.emit(text)
        }
    }
}
