import Billing
import Store

/// The invoice actions of the billing desk: add, edit, issue, delete, cancel, pay.
///
/// Each action is one write transaction: it lands whole or not at all.
public struct Invoicing {
    let store: Store
    var watcher: PaidStatusWatcher

    public init(store: Store, outbox: Outbox? = nil) {
        self.store = store
        watcher = PaidStatusWatcher(store: store, outbox: outbox)
    }

    /// Adds a draft for a customer; with `issue` it is numbered at once. `noMail` opts it out of the
    /// scheduled run's mailing (`--no-mail`: the operator delivers it another way).
    public func create(customerReference: String, _ draft: InvoiceDraft, issue: Bool, today: Day,
                       noMail: Bool = false) throws -> Invoice {
        try store.write {
            let customer = try store.customer(reference: customerReference)
            guard customer.isActive else { throw WorkflowError("customer \(customer.id) (\(customer.company)) is inactive") }
            let op = try store.loadOperator()
            var invoice = Invoice(customerID: customer.id, currency: customer.currency,
                                  language: draft.language ?? customer.language,
                                  cashRoundingIncrement: op.cashRoundingIncrement(for: customer.currency))
            try apply(draft, to: &invoice, customer: customer)
            if let problem = invoice.vatCategoryProblem(seller: op, buyer: customer) { throw WorkflowError(problem) }
            invoice = try store.insertInvoice(try invoice.validated())
            if noMail { try store.setNoMail(invoiceID: invoice.id, true) }
            if issue { try self.issue(&invoice, today: today, operator: op) }
            return invoice
        }
    }

    private func apply(_ draft: InvoiceDraft, to invoice: inout Invoice, customer: Customer) throws {
        if let title = draft.title { invoice.title = title }
        if let order = draft.purchaseOrder {
            invoice.purchaseOrder = try TextField.singleLine(order, field: "purchase order", maxLength: 100)
        }
        if let notes = draft.notes { invoice.notes = notes }
        if let mode = draft.taxMode {
            invoice.taxMode = mode
            if draft.vatCategory == nil { invoice.vatCategory = nil }
        }
        if let language = draft.language { invoice.language = language }
        try applyVATCategory(draft, to: &invoice)
        if let userID = draft.userID {
            let user = try store.user(id: userID)
            guard user.customerID == customer.id else {
                throw WorkflowError("user \(userID) belongs to another customer, not to \(customer.company)")
            }
            invoice.userID = userID
        }
        if let lines = draft.lines { invoice.lines = lines }
        invoice.lines += draft.addedLines
    }

    /// `--tax-category CODE [--exemption-reason TEXT]`: S and Z tax by rate (an exempt invoice becomes net);
    /// E, AE, K, G and O charge nothing and carry their reason as the exemption note: the one given, else the
    /// `--exempt` note, the invoice's current note, or the law's wording for AE and K.
    private func applyVATCategory(_ draft: InvoiceDraft, to invoice: inout Invoice) throws {
        guard let category = draft.vatCategory else {
            if let reason = draft.exemptionReason {
                guard case .exempt = invoice.taxMode else {
                    throw WorkflowError("--exemption-reason needs a tax category without VAT (--tax-category E, AE, K, G or O)")
                }
                invoice.taxMode = .exempt(note: reason)
            }
            return
        }
        invoice.vatCategory = category
        if category.chargesByRate {
            guard draft.exemptionReason == nil else {
                throw WorkflowError("tax category \(category.code) charges VAT and takes no --exemption-reason")
            }
            if case .exempt = invoice.taxMode { invoice.taxMode = .net }
            return
        }
        var current: String? = nil
        if case .exempt(let note) = invoice.taxMode, !note.isEmpty { current = note }
        guard let reason = draft.exemptionReason ?? current ?? category.defaultReason(invoice.language) else {
            throw WorkflowError("tax category \(category.code) needs its reason: add --exemption-reason TEXT (e.g. the law's article)")
        }
        invoice.taxMode = .exempt(note: reason)
    }

    /// Edits a draft freely; an issued invoice only while unpaid and never sent.
    ///
    /// The prepaid amount (customer credit applied at issue) follows the total: edited below it, the
    /// invoice keeps only its new gross as prepaid and the rest goes back to the customer's credit
    /// ledger on `today`, so no money is lost; an invoice the credit now covers is paid (Stripe and Lago
    /// likewise never let applied balance exceed an invoice's total).
    public func edit(reference: String, _ draft: InvoiceDraft, today: Day) throws -> Invoice {
        try store.write {
            var invoice = try store.invoice(reference: reference)
            let name = invoice.number ?? "draft \(invoice.id)"
            switch invoice.status {
            case .draft: break
            case .open where invoice.sentAt == nil && invoice.payments.isEmpty: break
            case .cancelled: throw WorkflowError("invoice \(name) is cancelled and cannot be edited")
            default:
                let why = invoice.payments.isEmpty ? "was sent" : "has payments"
                throw WorkflowError("invoice \(name) \(why) and cannot be edited; cancel it (invoice cancel \(name)) and issue a new one")
            }
            // Its credit notes credit these lines and rates: changing them would unbalance what was credited.
            if invoice.status == .open, !invoice.credited.isZero {
                throw WorkflowError("invoice \(name) has credit notes and cannot be edited; cancel it (invoice cancel \(name)) and issue a new one")
            }
            if invoice.status == .open, invoice.sentAt != nil {
                throw WorkflowError("invoice \(name) was sent and cannot be edited; cancel it (invoice cancel \(name)) and issue a new one")
            }
            // Its mail is written when queued: an edit now would send the customer the old document.
            if invoice.status == .open, let state = try store.documentMailState(invoiceID: invoice.id),
               [.queued, .sending, .deferred, .sent].contains(state) {
                throw WorkflowError("invoice \(name) is queued for mail and cannot be edited; cancel it (invoice cancel \(name)) and issue a new one")
            }
            let customer = try store.customer(id: invoice.customerID)
            let billed = (lines: invoice.lines, taxMode: invoice.taxMode)
            try apply(draft, to: &invoice, customer: customer)
            // A plan or module invoice pays for a booking period: its lines are the booking's price, and
            // paying it activates the period whatever the lines say, so they are not the operator's to edit.
            if invoice.lines != billed.lines || invoice.taxMode != billed.taxMode,
               let period = try store.periods(invoiceID: invoice.id).first(where: { $0.state != .void }) {
                let booking = try store.booking(id: period.bookingID)
                throw WorkflowError("invoice \(name) bills the \(booking.productName) \(booking.kind.rawValue) (\(booking.cycle.rawValue)); its lines and tax mode come from the booking and cannot be edited; cancel it (invoice cancel \(name)) to bill something else, or move the price with catalog reprice")
            }
            if let problem = invoice.vatCategoryProblem(seller: try store.loadOperator(), buyer: customer) {
                throw WorkflowError(problem)
            }
            invoice = try invoice.validated()
            if invoice.status.isIssued { try checkIssuable(invoice) }
            let gross = invoice.totals.gross
            if invoice.status.isIssued, invoice.prepaid > gross {
                let back = invoice.prepaid - max(gross, .zero(invoice.currency))
                invoice.prepaid = invoice.prepaid - back
                try store.addCredit(customerID: invoice.customerID, amount: back,
                                    reason: "invoice \(name) edited to \(invoice.totals.payable.decimalString): prepaid credit returned",
                                    invoiceID: invoice.id, date: today)
            }
            let becamePaid = invoice.status == .open && invoice.owed.minorUnits <= 0
            if becamePaid { invoice.status = .paid }
            try store.updateInvoice(invoice)
            if invoice.status.isIssued {
                try store.recordBilledTo(invoiceID: invoice.id, customer: customer,
                                         addressee: try invoice.userID.map { try store.user(id: $0) })
            }
            if becamePaid { try watcher.invoiceBecamePaid(invoice, on: today) }
            return invoice
        }
    }

    private func checkIssuable(_ invoice: Invoice) throws {
        guard !invoice.lines.isEmpty else { throw WorkflowError("an invoice needs at least one line to be issued") }
        guard invoice.totals.payable.minorUnits >= 0 else {
            throw WorkflowError("the invoice total \(invoice.totals.payable.decimalString) is negative; an invoice cannot be negative")
        }
    }

    /// Numbers a draft from the gapless counter, dates it, consumes the customer's credit balance,
    /// and opens it, in one transaction.
    @discardableResult
    public func issue(reference: String, today: Day, noMail: Bool = false) throws -> Invoice {
        try store.write {
            let id = try store.invoice(reference: reference).id
            if noMail { try store.setNoMail(invoiceID: id, true) }
            return try issue(invoiceID: id, today: today)
        }
    }

    func issue(invoiceID: Int64, today: Day) throws -> Invoice {
        try store.write {
            var invoice = try store.invoice(id: invoiceID)
            try issue(&invoice, today: today, operator: try store.loadOperator())
            return invoice
        }
    }

    /// Issues a draft already loaded in this transaction. The customer's credit balance in the
    /// invoice's currency is applied as a prepaid amount (BT-113), up to the gross total: lines, net,
    /// VAT and total stay as they are, the amount due drops.
    func issue(_ invoice: inout Invoice, today: Day, operator op: Operator) throws {
        try store.write {
            guard invoice.status == .draft else {
                throw WorkflowError("invoice \(invoice.number ?? String(invoice.id)) is already issued", conflict: true)
            }
            try checkIssuable(invoice)
            let buyer = try store.customer(id: invoice.customerID)
            if let problem = invoice.vatCategoryProblem(seller: op, buyer: buyer) {
                throw WorkflowError(problem)
            }
            if let problem = try EInvoicing.issueProblem(seller: op, customer: buyer) { throw WorkflowError(problem) }
            let scope = op.numberFormat.counterScope(on: today)
            if let later = try store.claimIssueDate(today, series: scope, kind: .invoice,
                                                    year: op.numberFormat.resetsYearly ? today.year : nil) {
                throw WorkflowError("cannot issue on \(today): invoice numbers follow their dates, and \(op.numberFormat.pattern) has an invoice issued on \(later); issue on \(later) or later")
            }
            let sequence = try store.nextSequence(scope: scope)
            #if DEBUG
            FaultPoint.afterNumberDrawn.reach()
            #endif
            let number = op.numberFormat.number(sequence: sequence, on: today)
            invoice.number = number
            invoice.issueDate = today
            invoice.dueDate = op.dueDate(issuedOn: today)
            let credit = try store.creditBalance(customerID: invoice.customerID, currency: invoice.currency)
            let gross = invoice.totals.gross
            if credit.minorUnits > 0 && gross.minorUnits > 0 {
                let used = min(credit, gross)
                invoice.prepaid = used
                try store.addCredit(customerID: invoice.customerID, amount: -used,
                                    reason: "applied to invoice \(number) (prepaid)", invoiceID: invoice.id, date: today)
            }
            invoice.status = invoice.owed.minorUnits > 0 ? .open : .paid
            try store.updateInvoice(invoice, linesChanged: false)
            try store.recordBilledTo(invoiceID: invoice.id, customer: try store.customer(id: invoice.customerID),
                                     addressee: try invoice.userID.map { try store.user(id: $0) })
            try store.recordSoldBy(invoiceID: invoice.id, seller: op)
            try EventLog(store: store).invoice(.invoiceIssued, id: invoice.id, today: today)
            if invoice.status == .paid { try watcher.invoiceBecamePaid(invoice, on: today) }
        }
    }

    /// Deletes a draft; issued invoices are accounting records and are cancelled instead.
    public func delete(reference: String) throws -> Invoice {
        try store.write {
            let invoice = try store.invoice(reference: reference)
            guard invoice.status == .draft else {
                let name = invoice.number ?? String(invoice.id)
                throw WorkflowError("invoice \(name) is issued and cannot be deleted (numbers must have no gaps); cancel it instead: invoice cancel \(name)")
            }
            try store.deleteInvoice(id: invoice.id)
            return invoice
        }
    }

    /// Cancels an issued invoice by issuing a credit note for all that is left to credit: what was
    /// still due is no longer owed; what was paid or prepaid goes to the customer's credit.
    public func cancel(reference: String, today: Day, noMail: Bool = false) throws -> CreditNoteOutcome {
        try store.write {
            let invoice = try store.invoice(reference: reference)
            let name = invoice.number ?? String(invoice.id)
            guard invoice.kind == .invoice else { throw WorkflowError("\(name) is a credit note; credit notes are not cancelled") }
            switch invoice.status {
            case .draft: throw WorkflowError("invoice \(name) is a draft; delete it instead: invoice delete \(invoice.id)", conflict: true)
            case .cancelled: throw WorkflowError("invoice \(name) is already cancelled", conflict: true)
            default: break
            }
            return try creditNote(reference: String(invoice.id), .rest, reason: Labels.cancellationReason(invoice.language),
                                  refund: false, today: today, noMail: noMail)
        }
    }

    /// Records a payment; money is never refused. Up to the open amount it pays the invoice; a
    /// surplus, or a payment for a cancelled or already paid invoice, becomes the customer's credit
    /// balance. When the invoice becomes paid the watcher activates what it pays for and queues the
    /// receipt, in this transaction. The date must be a real day between the issue date minus a year
    /// and tomorrow (`today` is the day the payment is recorded; the date itself by default).
    /// Returns the invoice as it is afterwards (with all its payments).
    ///
    /// A full disk refuses the payment as a whole; when the receipt's mail file may be what did not fit,
    /// the payment is recorded once more without it (the receipt waits as pending, `invoice run` queues
    /// it), because a failure to queue a receipt never fails the payment.
    @discardableResult
    public func pay(reference: String, amount: Money, date: Day, method: String = "", paymentReference: String = "",
                    eventID: String? = nil, today: Day? = nil) throws -> PaymentOutcome {
        do {
            return try payOnce(reference: reference, amount: amount, date: date, method: method,
                               paymentReference: paymentReference, eventID: eventID, today: today)
        } catch let error as StoreError where error.kind == .diskFull && !store.isWriting && watcher.outbox != nil {
            var deferring = self
            deferring.watcher.receiptDeferral = DiskSpace.fullMessage(near: store.path)
            var outcome = try deferring.payOnce(reference: reference, amount: amount, date: date, method: method,
                                                paymentReference: paymentReference, eventID: eventID, today: today)
            if outcome.invoice.status == .paid { outcome.receiptDeferred = deferring.watcher.receiptDeferral }
            return outcome
        }
    }

    private func payOnce(reference: String, amount: Money, date: Day, method: String, paymentReference: String,
                         eventID: String?, today: Day?) throws -> PaymentOutcome {
        try store.write {
            let recorded = try recordPayment(reference: reference, amount: amount, date: date, method: method,
                                             paymentReference: paymentReference, eventID: eventID, today: today)
            return PaymentOutcome(invoice: try store.invoice(id: recorded.target.id), applied: recorded.applied,
                                  credited: recorded.credited, duplicate: recorded.duplicate)
        }
    }

    /// `pay` without loading the invoice's lines and payments: it reads and writes the invoice's row
    /// (payable total, prepaid, credited, sum paid, status) and adds the payment, so its cost does not
    /// grow with the payments an invoice has collected (webhooks). A payment whose `eventID` is already
    /// recorded changes nothing.
    @discardableResult
    public func recordPayment(reference: String, amount: Money, date: Day, method: String = "",
                              paymentReference: String = "", eventID: String? = nil,
                              today: Day? = nil) throws -> RecordedPayment {
        try store.write {
            var target = try store.paymentTarget(reference: reference)
            let name = target.number ?? String(target.id)
            guard target.kind == .invoice else {
                throw WorkflowError("\(name) is a credit note; payments go to the invoice it credits")
            }
            guard amount.currency == target.currency else {
                throw WorkflowError("invoice \(name) is in \(target.currency), the payment in \(amount.currency)")
            }
            guard amount.minorUnits > 0 else { throw WorkflowError("a payment must be more than zero") }
            guard target.status != .draft, let issued = target.issueDate else {
                throw WorkflowError("invoice \(target.id) is a draft; issue it before recording payments", conflict: true)
            }
            try Invoicing.checkPaymentDate(date, issued: issued, today: today ?? date)
            let method = try TextField.singleLine(method, field: "payment method", maxLength: 60)
            let paymentReference = try TextField.singleLine(paymentReference, field: "payment reference", maxLength: 140)
            let statusBefore = target.status
            let openBefore = target.open
            let paidAfter = try target.paid.adding(amount)  // before anything is written: the poison pill of issue 24
            let payment = Payment(amount: amount, date: date, method: method, reference: paymentReference)
            guard try store.addPayment(payment, invoiceID: target.id, eventID: eventID) else {
                return RecordedPayment(target: target, applied: .zero(amount.currency), credited: .zero(amount.currency),
                                       duplicate: true)
            }
            let applied = min(amount, openBefore)
            let surplus = amount - applied
            if surplus.minorUnits > 0 {
                let reason: String
                switch statusBefore {
                case .cancelled: reason = "payment for cancelled invoice \(name)"
                case .paid: reason = "payment for invoice \(name), which was already paid"
                default: reason = "overpayment of invoice \(name)"
                }
                try store.addCredit(customerID: target.customerID, amount: surplus, reason: reason, invoiceID: target.id, date: date)
                // Beyond the invoice, the money first settles the fees its reminders billed (README).
                try settleReminderFees(of: target.id, number: name, from: surplus, date: date, today: today ?? date)
            }
            target.paid = paidAfter
            if statusBefore == .open || statusBefore == .partiallyPaid {
                target.status = target.open.isZero ? .paid : .partiallyPaid
            }
            try store.recordPaid(invoiceID: target.id, paid: target.paid, status: target.status)
            try EventLog(store: store).paymentReceived(invoiceID: target.id, payment: payment, today: today ?? date)
            if statusBefore != .paid, target.status == .paid {
                // Once per invoice: the watcher and the receipt need the whole invoice, this payment last.
                var invoice = try store.invoice(id: target.id)
                if let index = invoice.payments.lastIndex(of: payment) {
                    invoice.payments.append(invoice.payments.remove(at: index))
                }
                try watcher.invoiceBecamePaid(invoice, on: date, recordedOn: today ?? date)
                try waiveUnsentReminderFees(of: target.id, today: today ?? date)
            }
            return RecordedPayment(target: target, applied: applied, credited: surplus, duplicate: false)
        }
    }

    /// A payment date is a real day between the invoice's issue date minus a year and tomorrow.
    public static func checkPaymentDate(_ date: Day, issued: Day, today: Day) throws {
        let earliest = issued.adding(years: -1), latest = today.adding(days: 1)
        guard date >= earliest, date <= latest else {
            throw WorkflowError("payment date \(date) is outside \(earliest) … \(latest) (the issue date minus a year to tomorrow)")
        }
    }
}

/// What recording a payment did, read from the invoice's row (see `Invoicing.recordPayment`).
public struct RecordedPayment: Sendable, Hashable {
    public let target: PaymentTarget
    /// The part that paid the invoice.
    public let applied: Money
    /// The part that went to the customer's credit (overpayment, or a cancelled or paid invoice).
    public let credited: Money
    /// A provider's redelivery: nothing was recorded.
    public let duplicate: Bool
}

/// What recording a payment did.
public struct PaymentOutcome: Sendable, Hashable {
    public let invoice: Invoice
    /// The part that paid the invoice.
    public let applied: Money
    /// The part that went to the customer's credit (overpayment, or a cancelled or paid invoice).
    public let credited: Money
    /// A provider's redelivery: nothing was recorded.
    public let duplicate: Bool
    /// Why the receipt was not queued with the payment (a full disk); `invoice run` queues it later.
    public var receiptDeferred: String? = nil
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Invoicing: Sendable {}
