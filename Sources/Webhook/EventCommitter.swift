import Dispatch
import Foundation
import Store
import Synchronization
import Workflows

/// Group commit for payment events: one thread owns the database connection; events that arrive
/// while a transaction is being committed wait, and are applied together in the next one — each in
/// its own savepoint, so a refused event does not undo the others. Every event is answered only
/// after the transaction that holds it is committed (durable: `synchronous = FULL`), so an
/// acknowledged event survives a crash and an unacknowledged one is simply delivered again.
public final class EventCommitter: Sendable {
    public typealias Reply = @Sendable (Result<WebhookHandler.Outcome, WebhookError>) -> Void

    struct Submission: Sendable {
        let event: PaymentEvent
        let payload: String
        let reply: Reply
    }

    private struct Queue: Sendable {
        var waiting: [Submission] = []
        var stopping = false
        /// Why the last write failed because the store could not write (nil: it worked); cleared by
        /// the next write that commits, a payment's or a probe's.
        var storeFailure: String?
        /// A health check asked for a write probe (while `storeFailure` is set).
        var probeWanted = false
    }

    private let handler: WebhookHandler
    private let maxBatch: Int
    private let queue = Mutex(Queue())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let checkpointer: WALCheckpointer

    /// Opens the database on its own thread and starts applying; `maxBatch` bounds one transaction.
    public init(handler: WebhookHandler, maxBatch: Int = 256) {
        self.handler = handler
        self.maxBatch = max(1, maxBatch)
        checkpointer = WALCheckpointer(databasePath: handler.databasePath, log: handler.log)
        let thread = Thread { [self] in run() }
        thread.name = "invoice-webhook-commit"
        thread.start()
    }

    /// Queues a verified event; `reply` is called once, after the commit (or the failure).
    public func submit(_ event: PaymentEvent, payload: String, reply: @escaping Reply) {
        let accepted = queue.withLock { queue in
            guard !queue.stopping else { return false }
            queue.waiting.append(Submission(event: event, payload: payload, reply: reply))
            return true
        }
        if accepted {
            wake.signal()
        } else {
            reply(.failure(WebhookError(503, "the receiver is stopping; deliver the event again later")))
        }
    }

    /// Why the store cannot record payments now, for `/healthz` (nil: it can). Cheap and never blocks:
    /// the file system's verdict (access(2)) on every call, else the last write's failure — and while
    /// that is set, each call asks the commit thread for a write probe, so health comes back by itself
    /// once the operator has freed space or fixed the permissions.
    public func storeProblem() -> String? {
        if let obstacle = Store.writeObstacle(handler.databasePath) {
            return "the database \(handler.databasePath) cannot be written (\(obstacle))"
        }
        let (failure, wake) = queue.withLock { queue -> (String?, Bool) in
            guard let failure = queue.storeFailure, !queue.stopping else { return (queue.storeFailure, false) }
            defer { queue.probeWanted = true }
            return (failure, !queue.probeWanted)
        }
        if wake { self.wake.signal() }
        return failure
    }

    /// Notes the outcome of a write: nil when it committed.
    private func noteStore(_ failure: String?) {
        let reason = failure.map { $0.replacingOccurrences(of: WebhookHandler.redeliver, with: "") }
        queue.withLock { $0.storeFailure = reason }
    }

    /// Applies what is queued, then ends the thread.
    public func stop() {
        let first = queue.withLock { queue in
            defer { queue.stopping = true }
            return !queue.stopping
        }
        guard first else { return }
        wake.signal()
        finished.wait()
        checkpointer.stop()
    }

    private func run() {
        var store: Store?
        while true {
            wake.wait()
            let (batch, stopping, probe) = queue.withLock { queue in
                let count = min(queue.waiting.count, maxBatch)
                let batch = Array(queue.waiting.prefix(count))
                queue.waiting.removeFirst(count)
                defer { queue.probeWanted = false }
                return (batch, queue.stopping && queue.waiting.isEmpty, queue.probeWanted)
            }
            if !batch.isEmpty || probe {
                if store == nil {
                    do {
                        let opened = try Store(path: handler.databasePath, audit: .webhook)
                        try opened.disableAutomaticCheckpoints()  // the checkpointer's thread does them
                        store = opened
                    } catch {
                        let failure = handler.storeFailure(error) ?? handler.internalFailure(nil, error)
                        noteStore(failure.message)
                        for item in batch { item.reply(.failure(failure)) }
                    }
                }
                if let opened = store {
                    // A connection that could not write is opened again next time (SQLite keeps a file it
                    // opened read-only read-only, even once it is writable again).
                    if !batch.isEmpty, !commit(batch, store: opened) { store = nil }
                    if batch.isEmpty, probe {
                        do {
                            try opened.probeWrite()
                            noteStore(nil)
                        } catch {
                            noteStore((handler.storeFailure(error) ?? handler.internalFailure(nil, error)).message)
                            store = nil
                        }
                    }
                }
                // Wake once per leftover submission already signalled; the semaphore counts them.
                for _ in 1..<max(batch.count, 1) { wake.wait() }
            }
            if stopping { break }
        }
        store = nil  // closed (and checkpointed) before `stop()` returns
        finished.signal()
    }

    /// One transaction for the batch; replies after COMMIT returns. False when the store could not
    /// write (the health check says so until a write works again).
    @discardableResult
    func commit(_ batch: [Submission], store: Store) -> Bool {
        var results: [Result<WebhookHandler.Outcome, WebhookError>] = []
        results.reserveCapacity(batch.count)
        var storeFailure: WebhookError?
        do {
            try store.write {
                // A transaction PostgreSQL could not serialize runs this again: the answers start over.
                results = []
                storeFailure = nil
                for item in batch {
                    let result = try handler.applying(item.event, payload: item.payload, store: store)
                    if case .failure(let error) = result, error.status == 503 { storeFailure = error }
                    results.append(result)
                }
            }
            checkpointer.committed()
            #if DEBUG
            FaultPoint.webhookCommittedBeforeAnswer.reach()
            #endif
        } catch {
            let failure = handler.storeFailure(error) ?? handler.internalFailure(nil, error)
            if failure.status == 503 { storeFailure = failure }
            results = batch.map { _ in .failure(failure) }
        }
        noteStore(storeFailure?.message)
        for (item, result) in zip(batch, results) { item.reply(result) }
        return storeFailure == nil
    }
}
