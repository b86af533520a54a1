import Billing
import Database

/// The mail queue: rows that point at message files, claimed with leases so two mailing runs never
/// send the same message.
extension Store {
    private static let mailColumns = """
        id, idempotency_key, kind, invoice_id, sender, recipient, subject, file, message_id, size, state, attempts,
        next_attempt_at, last_reply, unknown_outcome, created_at, sent_at, cancel_reason
        """

    private func queuedMail(_ row: Row) throws -> QueuedMail {
        guard let state = QueuedMail.State(rawValue: row.text(10)) else { throw StoreError("corrupt mail state '\(row.text(10))'") }
        return QueuedMail(id: row.int(0), idempotencyKey: row.text(1), kind: row.text(2), invoiceID: row.optionalInt(3),
                          sender: row.text(4), recipient: row.text(5), subject: row.text(6), file: row.text(7),
                          messageID: row.text(8), size: row.int(9), state: state, attempts: Int(row.int(11)),
                          nextAttemptAt: row.int(12), lastReply: row.text(13), unknownOutcome: row.bool(14),
                          createdAt: row.text(15), sentAt: row.optionalText(16), cancelReason: row.text(17))
    }

    /// Whether a message with this key was ever queued (whatever became of it).
    /// The message files the queue refers to (any state): what the Outbox folder may hold.
    public func mailFileNames() throws -> Set<String> {
        try read { Set(try connection.query("SELECT file FROM mail_queue", []) { $0.text(0) }) }
    }

    public func mailExists(idempotencyKey: String) throws -> Bool {
        try guarded { try connection.scalarInt("SELECT count(*) FROM mail_queue WHERE idempotency_key = ?", [.text(idempotencyKey)]) > 0 }
    }

    /// Adds a queue row for a message file already written; returns nil when the key exists. On
    /// PostgreSQL `body` (the message's exact bytes) is stored with it in the same transaction
    /// (`mail_bodies`), so every host's mailing run reaches it; SQLite keeps only the file.
    public func enqueueMail(_ mail: QueuedMail, body: [UInt8]? = nil) throws -> QueuedMail? {
        try write {
            let now = Store.timestamp()
            let inserted = try connection.first("""
                INSERT INTO mail_queue (idempotency_key, kind, invoice_id, sender, recipient, subject, file, message_id, size,
                    state, attempts, next_attempt_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
                """, [.text(mail.idempotencyKey), .text(mail.kind), mail.invoiceID.map { .integer($0) } ?? .null,
                      .text(mail.sender), .text(mail.recipient), .text(mail.subject), .text(mail.file), .text(mail.messageID),
                      .integer(mail.size), .integer(mail.nextAttemptAt), .text(now), .text(now)]) { $0.int(0) }
            guard let id = inserted else { return nil }
            if let body, keepsMailBodies { try storeMailBody(id: id, body) }
            var stored = mail
            stored.id = id
            stored.createdAt = now
            return stored
        }
    }

    public func mail(id: Int64) throws -> QueuedMail {
        try guarded {
            guard let found = try connection.first("SELECT \(Store.mailColumns) FROM mail_queue WHERE id = ?", [.integer(id)], queuedMail)
            else { throw StoreError.notFound("message", String(id)) }
            return found
        }
    }

    public func forEachMail(states: [QueuedMail.State] = [], _ body: (QueuedMail) throws -> Void) throws {
        let filter = states.isEmpty ? "" : "WHERE state IN (\(states.map { _ in "?" }.joined(separator: ", ")))"
        try guarded {
            try connection.forEach("SELECT \(Store.mailColumns) FROM mail_queue \(filter) ORDER BY id",
                                   states.map { .text($0.rawValue) }, reuse: states.isEmpty ? .cached : .once) {
                try body(try queuedMail($0))
            }
        }
    }

    /// Due rows, one index range per state, each already in order and cut at the limit: a claim reads
    /// O(limit) rows however long the queue is (an OR over the states sorted every due row). On
    /// PostgreSQL each range skips the rows another host's claim has locked (`FOR UPDATE SKIP LOCKED`),
    /// so mailing runs on several hosts take disjoint batches without waiting on each other.
    private var claimSQL: String {
        let skipLocked = isPostgres ? " FOR UPDATE SKIP LOCKED" : ""
        return """
            SELECT id FROM (
                SELECT id, next_attempt_at FROM (SELECT id, next_attempt_at FROM mail_queue
                    WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?\(skipLocked)) AS queued
                UNION ALL SELECT id, next_attempt_at FROM (SELECT id, next_attempt_at FROM mail_queue
                    WHERE state = 'deferred' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?\(skipLocked)) AS deferred
                UNION ALL SELECT id, next_attempt_at FROM (SELECT id, next_attempt_at FROM mail_queue
                    WHERE state = 'sending' AND lease_until < ? LIMIT ?\(skipLocked)) AS expired) AS due
            ORDER BY next_attempt_at, id LIMIT ?
            """
    }

    /// Claims up to `limit` messages that are due at `now` (queue clock) or whose lease ran out at
    /// `wallNow` (a mailing run that died), for `owner` until `leaseUntil`. Atomic: two runs get disjoint sets.
    ///
    /// The mail follows the books: in the same transaction each due message is checked against its
    /// document and customer as they are now. A message that must no longer go out is returned in
    /// state `cancelled` with its `cancelReason` (and is not sent); the others come back `sending`.
    /// - any mail of a customer made inactive since;
    /// - an invoice mail of an invoice cancelled since (a credit note for all of it cancels it too);
    /// - a reminder of an invoice paid or cancelled since.
    /// Credit-note mails and receipts only follow the customer: a receipt confirms a payment that
    /// happened, and a credit note stays valid whatever becomes of its invoice.
    public func claimDueMail(now: Int64, wallNow: Int64, owner: String, leaseUntil: Int64, limit: Int) throws -> [QueuedMail] {
        try write {
            let ids = try connection.query(claimSQL, [.integer(now), .integer(Int64(limit)), .integer(now), .integer(Int64(limit)),
                                                      .integer(wallNow), .integer(Int64(limit)), .integer(Int64(limit))]) { $0.int(0) }
            guard !ids.isEmpty else { return [] }
            // The state check: one query for the whole batch, each row joined to its invoice and customer
            // by primary key. (Joined into the query above, SQLite sorted every due row instead: 312 µs per
            // claim of 8 over 100k queued rows against 23–41 µs without the check; as a second query, 24 µs.)
            var reasons: [Int64: String] = [:]
            try connection.forEach("""
                SELECT q.id, CASE
                    WHEN c.active = 0 THEN 'customer ' || c.id || ' (' || c.company || ') is inactive'
                    WHEN q.kind = 'invoice' AND i.status = 'cancelled'
                        THEN 'invoice ' || coalesce(i.number, CAST(i.id AS TEXT)) || ' was cancelled after the mail was queued'
                    WHEN q.kind LIKE 'reminder-%' AND i.status NOT IN ('open', 'partially_paid')
                        THEN 'invoice ' || coalesce(i.number, CAST(i.id AS TEXT)) || ' was ' || i.status || ' after the reminder was queued'
                    END
                FROM mail_queue q LEFT JOIN invoices i ON i.id = q.invoice_id LEFT JOIN customers c ON c.id = i.customer_id
                WHERE q.id \(isPostgres ? "= ANY(CAST(? AS BIGINT[]))" : "IN (SELECT value FROM json_each(?))")
                """, [.text(isPostgres ? "{" + ids.map(String.init).joined(separator: ",") + "}"
                                         : "[" + ids.map(String.init).joined(separator: ",") + "]")]) { row in
                if let reason = row.optionalText(1) { reasons[row.int(0)] = reason }
            }
            let due = ids.map { ($0, reasons[$0]) }
            var claimed: [QueuedMail] = []
            let stamp = Store.timestamp()
            for (id, reason) in due {
                if let reason {
                    try connection.run("""
                        UPDATE mail_queue SET state = 'cancelled', cancel_reason = ?, lease_owner = NULL, lease_until = NULL,
                            updated_at = ? WHERE id = ?
                        """, [.text(reason), .text(stamp), .integer(id)])
                } else {
                    // A row still 'sending' belonged to a run that died: it may have been delivered already,
                    // so the retry is flagged as a possible duplicate (like a timeout after the data).
                    try connection.run("""
                        UPDATE mail_queue SET unknown_outcome = CASE WHEN state = 'sending' THEN 1 ELSE unknown_outcome END,
                            state = 'sending', lease_owner = ?, lease_until = ?, updated_at = ? WHERE id = ?
                        """, [.text(owner), .integer(leaseUntil), .text(stamp), .integer(id)])
                }
                claimed.append(try mail(id: id))
            }
            return claimed
        }
    }

    /// Records the result of one attempt, only while `owner` still holds the lease. Returns false if not.
    /// `sentAt` is the queue clock's time of a `sent` result (with `--date`, that day: the dunning
    /// spacing counts from it); nil stamps the wall clock. An invoice or credit-note mail the server
    /// accepted marks its document sent on that day, in the same transaction: `invoices.sent_at` means
    /// "the customer's server has it".
    @discardableResult
    public func recordMailAttempt(id: Int64, owner: String, state: QueuedMail.State, reply: String, nextAttemptAt: Int64?,
                                  unknownOutcome: Bool, sentAt: Int64? = nil) throws -> Bool {
        try write {
            let now = Store.timestamp()
            let sent = sentAt.map { UTCTimestamp.string(epochSeconds: $0) } ?? now
            let changed = try connection.run("""
                UPDATE mail_queue SET state = ?, attempts = attempts + 1, last_reply = ?, next_attempt_at = coalesce(?, next_attempt_at),
                    unknown_outcome = CASE WHEN ? = 1 THEN 1 ELSE unknown_outcome END, lease_owner = NULL, lease_until = NULL, updated_at = ?,
                    sent_at = CASE WHEN ? = 'sent' THEN ? ELSE sent_at END
                WHERE id = ? AND state = 'sending' AND lease_owner = ?
                """, [.text(state.rawValue), .text(reply), nextAttemptAt.map { .integer($0) } ?? .null,
                      .integer(unknownOutcome ? 1 : 0), .text(now), .text(state.rawValue), .text(sent), .integer(id), .text(owner)])
            if changed == 1 && state == .sent {
                // The day of `sent` (UTC, YYYY-MM-DD…), the queue clock's when given.
                let day = String(sent.prefix(10))
                try connection.run("""
                    UPDATE invoices SET sent_at = coalesce(sent_at, ?)
                    WHERE id = (SELECT invoice_id FROM mail_queue WHERE id = ? AND kind IN ('invoice', 'credit_note'))
                    """, [.text(day), .integer(id)])
            }
            return changed == 1
        }
    }

    /// Gives claimed messages back without counting an attempt (a run paused by an authentication error).
    public func releaseMail(ids: [Int64], owner: String) throws {
        try write {
            for id in ids {
                try connection.run("""
                    UPDATE mail_queue SET state = CASE WHEN attempts = 0 THEN 'queued' ELSE 'deferred' END, lease_owner = NULL,
                        lease_until = NULL, updated_at = ? WHERE id = ? AND state = 'sending' AND lease_owner = ?
                    """, [.text(Store.timestamp()), .integer(id), .text(owner)])
            }
        }
    }

    /// Makes a failed, deferred or cancelled message due again with a fresh attempt budget.
    public func retryMail(id: Int64, now: Int64) throws -> QueuedMail {
        try write {
            let mail = try mail(id: id)
            guard [.failed, .deferred, .cancelled].contains(mail.state) else {
                throw StoreError("message \(id) is \(mail.state.rawValue); only failed, deferred or cancelled messages can be retried")
            }
            try connection.run("""
                UPDATE mail_queue SET state = 'queued', attempts = 0, next_attempt_at = ?, cancel_reason = '', updated_at = ? WHERE id = ?
                """,
                               [.integer(now), .text(Store.timestamp()), .integer(id)])
            return try self.mail(id: id)
        }
    }

    public func cancelMail(id: Int64) throws -> QueuedMail {
        try write {
            let mail = try mail(id: id)
            guard [.queued, .deferred, .failed].contains(mail.state) else {
                throw StoreError("message \(id) is \(mail.state.rawValue) and cannot be cancelled")
            }
            try connection.run("UPDATE mail_queue SET state = 'cancelled', cancel_reason = 'cancelled by the operator', updated_at = ? WHERE id = ?",
                               [.text(Store.timestamp()), .integer(id)])
            return try self.mail(id: id)
        }
    }

    public func mailCounts() throws -> [QueuedMail.State: Int] {
        try guarded {
            var counts: [QueuedMail.State: Int] = [:]
            try connection.forEach("SELECT state, count(*) FROM mail_queue GROUP BY state") { row in
                if let state = QueuedMail.State(rawValue: row.text(0)) { counts[state] = Int(row.int(1)) }
            }
            return counts
        }
    }

    /// Reminders recorded by the scheduled run whose mail is not queued yet.
    public func unqueuedReminders() throws -> [ReminderRecord] {
        try guarded {
            try connection.query("SELECT invoice_id, level, due_on FROM reminders WHERE queued_at IS NULL ORDER BY id") {
                ReminderRecord(invoiceID: $0.int(0), level: Int($0.int(1)), dueOn: try Day(parsing: $0.text(2)))
            }
        }
    }

    public func markReminderQueued(invoiceID: Int64, level: Int) throws {
        try write {
            try connection.run("UPDATE reminders SET queued_at = ? WHERE invoice_id = ? AND level = ?",
                               [.text(Store.timestamp()), .integer(invoiceID), .integer(Int64(level))])
        }
    }
}

extension Store {
    /// Issued documents never mailed, for the scheduled run to queue: open or partially paid invoices
    /// and credit notes with no invoice mail queued (whatever became of it), not opted out with
    /// `--no-mail`, of active customers. The sweep is idempotent, so a crash between issuing and
    /// queueing loses nothing; it reads the partial index `invoices_unmailed`, not every invoice.
    public func documentsWithoutMail() throws -> [Int64] {
        try guarded {
            try connection.query("""
                SELECT i.id FROM invoices i \(isPostgres ? "" : "INDEXED BY invoices_unmailed ")JOIN customers c ON c.id = i.customer_id
                WHERE i.sent_at IS NULL AND i.no_mail = 0 AND i.status IN ('open', 'partially_paid', 'issued') AND c.active = 1
                  AND NOT EXISTS (SELECT 1 FROM mail_queue m WHERE m.invoice_id = i.id AND m.kind IN ('invoice', 'credit_note'))
                ORDER BY i.id
                """) { $0.int(0) }
        }
    }

    /// Opts an invoice out of (or back into) the scheduled run's mailing (`--no-mail`).
    public func setNoMail(invoiceID: Int64, _ noMail: Bool) throws {
        try write {
            try connection.run("UPDATE invoices SET no_mail = ? WHERE id = ?", [.integer(noMail ? 1 : 0), .integer(invoiceID)])
        }
    }

    /// Whether the invoice is opted out of the scheduled run's mailing.
    public func isNoMail(invoiceID: Int64) throws -> Bool {
        try guarded { try connection.scalarInt("SELECT no_mail FROM invoices WHERE id = ?", [.integer(invoiceID)]) == 1 }
    }

    /// The state of the newest invoice (or credit-note) mail of a document, nil when none was queued.
    public func documentMailState(invoiceID: Int64) throws -> QueuedMail.State? {
        try guarded {
            try connection.first("""
                SELECT state FROM mail_queue WHERE invoice_id = ? AND kind IN ('invoice', 'credit_note') ORDER BY id DESC LIMIT 1
                """, [.integer(invoiceID)]) { row -> QueuedMail.State in
                guard let state = QueuedMail.State(rawValue: row.text(0)) else { throw StoreError("corrupt mail state '\(row.text(0))'") }
                return state
            }
        }
    }
}
