import BankFiles
import Foundation
import Billing
import Store

/// `invoice payments import FILE…`: the credit transactions of ISO 20022 bank files (camt.053
/// statements, camt.054 notifications) recorded as payments through the same path as `invoice pay`
/// (`Invoicing.recordPayment`: dated by the booking date, activating bookings, queuing the receipt,
/// money never refused), matched by QR reference, creditor reference or an invoice number in the
/// free text. All files are imported in one transaction: whole or not at all. Each transaction is
/// keyed by the bank's references, so nothing is recorded twice.
public struct BankImport {
    let store: Store
    let outbox: Outbox?

    public init(store: Store, outbox: Outbox? = nil) {
        self.store = store
        self.outbox = outbox
    }

    /// Thrown inside the transaction of a dry run, so that it rolls back.
    private struct DryRun: Error {}

    /// The largest bank file imported unless the command says otherwise (`--max-mb`): a day's
    /// camt.054 of 100,000 QR-bill payments is about 40 MB.
    public static let defaultMaxMegabytes = 100

    /// Checks every file's size (at most `maxMegabytes`), then reads and imports them all in one
    /// transaction (rolled back with `dryRun`, or when any file is refused).
    public func run(_ paths: [String], today: Day, dryRun: Bool = false,
                    maxMegabytes: Int = BankImport.defaultMaxMegabytes) throws -> BankImportSummary {
        for path in paths {
            guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber else {
                throw WorkflowError("\(path): cannot be read; nothing was imported")
            }
            if size.int64Value > Int64(maxMegabytes) * 1_000_000 {
                let shown = (Double(size.int64Value) / 100_000).rounded() / 10
                throw WorkflowError("\(path) is \(shown) MB, more than the \(maxMegabytes) MB a bank file may have (--max-mb raises it); nothing was imported")
            }
        }
        // Each file is read once, inside the transaction: a file that turns out malformed, hostile or
        // cut short at its end rolls back everything before it (reading every file twice, to check it
        // first, cost a quarter of the import's time and held no lock less).
        var summary = BankImportSummary(files: paths.count)
        do {
            try store.write {
                var matcher = try ReferenceMatcher(store: store)
                let invoicing = Invoicing(store: store, outbox: dryRun ? nil : outbox)
                for path in paths {
                    do {
                        try CamtReader(path: path).read { item in
                            try apply(item, file: path, matcher: &matcher, invoicing: invoicing, today: today, summary: &summary)
                        }
                    } catch let error as BankFileError {
                        throw WorkflowError(error.message.hasPrefix(path) ? error.message : "\(path): \(error.message)")
                    }
                }
                if dryRun { throw DryRun() }
            }
        } catch is DryRun {}
        summary.dryRun = dryRun
        return summary
    }

    private func apply(_ item: CamtReader.Item, file: String, matcher: inout ReferenceMatcher, invoicing: Invoicing,
                       today: Day, summary: inout BankImportSummary) throws {
        switch item {
        case .message(let message):
            summary.messages.append(message.description)
        case .transaction(let transaction, let entry):
            try record(transaction, of: entry, alone: false, file: file, matcher: &matcher, invoicing: invoicing,
                       today: today, summary: &summary)
        case .entryEnd(let entry, let count):
            for charge in entry.charges where charge.direction == .debit && entry.status == "BOOK" {
                summary.add(.charges, charge.amount, BankImportLine(outcome: .charges, amount: charge.amount, file: file,
                                                                   entry: entry.index, position: 0, invoice: nil,
                                                                   detail: "bank charges on entry \(entry.accountServicerReference ?? String(entry.index))"))
            }
            guard count == 0 else { return }
            var alone = BankTransaction()
            alone.unstructured = entry.additionalInfo.isEmpty ? [] : [entry.additionalInfo]
            try record(alone, of: entry, alone: true, file: file, matcher: &matcher, invoicing: invoicing,
                       today: today, summary: &summary)
        }
    }

    /// The entry's key: the account and the bank's reference for the entry.
    static func entryKey(_ entry: BankEntry, amount: Money) -> String {
        let reference = entry.accountServicerReference.map { "a:" + $0 } ?? entry.entryReference.map { "n:" + $0 }
            ?? "d:\(entry.bookingDate?.description ?? "")/\(amount)/\(entry.index)"
        return entry.account + "|" + reference
    }

    private func record(_ transaction: BankTransaction, of entry: BankEntry, alone: Bool, file: String,
                        matcher: inout ReferenceMatcher, invoicing: Invoicing, today: Day,
                        summary: inout BankImportSummary) throws {
        guard let entryAmount = entry.amount, let entryDirection = entry.direction else { return }
        func line(_ outcome: BankImportOutcome, _ amount: Money, invoice: String? = nil, _ detail: String) -> BankImportLine {
            BankImportLine(outcome: outcome, amount: amount, file: file, entry: entry.index, position: transaction.position,
                           invoice: invoice, detail: detail)
        }
        let direction = transaction.direction ?? entryDirection
        guard var amount = transaction.amount ?? (alone || transaction.position == 1 ? entryAmount : nil) else {
            throw WorkflowError("\(file): transaction \(transaction.position) of entry \(entry.index) has no amount (Amt); nothing was imported")
        }
        guard entry.status == "BOOK" else {
            summary.add(.ignored, amount, line(.ignored, amount, "not booked (status \(entry.status.isEmpty ? "none" : entry.status)): imported once it is"))
            return
        }
        guard let booked = entry.bookingDate else {
            throw WorkflowError("\(file): entry \(entry.index) is booked but has no booking date (BookgDt); nothing was imported")
        }
        for charge in transaction.charges where charge.direction == .debit {
            summary.add(.charges, charge.amount, line(.charges, charge.amount, "bank charges (the operator's cost, not the customer's)"))
            // Taken out of what the customer sent: the invoice is credited with what was paid.
            if charge.included, charge.amount.currency == amount.currency, direction == .credit, !entry.isReversal {
                amount = try amount.adding(charge.amount)
            }
        }
        let entryKey = BankImport.entryKey(entry, amount: entryAmount)
        let bankKey = entryKey + "#" + String(alone ? 0 : transaction.position)
        let transactionKey = transaction.accountServicerReference.map { entry.account + "|t:" + $0 }
        if alone, try store.bankEntryImported(entryKey: entryKey) {
            summary.add(.duplicate, amount, nil)
            return
        }
        let found = direction == .credit && !entry.isReversal ? matcher.match(transaction) : .none("", reference: "")
        let pending = BankTransactionRecord(
            bankKey: bankKey, transactionKey: transactionKey, entryKey: entryKey, account: entry.account, bookedOn: booked,
            direction: direction.rawValue, amount: amount, reference: found.reference,
            payerReferences: transaction.payerReferences.joined(separator: " "), outcome: "received",
            invoiceID: nil, customerID: nil, applied: .zero(amount.currency), credited: .zero(amount.currency),
            reversesID: nil, detail: "")
        guard let id = try store.addBankTransaction(pending) else {
            summary.add(.duplicate, amount, nil)
            return
        }
        let eventID = "bank-\(id)"
        func finish(_ outcome: BankImportOutcome, invoiceID: Int64? = nil, customerID: Int64? = nil, applied: Money? = nil,
                    credited: Money? = nil, reverses: Int64? = nil, invoice: String? = nil, _ detail: String) throws {
            try store.finishBankTransaction(id: id, outcome: outcome.rawValue, invoiceID: invoiceID, customerID: customerID,
                                            applied: applied ?? .zero(amount.currency), credited: credited ?? .zero(amount.currency),
                                            reversesID: reverses, detail: detail)
            summary.add(outcome, amount, line(outcome, amount, invoice: invoice, detail))
        }
        if direction == .debit, entry.isReversal {
            return try reverse(transaction, amount: amount, booked: booked, id: id, eventID: eventID, today: today, finish: finish)
        }
        guard direction == .credit, !entry.isReversal else {
            let fee = entry.transactionCode.split(separator: "/").contains("CHRG")
            let what = entry.isReversal ? "reversal of a debit" : fee ? "bank charges" : "debit (money out)"
            return try finish(fee ? .charges : .ignored, "\(what): reported, not recorded")
        }
        func unmatched(_ reason: String, invoice: String? = nil) throws {
            let named = invoice ?? (found.reference.isEmpty ? transaction.unstructured.first.map { String($0.prefix(100)) } ?? "" : found.reference)
            try store.addUnmatchedPayment(eventID: eventID, invoiceNumber: named, amount: amount, paidOn: booked,
                                          reason: reason + (transaction.debtorName.isEmpty ? "" : " (from \(transaction.debtorName))"))
            try finish(.unmatched, invoice: invoice, "\(reason); kept as \(eventID): invoice payments assign \(eventID) NUMBER")
        }
        guard case .invoice(let invoiceID, let number, _, _) = found else {
            if case .none(let reason, _) = found { return try unmatched(reason) }
            return
        }
        let target = try store.paymentTarget(id: invoiceID)
        guard target.currency == amount.currency else {
            return try unmatched("invoice \(number) is in \(target.currency), the payment in \(amount.currency)", invoice: number)
        }
        let wasSettled = target.status == .cancelled || target.status == .paid
        let recorded: RecordedPayment
        do {
            recorded = try store.isolated {
                try invoicing.recordPayment(reference: String(invoiceID), amount: amount, date: booked, method: "bank",
                                            paymentReference: transaction.accountServicerReference ?? found.reference,
                                            eventID: eventID, today: today)
            }
        } catch let error as WorkflowError {
            return try unmatched(error.message, invoice: number)
        } catch let error as BillingError {
            return try unmatched(error.message, invoice: number)
        }
        let outcome: BankImportOutcome = wasSettled || recorded.applied.isZero ? .credited : .matched
        var detail = "\(found.how) → \(number) \(recorded.target.status.rawValue)"
        if recorded.credited.minorUnits > 0 {
            detail += wasSettled ? " (\(target.status.rawValue) before: \(recorded.credited) to customer credit)"
                : " (overpaid: \(recorded.credited) to customer credit)"
        } else if recorded.target.status == .partiallyPaid {
            detail += " (\(recorded.target.open) still open)"
        }
        try finish(outcome, invoiceID: invoiceID, customerID: target.customerID, applied: recorded.applied,
                   credited: recorded.credited, invoice: number, detail)
    }

    /// A reversal (`RvslInd`, a debit): the bank took back a credit it had booked. The credit it names
    /// (a payer reference in common, else the same structured reference, and the same amount) is taken
    /// back: the part that paid an invoice leaves it (a negative payment; the invoice is open again,
    /// its bookings stay as they are and the reminders ask for the money), the part that went to
    /// customer credit leaves the credit. What cannot be taken back that way is kept for the operator.
    private func reverse(_ transaction: BankTransaction, amount: Money, booked: Day, id: Int64, eventID: String, today: Day,
                         finish: (BankImportOutcome, Int64?, Int64?, Money?, Money?, Int64?, String?, String) throws -> Void) throws {
        let reference = ReferenceMatcher.structuredReference(transaction) ?? ""
        func operatorNeeded(_ reason: String, original: Int64? = nil) throws {
            try store.addUnmatchedPayment(eventID: eventID, invoiceNumber: reference, amount: -amount, paidOn: booked,
                                          reason: "bank reversal: \(reason)")
            try finish(.unmatched, nil, nil, nil, nil, original, nil,
                       "reversal: \(reason); kept as \(eventID) for the operator (invoice payments unmatched)")
        }
        guard let original = try store.reversibleBankCredit(amount: amount, payerReferences: transaction.payerReferences,
                                                            reference: reference) else {
            return try operatorNeeded("names no imported payment of \(amount)")
        }
        let originalEvent = "bank-\(original.id)"
        switch original.outcome {
        case "unmatched":
            guard try store.removeUnassignedUnmatched(eventID: originalEvent) else {
                return try operatorNeeded("\(originalEvent) was assigned to an invoice meanwhile", original: original.id)
            }
            _ = try store.markBankTransactionReversed(id: original.id)
            try finish(.reversed, nil, nil, nil, nil, original.id, nil, "reverses unmatched \(originalEvent), which is no longer waiting")
        default:
            guard let invoiceID = original.invoiceID, let customerID = original.customerID else {
                return try operatorNeeded("the payment it names was not recorded on an invoice", original: original.id)
            }
            var target = try store.paymentTarget(id: invoiceID)
            let number = target.number ?? String(invoiceID)
            if original.credited.minorUnits > 0 {
                let balance = try store.creditBalance(customerID: customerID, currency: amount.currency)
                guard balance >= original.credited else {
                    return try operatorNeeded("\(original.credited) of it went to customer credit, which is used up (\(balance) left)", original: original.id)
                }
            }
            let payable: Set<InvoiceStatus> = [.paid, .partiallyPaid, .open]
            if original.applied.minorUnits > 0, !payable.contains(target.status) {
                return try operatorNeeded("invoice \(number) is \(target.status.rawValue) now", original: original.id)
            }
            // The payment row holds all of the money (the surplus too, as `recordPayment` wrote it).
            let whole = original.applied + original.credited
            try store.addReversal(Payment(amount: -whole, date: booked, method: "bank reversal",
                                          reference: transaction.returnReason.isEmpty ? originalEvent : "\(originalEvent) \(transaction.returnReason)"),
                                  invoiceID: invoiceID, eventID: eventID)
            target.paid = target.paid - whole
            if payable.contains(target.status) {
                target.status = .open
                if target.open.isZero { target.status = .paid } else if target.paid.minorUnits > 0 { target.status = .partiallyPaid }
            }
            try store.recordPaid(invoiceID: invoiceID, paid: target.paid, status: target.status)
            if original.credited.minorUnits > 0 {
                try store.addCredit(customerID: customerID, amount: -original.credited,
                                    reason: "bank reversal of \(originalEvent) (invoice \(number))", invoiceID: invoiceID, date: booked)
            }
            guard try store.markBankTransactionReversed(id: original.id) else {
                return try operatorNeeded("\(originalEvent) was reversed already", original: original.id)
            }
            try finish(.reversed, invoiceID, customerID, original.applied, original.credited, original.id, number,
                       "reverses \(originalEvent): \(number) \(target.status.rawValue) again"
                       + (original.applied.isZero ? "" : ", \(target.open) open")
                       + (transaction.returnReason.isEmpty ? "" : " (return reason \(transaction.returnReason))"))
        }
    }
}

/// Owns or uses a database connection that belongs to one thread of work.
@available(*, unavailable)
extension BankImport: Sendable {}
