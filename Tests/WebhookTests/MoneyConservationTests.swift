import Billing
import Documents
import Foundation
import HTTPServer
import Store
import Testing
import TestSupport
import Webhook
import Workflows

/// Money is conserved: over 2,000 random operations on 20 customers (issue, pay, overpay, pay a
/// cancelled or paid invoice, cancel, credit notes with and without refund, refunds, plan bookings
/// withdrawn, signed webhook payments and refunds incl. redeliveries, conflicting payloads and unknown
/// invoices; and since issue 17: edits of issued invoices below and above their prepaid amount, cancels
/// of paid period invoices, upgrades whose credit exceeds the new price, credit notes by lines, reminder
/// fees billed by their own invoices and settled by overpayments of the overdue invoice, VAT rate changes
/// from a date (`catalog reprice --vat --from`) reaching renewals made by `invoice run`, and `plan period
/// --end` edits), after every step and for every customer:
///
///     received − refunded = Σ over its invoices (total − credited − open) + credit balance
///
/// where each term is read from the public model (`InvoiceSummary`, `Store.creditBalance`,
/// `receivedTotal`, `refundedTotal`): what an invoice keeps is what it costs after credit notes, less
/// what is still open. No operation fails except the refusals the SPEC names, and those change nothing.
/// Runs in process through the Workflows, Store and Webhook APIs (a few seconds).
struct MoneyConservationTests {
    typealias Generator = SplitMix64

    struct Sent {
        let id: String
        let body: [UInt8]
    }

    // Mutation (mutants.tsv withdraw-drops-credit): withdraw drops the credit balance again ("dropped on withdrawal") → the identity breaks.
    // Mutation (mutants.tsv pay-cancelled-applied): `pay` puts only `amount − openBefore` to credit for a cancelled invoice (applied := amount)
    //           → the identity breaks.
    // Mutation (mutants.tsv credit-rest-dropped): a credit note's post-payment rest is neither credited nor refunded → the identity breaks.
    // Mutation (mutants.tsv issue-prepaid-no-ledger): issuing uses prepaid without the ledger entry (`addCredit(-used …)` removed) → breaks.
    // Mutation (mutants.tsv unused-credit-booked, issue 17): PaidStatusWatcher+UnusedCredit.swift: the unused part no invoice can take is
    //           booked with addCredit as before (instead of recorded as not credited) → step 275 (upgrade
    //           Pro yearly → Max monthly on a year partly credited already) breaks the identity by 197.21.
    // Mutation (mutants.tsv edit-with-credit-notes, issue 17): Invoicing.swift: `edit` lets an invoice with credit notes change its lines →
    //           "VAT 0% credited 3503 of 0" (an edited invoice's old rate) → fails.
    // Mutation (mutants.tsv fee-settle-ledger, issue 17): Invoicing.settleReminderFees pays a fee invoice from an
    //           overpayment without taking it off the credit ledger → the identity breaks at the first "paid with its fees".
    @Test func receivedMinusRefundedIsAlwaysAppliedPlusCreditBalance() throws {
        let directory = try TemporaryDirectory("money-conservation")
        defer { directory.remove() }
        let path = try TestEngine.location(for: directory.path("money.sqlite"))
        let store = try Store(path: path)
        try store.setSetting("company", to: "Conservation AG")
        let invoicing = Invoicing(store: store)
        let bookings = Bookings(store: store)
        let repricing = Repricing(store: store)
        try store.setSetting("email", to: "billing@conservation.example")
        try store.setSetting("reminder_fees", to: "CHF 0,10.00,20.00; EUR 0,8.00,15.00")
        let outbox = Outbox(directory: URL(fileURLWithPath: directory.path("Outbox")), renderer: try DocumentRenderer(),
                            clock: QueueClock(overrideDay: try Day(parsing: "2026-01-05")))
        var feeInvoices = Set<Int64>()
        let chf = try Currency(code: "CHF"), eur = try Currency(code: "EUR")
        _ = try store.saveProduct(Product(id: 0, kind: .plan, name: "Pro", prices: [
            ProductPrice(currency: chf, monthly: Money(minorUnits: 4_990, currency: chf), yearly: Money(minorUnits: 49_900, currency: chf),
                         vatRate: try Percentage(parsing: "8.1", field: "VAT"), isGross: false),
            ProductPrice(currency: eur, monthly: Money(minorUnits: 3_900, currency: eur), yearly: Money(minorUnits: 39_000, currency: eur),
                         vatRate: try Percentage(parsing: "19", field: "VAT"), isGross: true),
        ]))
        // Dearer monthly than Pro, cheaper than what is left of a Pro year early on: upgrades with excess credit.
        _ = try store.saveProduct(Product(id: 0, kind: .plan, name: "Max", prices: [
            ProductPrice(currency: chf, monthly: Money(minorUnits: 19_900, currency: chf), yearly: Money(minorUnits: 199_000, currency: chf),
                         vatRate: try Percentage(parsing: "8.1", field: "VAT"), isGross: false),
            ProductPrice(currency: eur, monthly: Money(minorUnits: 15_000, currency: eur), yearly: Money(minorUnits: 150_000, currency: eur),
                         vatRate: try Percentage(parsing: "19", field: "VAT"), isGross: true),
        ]))
        var customers: [Customer] = []
        for index in 0..<20 {
            customers.append(try store.addCustomer(Customer(
                id: 0, company: "Customer \(index)", address: Address(country: try Country(code: index % 2 == 0 ? "CH" : "DE")),
                email: "c\(index)@example.com", currency: index % 2 == 0 ? chf : eur, language: .en)))
        }
        var rng = SplitMix64(seed: 2_000)
        var day = try Day(parsing: "2026-01-05")
        var sent: [Sent] = []
        var counts: [String: Int] = [:]
        let secret = try TestSecret.secret
        let rates = ["8.1", "2.6", "0", "19", "7"]

        func post(_ body: [UInt8], id: String) throws -> HTTPResponse {
            let handler = WebhookHandler(databasePath: path, secret: secret, outbox: nil, today: day, clock: { 1_800_000_000 })
            let stamp = "1800000000"
            return handler.respond(to: HTTPRequest(method: "POST", target: "/webhooks/payments", headers: [
                HTTPHeader("webhook-id", id), HTTPHeader("webhook-timestamp", stamp),
                HTTPHeader("webhook-signature", secret.signature(id: id, timestamp: stamp, body: body)),
            ], body: body))
        }
        func issued(_ customer: Customer) throws -> [InvoiceSummary] {
            var list: [InvoiceSummary] = []
            try store.forEachInvoice(InvoiceFilter(customerID: customer.id, kind: .invoice)) { if $0.status.isIssued { list.append($0) } }
            return list
        }
        func checkIdentity(_ step: Int, _ what: String, _ which: [Customer]) throws {
            for customer in which {
                let currency = customer.currency
                let received = try store.receivedTotal(customerID: customer.id, currency: currency).minorUnits
                let refunded = try store.refundedTotal(customerID: customer.id, currency: currency).minorUnits
                let balance = try store.creditBalance(customerID: customer.id, currency: currency).minorUnits
                let applied = try issued(customer).reduce(Int64(0)) { $0 + $1.total.minorUnits - $1.credited.minorUnits - $1.open.minorUnits }
                #expect(balance >= 0, "step \(step) \(what): negative balance for \(customer.id)")
                #expect(received - refunded == applied + balance,
                        "step \(step) \(what): customer \(customer.id) received \(received) − refunded \(refunded) ≠ applied \(applied) + credit \(balance)")
                if received - refunded != applied + balance { throw CancellationError() }
            }
        }
        func refused(_ body: () throws -> Void) -> Bool {
            do { try body(); return false } catch { return true }
        }

        for step in 0..<2_000 {
            if Int.random(in: 0..<10, using: &rng) == 0 { day = day.adding(days: Int.random(in: 1...5, using: &rng)) }
            let customer = customers.randomElement(using: &rng) ?? customers[0]
            let currency = customer.currency
            let invoices = try issued(customer)
            let roll = Int.random(in: 0..<150, using: &rng)
            var what = ""
            func money(_ low: Int64, _ high: Int64) -> Money { Money(minorUnits: Int64.random(in: low...max(low, high), using: &rng), currency: currency) }
            switch roll {
            case 0..<18:
                what = "issue"
                let lines = try (0..<Int.random(in: 1...3, using: &rng)).map { _ in
                    InvoiceLine(title: "Service", quantity: DecimalNumber(Int.random(in: 1...3, using: &rng)),
                                unitPrice: money(100, 30_000),
                                vatRate: try Percentage(parsing: rates.randomElement(using: &rng) ?? "0", field: "VAT"))
                }
                _ = try invoicing.create(customerReference: String(customer.id), InvoiceDraft(addedLines: lines), issue: true, today: day)
            case 18..<40 where !invoices.isEmpty:
                let target = invoices.randomElement(using: &rng) ?? invoices[0]
                let open = target.open.minorUnits
                let amount = Int.random(in: 0..<4, using: &rng) == 0 ? money(1, open + 5_000) : money(1, max(1, open))
                what = "pay \(amount) on \(target.number ?? "") (\(target.status.rawValue))"
                _ = try invoicing.pay(reference: String(target.id), amount: amount, date: day, today: day)
            case 40..<48 where !invoices.isEmpty:
                let target = invoices.randomElement(using: &rng) ?? invoices[0]
                what = "cancel \(target.number ?? "") (\(target.status.rawValue))"
                if target.status == .cancelled || target.total.minorUnits - target.credited.minorUnits <= 0 {
                    // SPEC: an invoice is cancelled once; one with nothing left to credit (a 0.00 upgrade
                    // invoice) has nothing to cancel.
                    #expect(refused { _ = try invoicing.cancel(reference: String(target.id), today: day) })
                } else {
                    _ = try invoicing.cancel(reference: String(target.id), today: day)
                }
            case 48..<62 where !invoices.isEmpty:
                let target = invoices.randomElement(using: &rng) ?? invoices[0]
                let left = target.total.minorUnits - target.credited.minorUnits
                let refund = Int.random(in: 0..<3, using: &rng) == 0
                what = "credit note on \(target.number ?? "") (\(target.status.rawValue), left \(left)\(refund ? ", refund" : ""))"
                let full = try store.invoice(id: target.id)
                if target.status == .cancelled || left <= 0 {
                    #expect(refused { _ = try invoicing.creditNote(reference: String(target.id), .rest, reason: "", refund: false, today: day) })
                    break
                }
                let amount = money(1, left)
                let rest = amount.minorUnits - min(amount.minorUnits, full.open.minorUnits)
                if refund && rest == 0 {
                    // SPEC: nothing paid beyond what is due → nothing to refund.
                    #expect(refused { _ = try invoicing.creditNote(reference: String(target.id), .amount(amount), reason: "", refund: true, today: day) })
                } else {
                    _ = try invoicing.creditNote(reference: String(target.id), .amount(amount), reason: "goodwill", refund: refund, today: day)
                }
                if Int.random(in: 0..<4, using: &rng) == 0 {
                    let over = Money(minorUnits: left + 1, currency: currency)
                    #expect(refused { _ = try invoicing.creditNote(reference: String(target.id), .amount(over), reason: "", refund: false, today: day) })
                }
            case 62..<70:
                let balance = try store.creditBalance(customerID: customer.id, currency: currency).minorUnits
                if balance > 0 {
                    let amount = money(1, balance)
                    what = "refund \(amount)"
                    _ = try invoicing.refund(customerReference: String(customer.id), amount: amount, date: day, reference: "R", today: day)
                }
                what += " refund above the balance"
                // SPEC: a refund never takes the balance below zero.
                #expect(refused {
                    _ = try invoicing.refund(customerReference: String(customer.id), amount: Money(minorUnits: try store.creditBalance(customerID: customer.id, currency: currency).minorUnits + 1, currency: currency),
                                             date: day, reference: "", today: day)
                })
            case 70..<76:
                what = "plan"
                let plan = try store.bookings(customerID: customer.id, kind: .plan, productID: nil).last
                if let plan, !plan.status.isHistory {
                    what = "withdraw plan (\(plan.status.rawValue))"
                    _ = try bookings.withdraw(customerReference: String(customer.id), kind: .plan, productReference: nil, today: day)
                } else {
                    what = "activate plan"
                    _ = try bookings.activate(customerReference: String(customer.id), kind: .plan, productReference: "Pro", as: .monthly, today: day)
                }
            case 76..<100:
                let kind = Int.random(in: 0..<10, using: &rng)
                if kind < 3, let earlier = sent.randomElement(using: &rng) {
                    what = "webhook redelivery \(earlier.id)"
                    let response = try post(earlier.body, id: earlier.id)
                    #expect(response.status == 200 || response.status == 202, "\(response.bodyText)")
                } else if kind < 5, let earlier = sent.randomElement(using: &rng) {
                    what = "webhook conflict \(earlier.id)"
                    let conflicting = paymentBody(id: earlier.id, invoice: invoices.first?.number ?? "X", amount: "0.07",
                                                  currency: currency.code, paidAt: "\(day)T08:00:00Z")
                    #expect(try post(conflicting, id: earlier.id).status == 409)
                } else {
                    let id = "evt_\(step)"
                    let unknown = invoices.isEmpty || Int.random(in: 0..<8, using: &rng) == 0
                    let target = invoices.randomElement(using: &rng)
                    let number = unknown ? "NOPE-\(step)" : (target?.number ?? "")
                    let refund = !unknown && Int.random(in: 0..<4, using: &rng) == 0
                    let amount = refund ? money(1, max(1, (target?.total.minorUnits ?? 1) / 3)) : money(1, (target?.open.minorUnits ?? 0) + 3_000)
                    let body: [UInt8]
                    if refund {
                        body = Array(#"{"type":"payment.refunded","data":{"id":"\#(id)","invoice":"\#(number)","amount":"\#(amount.decimalString)","currency":"\#(currency.code)","refunded_at":"\#(day)T09:00:00Z"}}"#.utf8)
                    } else {
                        body = paymentBody(id: id, invoice: number, amount: amount.decimalString, currency: currency.code, paidAt: "\(day)T09:00:00Z")
                    }
                    what = "webhook \(refund ? "refund" : "payment") \(amount) for \(number)"
                    let response = try post(body, id: id)
                    #expect(response.status == 200 || response.status == 202, "\(what): \(response.bodyText)")
                    sent.append(Sent(id: id, body: body))
                }
            case 100..<108 where !invoices.isEmpty:
                // Edits of issued invoices (unpaid, never sent), sometimes below their prepaid amount.
                let target = invoices.randomElement(using: &rng) ?? invoices[0]
                let price = Int.random(in: 0..<2, using: &rng) == 0 ? money(1, max(1, target.prepaid.minorUnits / 2)) : money(100, 30_000)
                let line = InvoiceLine(title: "Edited", quantity: DecimalNumber(1), unitPrice: price,
                                       vatRate: try Percentage(parsing: rates.randomElement(using: &rng) ?? "0", field: "VAT"))
                what = "edit \(target.number ?? "") (\(target.status.rawValue), prepaid \(target.prepaid)) to \(price)"
                // A plan invoice's lines come from its booking (issue 17 item 12): never editable.
                let billsABooking = try !store.periods(invoiceID: target.id).isEmpty
                // A fee invoice is mailed when it is issued (with its reminder): no longer editable.
                let editable = target.status == .open && target.paid.isZero && target.credited.isZero && !billsABooking
                    && !feeInvoices.contains(target.id)
                if editable {
                    _ = try invoicing.edit(reference: String(target.id), InvoiceDraft(lines: [line]), today: day)
                } else {
                    // SPEC: an issued invoice is edited only while unpaid and never sent; refused, nothing changes.
                    #expect(refused { _ = try invoicing.edit(reference: String(target.id), InvoiceDraft(lines: [line]), today: day) })
                }
            case 108..<116:
                // A paid period invoice, cancelled: its period ends today, its money goes to credit.
                let plan = try store.bookings(customerID: customer.id, kind: .plan, productID: nil).last
                if let plan, plan.status == .active, let paying = plan.invoiceID,
                   try store.invoice(id: paying).status == .paid, try store.invoice(id: paying).creditable.minorUnits > 0 {
                    what = "cancel paid period invoice \(try store.invoiceNumber(id: paying) ?? "")"
                    _ = try invoicing.cancel(reference: String(paying), today: day)
                    #expect(try store.booking(id: plan.id).status == .expired, "\(what): the period it paid ends today")
                } else if plan == nil || plan?.status.isHistory == true {
                    what = "activate yearly"
                    let made = try bookings.activate(customerReference: String(customer.id), kind: .plan, productReference: "Pro", as: .yearly, today: day)
                    if let invoice = made.invoice, invoice.open.minorUnits > 0 {
                        _ = try invoicing.pay(reference: String(invoice.id), amount: invoice.open, date: day, today: day)
                    }
                } else {
                    what = "nothing (plan \(plan?.status.rawValue ?? "-"))"
                }
            case 116..<122:
                // Upgrades with excess credit: Pro yearly, paid, replaced by Max monthly.
                let plan = try store.bookings(customerID: customer.id, kind: .plan, productID: nil).last
                if let plan, plan.status == .active, plan.productName == "Pro", plan.cycle == .yearly {
                    what = "upgrade Pro yearly → Max monthly"
                    let made = try bookings.activate(customerReference: String(customer.id), kind: .plan, productReference: "Max", as: .monthly, today: day)
                    if let invoice = made.invoice, invoice.open.minorUnits > 0 {
                        _ = try invoicing.pay(reference: String(invoice.id), amount: invoice.open, date: day, today: day)
                    }
                } else {
                    what = "nothing (no Pro year to upgrade)"
                }
            case 122..<130 where !invoices.isEmpty:
                // Credit notes by lines: within each rate's rest and each named line, or refused unchanged.
                let target = invoices.randomElement(using: &rng) ?? invoices[0]
                let full = try store.invoice(id: target.id)
                guard let source = full.lines.randomElement(using: &rng), full.status != .cancelled else { what = "nothing"; break }
                let quantity = Int.random(in: 1...3, using: &rng)
                let price = Money(minorUnits: max(1, Int64.random(in: 1...max(1, abs(source.amount.minorUnits)), using: &rng) / Int64(quantity)),
                                  currency: currency)
                let line = InvoiceLine(title: Int.random(in: 0..<2, using: &rng) == 0 ? source.title : "Goodwill",
                                       quantity: DecimalNumber(quantity), unitPrice: price, vatRate: source.vatRate)
                what = "credit-lines \(quantity) × \(price) @\(source.vatRate) on \(target.number ?? "") (\(target.status.rawValue))"
                let before = try store.creditBalance(customerID: customer.id, currency: currency)
                do {
                    _ = try invoicing.creditNote(reference: String(target.id), .lines([line]), reason: "lines", refund: false, today: day)
                } catch is WorkflowError {
                    #expect(try store.creditBalance(customerID: customer.id, currency: currency) == before, "\(what): refused, changes nothing")
                }
                let notes = try store.creditNotes(invoiceID: target.id)
                let after = try store.invoice(id: target.id)
                let perRate = Dictionary(after.totals.vatGroups.map { ($0.rate, $0.base.minorUnits + $0.amount.minorUnits) }, uniquingKeysWith: +)
                var credited: [Percentage: Int64] = [:]
                for note in notes { for group in note.totals.vatGroups { credited[group.rate, default: 0] += group.base.minorUnits + group.amount.minorUnits } }
                for (rate, sum) in credited { #expect(sum <= max(0, perRate[rate] ?? 0), "\(what): VAT \(rate)% credited \(sum) of \(perRate[rate] ?? 0)") }
            case 130..<137 where !invoices.isEmpty:
                // A reminder with a fee: its own fee invoice; sometimes paid at once with the overdue invoice
                // as the reminder asks (open + every open fee), which settles the fees before any credit.
                let target = invoices.randomElement(using: &rng) ?? invoices[0]
                let level = Int.random(in: 2...3, using: &rng)
                // A fee invoice is never reminded itself (the run never records a reminder for one).
                guard target.status == .open || target.status == .partiallyPaid, !feeInvoices.contains(target.id) else {
                    what = "nothing (no open invoice to remind)"; break
                }
                what = "fee \(level) on \(target.number ?? "")"
                let full = try store.invoice(id: target.id)
                if let fee = try outbox.reminderFeeInvoice(level: level, of: full, store: store, today: day) { feeInvoices.insert(fee.id) }
                if Int.random(in: 0..<2, using: &rng) == 0 {
                    var toPay = try store.invoice(id: target.id).open
                    for id in try store.reminderFeeInvoiceIDs(invoiceID: target.id) {
                        let fee = try store.invoice(id: id)
                        if fee.status == .open || fee.status == .partiallyPaid { toPay = try toPay.adding(fee.open) }
                    }
                    what += ", paid \(toPay) with its fees"
                    if toPay.minorUnits > 0 { _ = try invoicing.pay(reference: String(target.id), amount: toPay, date: day, today: day) }
                    for id in try store.reminderFeeInvoiceIDs(invoiceID: target.id) {
                        #expect(try store.invoice(id: id).open.isZero, "\(what): fee invoice \(id) left open")
                    }
                }
            case 137..<141:
                // A VAT rate change (law) for the plan from a day soon; renewals from then on use it.
                let rate = try Percentage(parsing: ["8.1", "8.5", "7.7", "19", "16"].randomElement(using: &rng) ?? "8.1", field: "VAT")
                let from = day.adding(days: Int.random(in: 0...20, using: &rng))
                what = "vat \(rate)% from \(from) (\(currency.code))"
                do {
                    _ = try repricing.reprice(productReference: "Pro", currency: currency, monthly: nil, yearly: nil, existing: false,
                                              vat: rate, vatFrom: from, today: day)
                } catch is WorkflowError { what += " refused" }
            case 141..<146:
                // The scheduled run: renewals (at the VAT rate of their period), lapses, expiries and the
                // cancellation of invoices unpaid past grace.
                what = "run"
                let result = try ScheduledRun(store: store).run(today: day)
                #expect(result.errors.isEmpty, "run on \(day): \(result.errors)")
            case 146..<150:
                // `plan period --end`: longer or shorter, or refused (a next period already invoiced, an end
                // before the start) with nothing changed.
                let end = day.adding(days: Int.random(in: -10...45, using: &rng))
                what = "period --end \(end)"
                do {
                    _ = try bookings.editPeriod(customerReference: String(customer.id), kind: .plan, productReference: nil, start: nil,
                                                end: end, today: day)
                } catch is WorkflowError { what += " refused" }
            default:
                what = "nothing"
            }
            counts[String(what.prefix(while: { $0 != " " })), default: 0] += 1
            // The customer acted on after every step; everyone every 50 steps (nobody else's money may move).
            try checkIdentity(step, what, step % 50 == 49 ? customers : [customer])
        }
        // The sequence really exercised every kind of operation.
        for kind in ["issue", "pay", "cancel", "credit", "refund", "withdraw", "activate", "webhook", "edit", "credit-lines"] {
            #expect((counts[kind] ?? 0) > 10, "\(kind): \(counts)")
        }
        #expect((counts["upgrade"] ?? 0) > 3, "upgrades: \(counts)")
        for kind in ["fee", "vat", "run", "period"] {
            #expect((counts[kind] ?? 0) > 10, "\(kind): \(counts)")
        }
    }
}
