import Billing
import Foundation
import SMTP
import Store
import Workflows

/// `invoice send`, `invoice mail run`, `invoice outbox list|show|retry|cancel`.
enum MailCommands {
    static let send = Command(
        name: "send", summary: "queue the invoice mail (PDF attached) in the Outbox",
        discussion: """
            Queues the invoice mail (text, HTML and the PDF) in the Outbox: the message file is written
            to Outbox/ beside the database (env INVOICE_OUTBOX) and a queue row added. Once per invoice;
            --again queues it once more on purpose. `invoice mail run` sends it.
            """,
        arguments: [Argument("NUMBER", "the invoice's number")],
        options: [.flag("--again", "queue it once more, on purpose")],
        run: send)

    static let mail = Command(
        name: "mail", summary: "send the mail that is due",
        subcommands: [Command(
            name: "run", summary: "send the queued and deferred messages that are due",
            discussion: """
                Sends the queued and deferred messages that are due, over K parallel SMTP connections
                (default 2, at most 16), each reused from message to message; at most N messages. A message
                is sent only on the server's 250 to its data; 4xx replies, timeouts and dropped connections
                defer it with exponential backoff and jitter (mail_backoff, mail_max_attempts); 5xx fails
                it at once. Authentication and TLS errors pause the run and leave the messages untouched
                (the exit status is 1 only if nothing could be sent). With no smtp_url the mail waits.
                --date D moves the queue clock: `invoice --date 2099-01-01 mail run` finds all mail due.

                Environment: INVOICE_SMTP_URL, INVOICE_SMTP_USER, INVOICE_SMTP_PASSWORD override the settings.
                INVOICE_MAIL_LEASE_SECONDS (default 600): how long a run holds the messages it claimed.
                Leases follow the wall clock, not --date, so the messages of a run that died come back
                to the next run after this long (they are then flagged as possible duplicates).
                """,
            options: [.value("--limit", "N", "at most N messages"),
                      .value("--connections", "K", "parallel SMTP connections, 1 to 16 (default 2)")],
            featuredGlobals: ["--date"],
            run: mailRun)])

    static let outbox = Command(
        name: "outbox", summary: "the mail queue: list, show, retry, cancel",
        discussion: """
            States: queued, sending, sent, deferred, failed, cancelled. retry makes a failed, deferred or
            cancelled message due now with a fresh attempt budget. The mailing run checks each message
            against the books as it takes it: the mail of an invoice cancelled (or credited in full) since
            it was queued, a reminder of an invoice paid or cancelled since, and any mail of a customer
            made inactive are cancelled, not sent, with the reason shown here (cancel_reason in --json).
            """,
        subcommands: [
            Command(name: "list", summary: "the queued messages",
                    options: [.value("--state", "S", "only this state",
                                     completion: .choices(["queued", "sending", "sent", "deferred", "failed", "cancelled"]))],
                    run: outboxList),
            Command(name: "show", summary: "one message with its attempts and file", arguments: [messageArgument], run: outboxMessage),
            Command(name: "retry", summary: "make a message due now with a fresh attempt budget", arguments: [messageArgument],
                    run: outboxMessage),
            Command(name: "cancel", summary: "never send a message", arguments: [messageArgument], run: outboxMessage),
            Command(name: "check", summary: "find and remove message files no queued message refers to",
                    discussion: """
                        Compares the Outbox folder with the queue. A message file is written under a temporary
                        name and renamed when its transaction commits; a crash or a full disk can leave a file
                        whose transaction never committed. check removes those older than the lease
                        (INVOICE_MAIL_LEASE_SECONDS, default 600; younger ones may belong to a command still
                        running) and finishes the renames a crash cut short. invoice run and mail run do the
                        same at their start.
                        """,
                    run: outboxCheck),
        ])

    /// `invoice outbox check [--json]`
    static func outboxCheck(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let report = try context.outbox().sweep(store: store, olderThan: try leaseSeconds() ?? 600)
        if context.json {
            context.emit(.object([("removed", .array(report.removed.map { .string($0) })),
                                  ("published", .array(report.published.map { .string($0) })),
                                  ("recent", .array(report.recent.map { .string($0) }))]))
            return
        }
        for name in report.removed { context.emit("removed \(name): no queued message refers to it") }
        for name in report.published { context.emit("renamed \(name): its message was queued, the rename had not finished") }
        for name in report.recent { context.emit("left \(name): no queued message refers to it yet, younger than the lease") }
        if report.removed.isEmpty, report.published.isEmpty, report.recent.isEmpty { context.emit("the outbox holds no stray files") }
    }

    /// The sweep at the start of `run` and `mail run`: a failure is said, never stops the run.
    static func sweepOutbox(store: Store, context: Context) {
        do {
            let report = try context.outbox().sweep(store: store, olderThan: try leaseSeconds() ?? 600)
            if !report.removed.isEmpty {
                context.warn("invoice: removed \(report.removed.count) stray file\(report.removed.count == 1 ? "" : "s") from the outbox (see invoice outbox check)")
            }
        } catch {
            context.warn("invoice: the outbox was not checked: \(error)")
        }
    }

    static let messageArgument = Argument("ID", "the message's id (outbox list)")

    static func send(_ args: Arguments, _ context: Context) throws {
        let reference = try args.positional("NUMBER")
        let again = args.flag("--again")
        let store = try context.openStore()
        let mail = try context.outbox().queueInvoiceMail(reference: reference, store: store, today: context.today, again: again)
        context.json ? context.emit(Presenter.mail(mail)) : context.emit("queued message \(mail.id) to \(mail.recipient): \(mail.subject)")
    }

    /// The SMTP settings: URL and user from the settings (env overrides), password from the environment
    /// or the password file — never from the command line, never printed.
    static func smtpConfiguration(_ op: Operator, _ mail: MailSettings) throws -> SMTPConfiguration? {
        let env = ProcessInfo.processInfo.environment
        let url = env["INVOICE_SMTP_URL"] ?? mail.smtpURL
        guard !url.isEmpty else { return nil }
        let user = env["INVOICE_SMTP_USER"] ?? mail.smtpUser
        var password = env["INVOICE_SMTP_PASSWORD"]
        if password == nil, !mail.smtpPasswordFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: mail.smtpPasswordFile) else {
                throw CommandFailure(message: "cannot read the SMTP password file \(mail.smtpPasswordFile)")
            }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        let domain = op.email.split(separator: "@").last.map(String.init) ?? "localhost"
        do {
            return try SMTPConfiguration(url: url, username: user.isEmpty ? nil : user, password: password, clientName: domain,
                                         caBundlePath: mail.smtpCAFile.isEmpty ? nil : mail.smtpCAFile)
        } catch {
            throw CommandFailure(message: "smtp_url: \(error)")
        }
    }

    static func mailRun(_ args: Arguments, _ context: Context) throws {
        let limit = try args.option("--limit").map { text -> Int in
            guard let n = Int(text), n > 0 else { throw args.usageError("--limit takes a positive number") }
            return n
        }
        let connections = try args.option("--connections").map { text -> Int in
            guard let n = Int(text), (1...16).contains(n) else { throw args.usageError("--connections takes 1 to 16") }
            return n
        } ?? 2
        let store = try context.openStore()
        sweepOutbox(store: store, context: context)
        let summary = try runMailing(store: store, context: context, limit: limit, connections: connections)
        guard let summary else {
            let waiting = (try store.mailCounts()).filter { [.queued, .deferred].contains($0.key) }.values.reduce(0, +)
            let text = "no SMTP server is configured (invoice settings set smtp_url smtp://host:587); \(waiting == 1 ? "1 message waits" : "\(waiting) messages wait") in the outbox"
            context.json ? context.emit(.object([("configured", .bool(false)), ("waiting", .int(Int64(waiting)))])) : context.emit(text)
            return
        }
        emit(summary, context: context)
        if summary.attempted == 0, let reason = summary.pausedBecause {
            throw CommandFailure(message: "the mailing run could not send: \(reason)")
        }
    }

    /// Runs the mailing run if a server is configured; nil otherwise.
    static func runMailing(store: Store, context: Context, limit: Int?, connections: Int) throws -> MailingRun.Summary? {
        let op = try store.loadOperator()
        let mail = try MailSettings.load(from: store)
        guard let configuration = try smtpConfiguration(op, mail) else { return nil }
        var run = MailingRun(databasePath: store.path, outboxDirectory: Outbox.defaultDirectory(databasePath: store.path),
                             configuration: configuration, policy: mail.retryPolicy,
                             clock: context.queueClock)
        if let lease = try leaseSeconds() { run.leaseSeconds = lease }
        run.audit = store.audit
        return try run.run(limit: limit, connections: connections)
    }

    /// `INVOICE_MAIL_LEASE_SECONDS`: how long a mailing run holds the messages it claimed (default 600).
    /// Leases run on the wall clock on purpose (`--date` does not expire them), so a run that died
    /// gives its messages back only after this long; tests and impatient operators shorten it here.
    static func leaseSeconds() throws -> Int64? {
        guard let text = ProcessInfo.processInfo.environment["INVOICE_MAIL_LEASE_SECONDS"], !text.isEmpty else { return nil }
        guard let seconds = Int64(text), (1...86_400).contains(seconds) else {
            throw CommandFailure(message: "INVOICE_MAIL_LEASE_SECONDS takes 1 to 86400 seconds, not '\(text)'")
        }
        return seconds
    }

    static func emit(_ summary: MailingRun.Summary, context: Context) {
        if context.json {
            context.emit(.object([("sent", .int(Int64(summary.sent))), ("deferred", .int(Int64(summary.deferred))),
                                  ("failed", .int(Int64(summary.failed))), ("unknown_outcome", .int(Int64(summary.unknown))),
                                  ("cancelled", .int(Int64(summary.cancelled))),
                                  ("paused", .optional(summary.pausedBecause)),
                                  ("errors", .array(summary.errors.map { .string($0) }))]))
        } else {
            var text = "mail run: \(summary.sent) sent, \(summary.deferred) deferred, \(summary.failed) failed"
            if summary.unknown > 0 { text += ", \(summary.unknown) with unknown outcome (will be retried, may duplicate)" }
            if summary.cancelled > 0 { text += ", \(summary.cancelled) cancelled (their invoice or customer changed since they were queued; outbox list --state cancelled)" }
            context.emit(text)
            if let reason = summary.pausedBecause { context.emit("paused: \(reason); the remaining messages wait untouched") }
            for error in summary.errors { context.emit("error: \(error)") }
        }
    }

    static func outboxList(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let stateText = try args.option("--state")
        var states: [QueuedMail.State] = []
        if let stateText {
            guard let state = QueuedMail.State(rawValue: stateText) else {
                throw args.usageError("unknown state '\(stateText)'; use queued, sending, sent, deferred, failed or cancelled")
            }
            states = [state]
        }
        var rows: [JSON] = []
        if !context.json { context.emit("ID     STATE      TRIES  KIND        TO                                 SUBJECT") }
        try store.forEachMail(states: states) { mail in
            if context.json {
                rows.append(Presenter.mail(mail))
            } else {
                let reason = mail.state == .cancelled && !mail.cancelReason.isEmpty ? "  [\(mail.cancelReason)]" : ""
                context.emit("\(String(mail.id).padding(7))\(mail.state.rawValue.padding(11))\(String(mail.attempts).padding(7))\(mail.kind.padding(12))\(mail.recipient.truncated(34).padding(35))\(mail.subject.truncated(50))\(reason)")
            }
        }
        if context.json { context.emit(.array(rows)) }
    }

    /// show, retry, cancel.
    static func outboxMessage(_ args: Arguments, _ context: Context) throws {
        let action = args.command.name
        guard let id = Int64(try args.positional("ID")) else { throw args.usageError("a message id is a number") }
        let store = try context.openStore()
        let mail: QueuedMail
        switch action {
        case "retry": mail = try store.retryMail(id: id, now: context.queueClock.now)
        case "cancel": mail = try store.cancelMail(id: id)
        default: mail = try store.mail(id: id)
        }
        if context.json {
            context.emit(Presenter.mail(mail))
        } else if action == "show" {
            let file = Outbox.defaultDirectory(databasePath: store.path).appendingPathComponent(mail.file).path
            context.emit("""
                Message \(mail.id): \(mail.state.rawValue)\(mail.cancelReason.isEmpty ? "" : " (\(mail.cancelReason))")\(mail.unknownOutcome ? " (an earlier attempt may have been delivered)" : "")
                  To:        \(mail.recipient)
                  From:      \(mail.sender)
                  Subject:   \(mail.subject)
                  Kind:      \(mail.kind)\(mail.invoiceID.map { ", invoice \($0)" } ?? "")
                  Attempts:  \(mail.attempts), next \(mail.state == .deferred || mail.state == .queued ? Presenter.epoch(mail.nextAttemptAt) : "-")
                  Reply:     \(mail.lastReply.isEmpty ? "-" : mail.lastReply)
                  Queued:    \(mail.createdAt)\(mail.sentAt.map { ", sent \($0)" } ?? "")
                  File:      \(file) (\(mail.size) bytes, \(mail.messageID))
                """)
        } else {
            context.emit("message \(mail.id) is now \(mail.state.rawValue)")
        }
    }
}

extension Presenter {
    static func mail(_ m: QueuedMail) -> JSON {
        .object([("id", .int(m.id)), ("key", .string(m.idempotencyKey)), ("kind", .string(m.kind)),
                 ("invoice", m.invoiceID.map { .int($0) } ?? .null), ("from", .string(m.sender)), ("to", .string(m.recipient)),
                 ("subject", .string(m.subject)), ("state", .string(m.state.rawValue)), ("attempts", .int(Int64(m.attempts))),
                 ("next_attempt", .string(epoch(m.nextAttemptAt))), ("last_reply", .string(m.lastReply)),
                 ("unknown_outcome", .bool(m.unknownOutcome)), ("message_id", .string(m.messageID)), ("file", .string(m.file)),
                 ("size", .int(m.size)), ("queued", .string(m.createdAt)), ("sent", .optional(m.sentAt)),
                 ("cancel_reason", m.state == .cancelled ? .string(m.cancelReason) : .null)])
    }

    static func epoch(_ seconds: Int64) -> String { UTCTimestamp.string(epochSeconds: seconds) }
}

