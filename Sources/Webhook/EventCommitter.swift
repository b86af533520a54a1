import Dispatch
import Foundation
import Store
import Synchronization

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
            let (batch, stopping) = queue.withLock { queue in
                let count = min(queue.waiting.count, maxBatch)
                let batch = Array(queue.waiting.prefix(count))
                queue.waiting.removeFirst(count)
                return (batch, queue.stopping && queue.waiting.isEmpty)
            }
            if !batch.isEmpty {
                if store == nil {
                    do {
                        let opened = try Store(path: handler.databasePath)
                        try opened.disableAutomaticCheckpoints()  // the checkpointer's thread does them
                        store = opened
                    } catch {
                        let failure = handler.internalFailure(nil, error)
                        for item in batch { item.reply(.failure(failure)) }
                    }
                }
                if let store { commit(batch, store: store) }
                // Wake once per leftover submission already signalled; the semaphore counts them.
                for _ in 1..<batch.count { wake.wait() }
            }
            if stopping { break }
        }
        store = nil  // closed (and checkpointed) before `stop()` returns
        finished.signal()
    }

    /// One transaction for the batch; replies after COMMIT returns.
    func commit(_ batch: [Submission], store: Store) {
        var results: [Result<WebhookHandler.Outcome, WebhookError>] = []
        results.reserveCapacity(batch.count)
        do {
            try store.write {
                for item in batch {
                    results.append(handler.applying(item.event, payload: item.payload, store: store))
                }
            }
            checkpointer.committed()
        } catch {
            let failure = handler.internalFailure(nil, error)
            results = batch.map { _ in .failure(failure) }
        }
        for (item, result) in zip(batch, results) { item.reply(result) }
    }
}
