import Billing
import Documents
import EInvoice
import Foundation
import Mail
import Store

/// Queues mail: renders the message, writes its exact bytes into the Outbox directory under a
/// temporary name (`.tmp-…`, fsync), adds the queue row, and renames the file to its final name only
/// once the transaction commits; a rollback removes it. A crash leaves a committed row whose file is
/// still temporary (the reader and the sweep finish the rename) or a temporary file with no row (the
/// sweep removes it once it is older than the lease): never a visible message nothing refers to.
public struct Outbox: Sendable {
    public let directory: URL
    public let renderer: DocumentRenderer
    public let clock: QueueClock

    public init(directory: URL, renderer: DocumentRenderer, clock: QueueClock) {
        self.directory = directory
        self.renderer = renderer
        self.clock = clock
    }

    /// `INVOICE_OUTBOX`, else `Outbox/` beside the database file.
    public static func defaultDirectory(databasePath: String) -> URL {
        if let path = ProcessInfo.processInfo.environment["INVOICE_OUTBOX"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        // A PostgreSQL database has no folder of its own: the current directory's Outbox.
        if Store.isPostgres(databasePath) { return URL(fileURLWithPath: "Outbox") }
        return URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("Outbox")
    }

    public enum Kind: Sendable, Hashable {
        case invoice
        case reminder(level: Int)
        case receipt
        case creditNote

        var name: String {
            switch self {
            case .creditNote: "credit_note"
            case .invoice: "invoice"
            case .reminder(let level): "reminder-\(level)"
            case .receipt: "receipt"
            }
        }
    }

    /// Queues one mail about `invoice` unless one with `key` exists; returns the row, or nil if it existed.
    @discardableResult
    public func queue(_ kind: Kind, invoice: Invoice, store: Store, key: String, today: Day,
                      payment: Payment? = nil) throws -> QueuedMail? {
        if try store.mailExists(idempotencyKey: key) { return nil }
        let message = try compose(kind, invoice: invoice, store: store, today: today, payment: payment, key: key)
        let bytes: Data
        switch Result(catching: { () throws(MailError) -> Data in try message.rendered() }) {
        case .success(let data): bytes = data
        case .failure(let error): throw WorkflowError("cannot build the mail for invoice \(invoice.number ?? String(invoice.id)): \(error)")
        }
        let file = try write(bytes, name: key)
        let temporary = directory.appendingPathComponent(Outbox.temporaryPrefix + file)
        do {
            let row = QueuedMail(idempotencyKey: key, kind: kind.name, invoiceID: invoice.id, sender: message.from.address,
                                 recipient: message.recipients.joined(separator: ","), subject: message.subject, file: file,
                                 messageID: message.messageID.description, size: Int64(bytes.count), nextAttemptAt: clock.now)
            // On PostgreSQL the bytes also go into the database in this transaction (every host's mailing
            // run reads them from there); the file stays as this host's copy.
            guard let queued = try store.enqueueMail(row, body: store.keepsMailBodies ? [UInt8](bytes) : nil) else {
                try? FileManager.default.removeItem(at: temporary)
                return nil
            }
            let directory = self.directory
            store.whenCompleted(committed: {
                #if DEBUG
                FaultPoint.mailCommittedBeforeRename.reach()
                #endif
                Outbox.publish(file, in: directory)
            }, rolledBack: { try? FileManager.default.removeItem(at: temporary) })
            #if DEBUG
            FaultPoint.mailQueuedBeforeCommit.reach()
            #endif
            return queued
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    /// The prefix of a message file whose transaction has not committed (or whose rename was cut short).
    public static let temporaryPrefix = ".tmp-"

    /// Gives a committed message its final name (durably: the folder is synced).
    static func publish(_ file: String, in directory: URL) {
        let temporary = directory.appendingPathComponent(temporaryPrefix + file).path
        guard rename(temporary, directory.appendingPathComponent(file).path) == 0 else { return }
        let dirFD = open(directory.path, O_RDONLY)
        if dirFD >= 0 { fsync(dirFD); close(dirFD) }
    }

    func compose(_ kind: Kind, invoice: Invoice, store: Store, today: Day, payment: Payment?, key: String) throws -> MailMessage {
        // The mail comes from today's sender address; the document shows the seller frozen at issue.
        let sender = try store.loadOperator()
        let seller = try store.seller(for: invoice)
        guard !sender.email.isEmpty else {
            throw WorkflowError("the operator has no email address to send from; set one: invoice settings set email billing@example.com")
        }
        // The document shows whom the invoice was made out to; the mail goes to today's billing address.
        let (billed, addressee) = try store.billedTo(invoice)
        let customer = try store.customer(id: invoice.customerID)
        let document = InvoiceDocument(invoice: invoice, customer: billed, addressee: addressee, seller: seller,
                                       creationDate: Date())
        let emailKind: InvoiceEmailKind
        switch kind {
        case .invoice: emailKind = .invoice
        case .reminder(let level): emailKind = .reminder(level: level)
        case .receipt: emailKind = .receipt
        case .creditNote: emailKind = .creditNote
        }
        // A reminder fee is stated on the reminder, a letter of today: the fee invoice issued with it (from
        // the settings of now, Outbox+ReminderFee). A reminder states the fee it bills (its fee invoice, issued with it) and asks for the invoice's
        // open amount plus every fee of its reminders still open; the fee invoice's PDF goes with it.
        var fee: Money?, feeNumber: String?, amountToPay: Money?
        var feeDocument: InvoiceDocument?
        if case .reminder(let level) = kind {
            if let id = try store.reminderFeeInvoiceID(invoiceID: invoice.id, level: level) {
                let feeInvoice = try store.invoice(id: id)
                fee = feeInvoice.totals.payable
                feeNumber = feeInvoice.number
                let (feeBilled, feeAddressee) = try store.billedTo(feeInvoice)
                feeDocument = InvoiceDocument(invoice: feeInvoice, customer: feeBilled, addressee: feeAddressee, seller: try store.seller(for: feeInvoice),
                                              creationDate: Date())
            }
            var total = invoice.open
            for id in try store.reminderFeeInvoiceIDs(invoiceID: invoice.id) {
                let open = try store.invoice(id: id)
                if open.status == .open || open.status == .partiallyPaid { total = try total.adding(open.open) }
            }
            amountToPay = total
        }
        // A receipt names the plan and module periods the invoice paid for, with the dates they run.
        var activated: [ActivatedPeriod] = []
        if case .receipt = kind {
            for period in try store.periods(invoiceID: invoice.id) where period.state == .paid {
                let booking = try store.booking(id: period.bookingID)
                activated.append(ActivatedPeriod(productName: booking.productName, kind: booking.kind,
                                                 start: period.start, end: period.cycle.isRecurring ? period.end : nil))
            }
        }
        let email = try renderer.email(InvoiceEmailContext(document: document, kind: emailKind, openAmount: invoice.open,
                                                           dueDate: invoice.dueDate, payment: payment, reminderFee: fee,
                                                           reminderFeeInvoice: feeNumber, amountToPay: amountToPay,
                                                           activated: activated))
        var pdf = try renderer.pdf(document)
        var files: [(name: String, data: [UInt8])] = []
        var feeAttachments: [MailAttachment] = []
        if let feeDocument, let feeNumber {
            let stem = String(feeNumber.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
            feeAttachments.append(MailAttachment(filename: stem + ".pdf", mediaType: "application/pdf", data: try renderer.pdf(feeDocument).data))
        }
        // Invoices and credit notes go out as the e-invoice the customer asked for; reminders and receipts do not.
        var carriesEInvoice = false
        if case .invoice = kind { carriesEInvoice = true } else if case .creditNote = kind { carriesEInvoice = true }
        if carriesEInvoice {
            let stem = String((invoice.number ?? "draft-\(invoice.id)").map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
            var extra: (pdf: [UInt8]?, xml: [(name: String, data: [UInt8])])
            do {
                extra = try EInvoicing.mailFiles(for: document, format: customer.effectiveEInvoice, renderer: renderer, stem: stem, store: store)
            } catch where customer.eInvoice == nil && (try? EInvoice.specification(for: customer)) != .xRechnung {
                // Only the country's default asked for it: the plain PDF goes out as before.
                extra = (nil, [])
            }
            if let facturX = extra.pdf { pdf.data = Data(facturX) }
            files = extra.xml
        }
        // Who receives it (SPEC §1 addressee, issue 17): an invoice made out to a user (`new … --user ID`)
        // goes to that user, at their address of today (or the one on the invoice if the user was
        // deleted), with copies to the customer's billing address and its other users; without an
        // addressee it goes to the billing address alone.
        let users = try store.users(customerID: customer.id)
        let addresseeUser = invoice.userID.flatMap { id in users.first { $0.id == id } }
        let addresseeEmail = addresseeUser?.email ?? addressee?.email ?? ""
        let recipientName = addressee?.fullName ?? (customer.contact.isEmpty ? customer.company : customer.contact)
        var copies: [(address: String, name: String?)] = []
        if !addresseeEmail.isEmpty {
            copies.append((customer.email, customer.contact.isEmpty ? customer.company : customer.contact))
            for user in users where user.id != invoice.userID && !user.email.isEmpty {
                copies.append((user.email, user.fullName.isEmpty ? nil : user.fullName))
            }
        }
        let name = (invoice.number ?? "draft-\(invoice.id)").map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
        let result: Result<MailMessage, MailError> = Result { () throws(MailError) -> MailMessage in
            let from = try MailAddress(sender.email, displayName: sender.company.isEmpty ? nil : sender.company)
            let to = try MailAddress(addresseeEmail.isEmpty ? customer.email : addresseeEmail, displayName: recipientName)
            var cc: [MailAddress] = []
            for copy in copies where copy.address.lowercased() != to.address.lowercased()
                && !cc.contains(where: { $0.address.lowercased() == copy.address.lowercased() }) {
                cc.append(try MailAddress(copy.address, displayName: copy.name))
            }
            let message = MailMessage(
                from: from, to: to, cc: cc, subject: email.subject, textBody: email.text, htmlBody: email.html,
                attachments: [MailAttachment(filename: String(name) + ".pdf", mediaType: "application/pdf", data: pdf.data)]
                    + feeAttachments
                    + files.map { MailAttachment(filename: $0.name, mediaType: "application/xml", data: Data($0.data)) },
                date: Date(), extraHeaders: [MailHeader(name: "X-Invoice-Key", value: key),
                                             MailHeader(name: "X-Invoice-Kind", value: kind.name)])
            try message.validate()
            return message
        }
        switch result {
        case .success(let message): return message
        case .failure(let error): throw WorkflowError("cannot mail invoice \(invoice.number ?? String(invoice.id)): \(error)")
        }
    }

    /// Writes the bytes durably under the temporary form of a unique name and returns the final name
    /// (`publish` gives it after the commit). Nothing half-written stays: a failed write removes its file.
    func write(_ bytes: Data, name key: String) throws -> String {
        let fm = FileManager.default
        func failure(_ detail: String) -> WorkflowError {
            DiskSpace.isFull(near: directory.path)
                ? WorkflowError("cannot write the mail into the outbox: " + DiskSpace.fullMessage(near: directory.path))
                : WorkflowError("cannot write into the outbox \(directory.path)\(detail)")
        }
        do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch { throw failure("") }
        let safe = String(key.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" })
        let name = "\(safe)-\(UUID().uuidString.prefix(8).lowercased()).eml"
        let temporary = directory.appendingPathComponent(Outbox.temporaryPrefix + name)
        guard fm.createFile(atPath: temporary.path, contents: nil) else { throw failure("") }
        do {
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
        } catch {
            try? fm.removeItem(at: temporary)
            throw failure(": \(error.localizedDescription)")
        }
        return name
    }
}

extension Outbox {
    /// `invoice send`: the invoice mail, once per invoice unless `again` (a deliberate resend). The key of
    /// the first one is the scheduled run's (`invoice:ID:invoice:1`): `send` and `run` never queue it twice.
    public func queueInvoiceMail(reference: String, store: Store, today: Day, again: Bool) throws -> QueuedMail {
        try store.write {
            let invoice = try store.invoice(reference: reference)
            let name = invoice.number ?? String(invoice.id)
            switch invoice.status {
            case .draft: throw WorkflowError("invoice \(invoice.id) is a draft; issue it before sending: invoice issue \(invoice.id)")
            case .cancelled: throw WorkflowError("invoice \(name) is cancelled and is not sent")
            default: break
            }
            var attempt = 1
            while try store.mailExists(idempotencyKey: "invoice:\(invoice.id):invoice:\(attempt)") {
                attempt += 1
            }
            if attempt > 1 && !again {
                throw WorkflowError("invoice \(name) was already queued for mail; to send it once more: invoice send \(name) --again")
            }
            guard let queued = try queue(invoice.isCreditNote ? .creditNote : .invoice, invoice: invoice, store: store, key: "invoice:\(invoice.id):invoice:\(attempt)",
                                         today: today) else {
                throw WorkflowError("invoice \(name) is being queued by another process")
            }
            // Sent once the server accepts it (the mailing run records that), not now.
            return queued
        }
    }

    /// Queues the mail of an issued invoice or credit note that was never mailed (the scheduled run's
    /// sweep, and credit notes at issue). Keyed like `invoice send`'s first mail; nil if it exists.
    @discardableResult
    public func queueDocumentMail(invoice: Invoice, store: Store, today: Day) throws -> QueuedMail? {
        try queue(invoice.isCreditNote ? .creditNote : .invoice, invoice: invoice, store: store,
                  key: "invoice:\(invoice.id):invoice:1", today: today)
    }

    /// Whether mail can be addressed at all: the operator has a sender address.
    public func hasSender(store: Store) throws -> Bool { !(try store.loadOperator().email.isEmpty) }

    /// What queueing the recorded reminders did: mails queued, and the reminders that could not be
    /// queued, each with its reason (they stay recorded and are tried again by the next run).
    public struct ReminderQueueing: Sendable {
        public var queued = 0
        public var errors: [String] = []
    }

    /// Reminders the scheduled run recorded and no mail was queued for yet (they wait while the
    /// operator has no sender address). Each reminder in its own savepoint: one that cannot be rendered
    /// or addressed (a bad address, a template error) is reported and never stops the others.
    public func queueRecordedReminders(store: Store, today: Day) throws -> ReminderQueueing {
        var result = ReminderQueueing()
        guard try hasSender(store: store) else { return result }
        for reminder in try store.unqueuedReminders() {
            var name = String(reminder.invoiceID)
            do {
                try store.isolated {
                    let invoice = try store.invoice(id: reminder.invoiceID)
                    name = invoice.number ?? name
                    if invoice.status == .open || invoice.status == .partiallyPaid,
                       !(try store.mailExists(idempotencyKey: Store.reminderMailKey(invoiceID: invoice.id, level: reminder.level))) {
                        // The fee it asks for is billed with it (its own invoice), in this savepoint.
                        _ = try reminderFeeInvoice(level: reminder.level, of: invoice, store: store, today: today)
                        if try queue(.reminder(level: reminder.level), invoice: invoice, store: store,
                                     key: Store.reminderMailKey(invoiceID: invoice.id, level: reminder.level),
                                     today: today) != nil {
                            result.queued += 1
                        }
                    }
                    try store.markReminderQueued(invoiceID: reminder.invoiceID, level: reminder.level)
                }
            } catch {
                result.errors.append("reminder \(reminder.level) for invoice \(name) not queued: \(error)")
            }
        }
        return result
    }
}

extension Outbox {
    /// What a sweep of the Outbox folder found and did.
    public struct SweepReport: Sendable, Hashable {
        /// Committed messages whose rename a crash cut short: renamed now.
        public var published: [String] = []
        /// Files no queue row refers to (a transaction that never committed), older than the lease: removed.
        public var removed: [String] = []
        /// Such files younger than the lease: left alone (their transaction may still be running).
        public var recent: [String] = []
    }

    /// Compares the Outbox folder with the queue: finishes the renames of committed messages and removes
    /// the leftovers of transactions that did not commit once they are older than `olderThan` seconds
    /// (the mailing lease: no transaction runs that long), so no orphan outlives the next run.
    public func sweep(store: Store, olderThan seconds: Int64, now: Date = Date()) throws -> SweepReport {
        var report = SweepReport()
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory.path) else { return report }
        let referenced = try store.mailFileNames()
        for name in names.sorted() {
            let isTemporary = name.hasPrefix(Outbox.temporaryPrefix)
            let final = isTemporary ? String(name.dropFirst(Outbox.temporaryPrefix.count)) : name
            guard final.hasSuffix(".eml") else { continue }
            if referenced.contains(final) {
                if isTemporary {
                    if fm.fileExists(atPath: directory.appendingPathComponent(final).path) {
                        try? fm.removeItem(at: directory.appendingPathComponent(name))
                    } else {
                        Outbox.publish(final, in: directory)
                        report.published.append(final)
                    }
                }
                continue
            }
            let path = directory.appendingPathComponent(name).path
            let modified = (try? fm.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? now
            if now.timeIntervalSince(modified) >= Double(seconds) {
                if (try? fm.removeItem(atPath: path)) != nil { report.removed.append(name) }
            } else {
                report.recent.append(name)
            }
        }
        return report
    }
}
