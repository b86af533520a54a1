import Billing
import Foundation
import Store
import Workflows

/// Where money goes besides invoices: credit notes, refunds, customer credit, unmatched payments.
enum MoneyCommands {
    /// `invoice credit-note NUMBER [--amount A | --line "TITLE;QTY;PRICE;VAT"…] [--reason R] [--refund]`
    static func creditNote(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let reference = try args.positional("NUMBER")
        let amountText = try args.option("--amount")
        let lineTexts = try args.options("--line")
        let reason = try args.option("--reason") ?? ""
        let refund = args.flag("--refund")
        try args.finish()
        guard amountText == nil || lineTexts.isEmpty else {
            throw UsageError("choose --amount or --line, not both", command: "credit-note")
        }
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
            .creditNote(reference: String(invoice.id), request, reason: reason, refund: refund, today: context.today)
        if context.json {
            context.emit(Presenter.invoice(outcome.creditNote, customer: try store.customer(id: invoice.customerID), today: context.today))
        } else {
            context.emit(outcome.creditNote.number ?? "")
        }
    }

    /// `invoice refund CUSTOMER --amount A [--currency CUR] [--date D] [--reference R]`: prints the new balance.
    static func refund(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let reference = try args.positional("CUSTOMER")
        guard let amountText = try args.option("--amount") else { throw UsageError("refund needs --amount", command: "refund") }
        let currencyText = try args.option("--currency")
        let paymentReference = try args.option("--reference") ?? ""
        try args.finish()
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
    static func customerCredit(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let reference = try args.positional("customer id")
        try args.finish()
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

    /// `invoice payments unmatched` and `invoice payments assign EVENT NUMBER`.
    static func payments(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let action = try args.positional("action (unmatched or assign)")
        switch action {
        case "unmatched":
            let all = args.flag("--all")
            try args.finish()
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
        case "assign":
            let event = try args.positional("EVENT")
            let number = try args.positional("NUMBER")
            try args.finish()
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
        default:
            throw UsageError("unknown action '\(action)'; use unmatched or assign", command: "payments")
        }
    }
}
