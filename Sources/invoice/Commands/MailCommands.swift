import Billing
import Foundation
import SMTP
import Store
import Workflows

/// `invoice send`, `invoice mail run`, `invoice outbox list|show|retry|cancel`.
enum MailCommands {
    static func send(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let reference = try args.positional("NUMBER")
        let again = args.flag("--again")
        try args.finish()
        let store = try context.openStore()
        let mail = try context.outbox().queueInvoiceMail(reference: reference, store: store, today: context.today, again: again)
        context.json ? context.emit(Presenter.mail(mail)) : context.emit("queued message \(mail.id) to \(mail.recipient): \(mail.subject)")
    }

    /// The SMTP settings: URL and user from the settings (env overrides), password from the environment
    /// or the password file — never from the command line, never printed.
    static func smtpConfiguration(_ op: Operator) throws -> SMTPConfiguration? {
        let env = ProcessInfo.processInfo.environment
        let url = env["INVOICE_SMTP_URL"] ?? op.smtpURL
        guard !url.isEmpty else { return nil }
        let user = env["INVOICE_SMTP_USER"] ?? op.smtpUser
        var password = env["INVOICE_SMTP_PASSWORD"]
        if password == nil, !op.smtpPasswordFile.isEmpty {
            guard let data = FileManager.default.contents(atPath: op.smtpPasswordFile) else {
                throw CommandFailure(message: "cannot read the SMTP password file \(op.smtpPasswordFile)")
            }
            password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        }
        let domain = op.email.split(separator: "@").last.map(String.init) ?? "localhost"
        do {
            return try SMTPConfiguration(url: url, username: user.isEmpty ? nil : user, password: password, clientName: domain,
                                         caBundlePath: op.smtpCAFile.isEmpty ? nil : op.smtpCAFile)
        } catch {
            throw CommandFailure(message: "smtp_url: \(error)")
        }
    }

    static func mail(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let action = try args.positional("action (run)")
        guard action == "run" else { throw UsageError("unknown action '\(action)'", command: "mail") }
        let limit = try args.option("--limit").map { text -> Int in
            guard let n = Int(text), n > 0 else { throw UsageError("--limit takes a positive number", command: "mail") }
            return n
        }
        let connections = try args.option("--connections").map { text -> Int in
            guard let n = Int(text), (1...16).contains(n) else { throw UsageError("--connections takes 1 to 16", command: "mail") }
            return n
        } ?? 2
        try args.finish()
        let store = try context.openStore()
        let summary = try runMailing(store: store, context: context, limit: limit, connections: connections)
        guard let summary else {
            let waiting = (try store.mailCounts()).filter { [.queued, .deferred].contains($0.key) }.values.reduce(0, +)
            let text = "no SMTP server is configured (invoice settings set smtp_url smtp://host:587); \(waiting) message\(waiting == 1 ? "" : "s") wait in the outbox"
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
        guard let configuration = try smtpConfiguration(op) else { return nil }
        var run = MailingRun(databasePath: store.path, outboxDirectory: Outbox.defaultDirectory(databasePath: store.path),
                             configuration: configuration,
                             policy: RetryPolicy(maxAttempts: op.mailMaxAttempts, baseSeconds: op.mailBackoffBase,
                                                 capSeconds: op.mailBackoffCap),
                             clock: context.queueClock)
        if let lease = try leaseSeconds() { run.leaseSeconds = lease }
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
                                  ("paused", .optional(summary.pausedBecause)),
                                  ("errors", .array(summary.errors.map { .string($0) }))]))
        } else {
            var text = "mail run: \(summary.sent) sent, \(summary.deferred) deferred, \(summary.failed) failed"
            if summary.unknown > 0 { text += ", \(summary.unknown) with unknown outcome (will be retried, may duplicate)" }
            context.emit(text)
            if let reason = summary.pausedBecause { context.emit("paused: \(reason); the remaining messages wait untouched") }
            for error in summary.errors { context.emit("error: \(error)") }
        }
    }

    static func outbox(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let action = try args.positional("action (list, show, retry or cancel)")
        let store = try context.openStore()
        switch action {
        case "list":
            let stateText = try args.option("--state")
            try args.finish()
            var states: [QueuedMail.State] = []
            if let stateText {
                guard let state = QueuedMail.State(rawValue: stateText) else {
                    throw UsageError("unknown state '\(stateText)'; use queued, sending, sent, deferred, failed or cancelled", command: "outbox")
                }
                states = [state]
            }
            var rows: [JSON] = []
            if !context.json { context.emit("ID     STATE      TRIES  KIND        TO                                 SUBJECT") }
            try store.forEachMail(states: states) { mail in
                if context.json {
                    rows.append(Presenter.mail(mail))
                } else {
                    context.emit("\(String(mail.id).padding(7))\(mail.state.rawValue.padding(11))\(String(mail.attempts).padding(7))\(mail.kind.padding(12))\(mail.recipient.truncated(34).padding(35))\(mail.subject.truncated(50))")
                }
            }
            if context.json { context.emit(.array(rows)) }
        case "show", "retry", "cancel":
            guard let id = Int64(try args.positional("message id")) else { throw UsageError("a message id is a number", command: "outbox") }
            try args.finish()
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
                    Message \(mail.id): \(mail.state.rawValue)\(mail.unknownOutcome ? " (an earlier attempt may have been delivered)" : "")
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
        default:
            throw UsageError("unknown action '\(action)'", command: "outbox")
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
                 ("size", .int(m.size)), ("queued", .string(m.createdAt)), ("sent", .optional(m.sentAt))])
    }

    static func epoch(_ seconds: Int64) -> String { UTCTimestamp.string(epochSeconds: seconds) }
}

