import Billing
import Foundation
import SMTP
import Store
import Synchronization

/// The mailing run: claims due messages with a lease, sends them over K parallel SMTP connections
/// (one thread, one database connection and one libcurl handle each), and records every result.
///
/// A message is marked sent only after the server's 250 to its data. 4xx replies, dropped
/// connections and timeouts defer it with exponential backoff and full jitter; 5xx fails it at once;
/// a timeout after the data leaves an unknown outcome that is retried with the same bytes and flagged.
/// Authentication and TLS errors pause the whole run and give the messages back untouched.
public struct MailingRun: Sendable {
    public let databasePath: String
    public let outboxDirectory: URL
    public let configuration: SMTPConfiguration
    public let policy: RetryPolicy
    public let clock: QueueClock
    /// How long a claim is held before another run may take the message over (a run that died).
    public var leaseSeconds: Int64 = 600
    /// Who the audit trail names for what the run's connections record (the command's context).
    public var audit: AuditContext = .unattributed
    /// Messages claimed per round trip to the database (and results per commit).
    public static let defaultBatchSize = 8
    /// Messages claimed per round trip to the database.
    public var batchSize = MailingRun.defaultBatchSize

    public init(databasePath: String, outboxDirectory: URL, configuration: SMTPConfiguration, policy: RetryPolicy,
                clock: QueueClock) {
        self.databasePath = databasePath
        self.outboxDirectory = outboxDirectory
        self.configuration = configuration
        self.policy = policy
        self.clock = clock
    }

    public struct Summary: Sendable {
        public var sent = 0
        public var deferred = 0
        public var failed = 0
        public var unknown = 0
        /// Messages cancelled at claim time because their document or customer changed since they were queued.
        public var cancelled = 0
        /// Why the run stopped early (authentication, TLS), if it did.
        public var pausedBecause: String?
        public var errors: [String] = []

        public var attempted: Int { sent + deferred + failed + unknown }
    }

    /// Sends until nothing is due or `limit` messages were attempted.
    public func run(limit: Int? = nil, connections: Int = 2) throws -> Summary {
        try SMTP.globalInit()
        let shared = Shared(limit: limit ?? Int.max)
        let workers = max(1, min(connections, 16))
        let group = DispatchGroup()
        for index in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                do {
                    try work(owner: "run-\(getpid())-\(index)-\(UUID().uuidString.prefix(8))", shared: shared)
                } catch {
                    shared.update { $0.errors.append("\(error)") }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let summary = shared.summary
        if summary.attempted == 0, let first = summary.errors.first { throw WorkflowError(first) }
        return summary
    }

    private func work(owner: String, shared: Shared) throws {
        let store = try Store(path: databasePath, audit: audit)
        let sender: SMTPSender
        do { sender = try SMTPSender(configuration: configuration) } catch { throw WorkflowError("cannot start SMTP: \(error)") }
        defer { sender.close() }
        let reader = MessageFileReader()
        let outboxPath = outboxDirectory.path
        var generator = SystemRandomNumberGenerator()
        // Results are recorded once per batch, in one transaction: one durable commit per batch
        // instead of one per message. A run that dies loses at most one batch of results per
        // connection; those messages come back after their lease and may be sent twice.
        var pending: [(id: Int64, state: QueuedMail.State, reply: String, nextAttemptAt: Int64?, unknownOutcome: Bool)] = []
        func record(id: Int64, owner: String, state: QueuedMail.State, reply: String, nextAttemptAt: Int64?, unknownOutcome: Bool) {
            pending.append((id, state, reply, nextAttemptAt, unknownOutcome))
        }
        func writePending() throws {
            for r in pending {
                try store.recordMailAttempt(id: r.id, owner: owner, state: r.state, reply: r.reply,
                                            nextAttemptAt: r.nextAttemptAt, unknownOutcome: r.unknownOutcome,
                                            sentAt: r.state == .sent ? clock.now : nil)
            }
        }
        func flush() throws {
            guard !pending.isEmpty else { return }
            try shared.serializingWrites { try store.write(writePending) }
            pending.removeAll()
        }
        defer { try? flush() }
        while !shared.isStopped {
            let wanted = shared.reserve(batchSize)
            guard wanted > 0 else { try flush(); return }
            // The last batch's results and the next claim share one transaction (one fsync).
            let claimed = try shared.serializingWrites {
                try store.write { () throws -> [QueuedMail] in
                    try writePending()
                    return try store.claimDueMail(now: clock.now, wallNow: clock.wallNow, owner: owner,
                                                  leaseUntil: clock.wallNow + leaseSeconds, limit: wanted)
                }
            }
            pending.removeAll()
            shared.giveBack(wanted - claimed.count)
            if claimed.isEmpty { return }
            let cancelled = claimed.filter { $0.state == .cancelled }.count
            if cancelled > 0 {
                // Cancelled at claim time (the books changed since): not sent, not counted against --limit.
                shared.update { $0.cancelled += cancelled }
                shared.giveBack(cancelled)
            }
            for (index, mail) in claimed.enumerated() where mail.state != .cancelled {
                if shared.isStopped {
                    try flush()
                    try shared.serializingWrites { try store.releaseMail(ids: claimed[index...].map(\.id), owner: owner) }
                    return
                }
                let outcome: SMTPOutcome
                do {
                    if let body = try store.mailBody(id: mail.id) {
                        // PostgreSQL: the bytes stored with the queue row, whichever host queued it.
                        outcome = try body.withUnsafeBytes { try sender.send(bytes: $0, from: mail.sender, to: mail.recipient) }
                    } else {
                        outcome = try reader.withContents(ofFile: mail.file, in: outboxPath) { bytes in
                            try sender.send(bytes: bytes, from: mail.sender, to: mail.recipient)
                        }
                    }
                } catch {
                    record(id: mail.id, owner: owner, state: .failed, reply: "\(error)",
                           nextAttemptAt: nil, unknownOutcome: false)
                    shared.update { $0.failed += 1 }
                    continue
                }
                let attempts = mail.attempts + 1
                switch outcome {
                case .sent(let reply):
                    record(id: mail.id, owner: owner, state: .sent, reply: reply.line, nextAttemptAt: nil,
                           unknownOutcome: false)
                    shared.update { $0.sent += 1 }
                case .failed(let failure):
                    record(id: mail.id, owner: owner, state: .failed, reply: failure.description,
                           nextAttemptAt: nil, unknownOutcome: false)
                    shared.update { $0.failed += 1 }
                case .deferred(let failure), .unknownOutcome(let failure):
                    let unknown: Bool
                    if case .unknownOutcome = outcome { unknown = true } else { unknown = false }
                    if let delay = policy.delay(afterAttempts: attempts, using: &generator) {
                        record(id: mail.id, owner: owner, state: .deferred, reply: failure.description,
                               nextAttemptAt: clock.now + Int64(delay), unknownOutcome: unknown)
                        shared.update { if unknown { $0.unknown += 1 } else { $0.deferred += 1 } }
                    } else {
                        record(id: mail.id, owner: owner, state: .failed,
                               reply: "gave up after \(attempts) attempts: \(failure)", nextAttemptAt: nil,
                               unknownOutcome: unknown)
                        shared.update { $0.failed += 1 }
                    }
                case .pauseRun(let failure):
                    try flush()
                    try shared.serializingWrites { try store.releaseMail(ids: claimed[index...].map(\.id), owner: owner) }
                    shared.stop(because: failure.description)
                    return
                }
            }
        }
        try flush()
    }

    /// What the worker threads share: the budget of messages, the counts, and a lock that
    /// serializes their database writes.
    final class Shared: Sendable {
        private let state: Mutex<(budget: Int, stopped: Bool, summary: Summary)>
        private let writes = Mutex(())

        /// Runs one write transaction of a worker while no other worker of this run writes. The
        /// workers' connections would otherwise meet SQLite's busy handler, which sleeps 1 ms, then
        /// 2, 5, 10… before it retries (a third of the transactions with 4 connections did); a
        /// worker waiting on this lock wakes as soon as the other commit is done. Other processes
        /// still meet the busy timeout.
        func serializingWrites<R>(_ body: () throws -> R) throws -> R {
            try writes.withLock { _ in try body() }
        }

        init(limit: Int) { state = Mutex((limit, false, Summary())) }

        var isStopped: Bool { state.withLock { $0.stopped } }
        var summary: Summary { state.withLock { $0.summary } }

        func reserve(_ wanted: Int) -> Int {
            state.withLock { s in
                let granted = min(wanted, s.budget)
                s.budget -= granted
                return granted
            }
        }

        func giveBack(_ count: Int) { state.withLock { $0.budget += count } }

        func update(_ change: (inout Summary) -> Void) { state.withLock { change(&$0.summary) } }

        func stop(because reason: String) {
            state.withLock { s in
                s.stopped = true
                if s.summary.pausedBecause == nil { s.summary.pausedBecause = reason }
            }
        }
    }
}
