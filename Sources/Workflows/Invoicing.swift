import Billing
import Store

/// The invoice actions of the billing desk: add, edit, issue, delete, cancel, pay.
///
/// Each action is one write transaction: it lands whole or not at all.
public struct Invoicing {
    let store: Store
    let watcher: PaidStatusWatcher

    public init(store: Store, outbox: Outbox? = nil) {
        self.store = store
        watcher = PaidStatusWatcher(store: store, outbox: outbox)
    }

    /// Adds a draft for a customer; with `issue` it is numbered at once.
    public func create(customerReference: String, _ draft: InvoiceDraft, issue: Bool, today: Day) throws -> Invoice {
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
            if issue { try self.issue(&invoice, today: today, operator: op) }
            return invoice
        }
    }

    private func apply(_ draft: InvoiceDraft, to invoice: inout Invoice, customer: Customer) throws {
        if let title = draft.title { invoice.title = title }
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
    public func edit(reference: String, _ draft: InvoiceDraft) throws -> Invoice {
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
            if invoice.status == .open, invoice.sentAt != nil {
                throw WorkflowError("invoice \(name) was sent and cannot be edited; cancel it (invoice cancel \(name)) and issue a new one")
            }
            let customer = try store.customer(id: invoice.customerID)
            try apply(draft, to: &invoice, customer: customer)
            if let problem = invoice.vatCategoryProblem(seller: try store.loadOperator(), buyer: customer) {
                throw WorkflowError(problem)
            }
            invoice = try invoice.validated()
            if invoice.status.isIssued { try checkIssuable(invoice) }
            try store.updateInvoice(invoice)
            if invoice.status.isIssued {
                try store.recordBilledTo(invoiceID: invoice.id, customer: customer,
                                         addressee: try invoice.userID.map { try store.user(id: $0) })
            }
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
    public func issue(reference: String, today: Day) throws -> Invoice {
        try store.write { try issue(invoiceID: try store.invoice(reference: reference).id, today: today) }
    }

    func issue(invoiceID: Int64, today: Day) throws -> Invoice {
        try store.write {
            var invoice = try store.invoice(id: invoiceID)
            try issue(&invoice, today: today, operator: try store.loadOperator())
            return invoice
        }
    }

    /// Issues a draft already loaded in this transaction.
    func issue(_ invoice: inout Invoice, today: Day, operator op: Operator) throws {
        try store.write {
            guard invoice.status == .draft else {
                throw WorkflowError("invoice \(invoice.number ?? String(invoice.id)) is already issued")
            }
            try checkIssuable(invoice)
            if let problem = invoice.vatCategoryProblem(seller: op, buyer: try store.customer(id: invoice.customerID)) {
                throw WorkflowError(problem)
            }
            var linesChanged = false
            let credit = try store.creditBalance(customerID: invoice.customerID, currency: invoice.currency)
            let gross = invoice.totals.gross
            if credit.minorUnits > 0 && gross.minorUnits > 0 {
                let used = min(credit, gross)
                invoice.lines.append(InvoiceLine(
                    title: Labels.creditLine(invoice.language), quantity: DecimalNumber(1), unitPrice: -used,
                    vatRate: .zero))
                linesChanged = true
                try store.addCredit(customerID: invoice.customerID, amount: -used,
                                    reason: "consumed by invoice", invoiceID: invoice.id, date: today)
            }
            let sequence = try store.nextSequence(scope: op.numberFormat.counterScope(on: today))
            #if DEBUG
            FaultPoint.afterNumberDrawn.reach()
            #endif
            invoice.number = op.numberFormat.number(sequence: sequence, on: today)
            invoice.issueDate = today
            invoice.dueDate = op.dueDate(issuedOn: today)
            invoice.status = invoice.totals.payable.isZero ? .paid : .open
            try store.updateInvoice(invoice, linesChanged: linesChanged)
            try store.recordBilledTo(invoiceID: invoice.id, customer: try store.customer(id: invoice.customerID),
                                     addressee: try invoice.userID.map { try store.user(id: $0) })
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

    /// Cancels an issued, not fully paid invoice; money already received goes to the customer's credit.
    public func cancel(reference: String, today: Day) throws -> Invoice {
        try store.write {
            var invoice = try store.invoice(reference: reference)
            let name = invoice.number ?? String(invoice.id)
            switch invoice.status {
            case .draft: throw WorkflowError("invoice \(name) is a draft; delete it instead: invoice delete \(invoice.id)")
            case .cancelled: throw WorkflowError("invoice \(name) is already cancelled")
            case .paid: throw WorkflowError("invoice \(name) is paid and cannot be cancelled; record a refund or credit outside this invoice")
            case .open, .partiallyPaid: break
            }
            let consumed = try store.creditConsumed(invoiceID: invoice.id)
            if consumed.minorUnits > 0 {
                try store.addCredit(customerID: invoice.customerID, amount: consumed,
                                    reason: "credit restored: invoice \(name) cancelled", invoiceID: invoice.id, date: today)
            }
            if invoice.paid.minorUnits > 0 {
                try store.addCredit(customerID: invoice.customerID, amount: invoice.paid,
                                    reason: "payments of cancelled invoice \(name)", invoiceID: invoice.id, date: today)
            }
            invoice.status = .cancelled
            try store.updateInvoice(invoice, linesChanged: false)
            try watcher.invoiceWasCancelled(invoice, on: today)
            return invoice
        }
    }

    /// Records a payment. A surplus over the open amount becomes the customer's credit balance;
    /// when the invoice becomes paid the watcher activates what it pays for, in this transaction.
    /// Returns the invoice as it is afterwards (with all its payments).
    @discardableResult
    public func pay(reference: String, amount: Money, date: Day, method: String = "", paymentReference: String = "",
                    eventID: String? = nil) throws -> Invoice {
        try store.write {
            let target = try recordPayment(reference: reference, amount: amount, date: date, method: method,
                                           paymentReference: paymentReference, eventID: eventID)
            return try store.invoice(id: target.id)
        }
    }

    /// `pay` without loading the invoice's lines and payments: it reads and writes the invoice's row
    /// (payable total, sum paid, status) and adds the payment, so its cost does not grow with the
    /// payments an invoice has collected (webhooks). Returns the invoice's state afterwards; a
    /// payment whose `eventID` is already recorded changes nothing.
    @discardableResult
    public func recordPayment(reference: String, amount: Money, date: Day, method: String = "",
                              paymentReference: String = "", eventID: String? = nil) throws -> PaymentTarget {
        try store.write {
            var target = try store.paymentTarget(reference: reference)
            let name = target.number ?? String(target.id)
            guard amount.currency == target.currency else {
                throw WorkflowError("invoice \(name) is in \(target.currency), the payment in \(amount.currency)")
            }
            guard amount.minorUnits > 0 else { throw WorkflowError("a payment must be more than zero") }
            switch target.status {
            case .draft: throw WorkflowError("invoice \(target.id) is a draft; issue it before recording payments")
            case .cancelled: throw WorkflowError("invoice \(name) is cancelled and cannot be paid")
            case .paid: throw WorkflowError("invoice \(name) is already paid")
            case .open, .partiallyPaid: break
            }
            let method = try TextField.singleLine(method, field: "payment method", maxLength: 60)
            let paymentReference = try TextField.singleLine(paymentReference, field: "payment reference", maxLength: 140)
            let openBefore = target.open
            let payment = Payment(amount: amount, date: date, method: method, reference: paymentReference)
            guard try store.addPayment(payment, invoiceID: target.id, eventID: eventID) else { return target }
            if amount > openBefore {
                try store.addCredit(customerID: target.customerID, amount: amount - openBefore,
                                    reason: "overpayment of invoice \(name)", invoiceID: target.id, date: date)
            }
            target.paid = target.paid + amount
            target.status = target.open.isZero ? .paid : .partiallyPaid
            try store.recordPaid(invoiceID: target.id, paid: target.paid, status: target.status)
            if target.status == .paid {
                // Once per invoice: the watcher and the receipt need the whole invoice, this payment last.
                var invoice = try store.invoice(id: target.id)
                if let index = invoice.payments.lastIndex(of: payment) {
                    invoice.payments.append(invoice.payments.remove(at: index))
                }
                try watcher.invoiceBecamePaid(invoice, on: date)
            }
            return target
        }
    }
}

/// Owns or uses a database connection (or a libcurl handle) that belongs to one thread of work.
@available(*, unavailable)
extension Invoicing: Sendable {}
