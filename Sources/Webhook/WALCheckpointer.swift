import Dispatch
import Foundation
import Store
import Synchronization

/// Checkpoints the database's WAL on its own thread and connection, so the committer's transactions
/// never pay for one: with automatic checkpoints, every ~1000 pages one commit also copies the WAL into
/// the database file and fsyncs it, which is what an event's tail latency was made of.
final class WALCheckpointer: Sendable {
    private struct State: Sendable {
        var commits = 0
        var stopping = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Starts the thread; it checkpoints at most every `intervalMilliseconds` while commits happen.
    init(databasePath: String, intervalMilliseconds: Int = 100, log: @escaping @Sendable (String) -> Void) {
        let thread = Thread { [self] in
            var store: Store?
            while true {
                _ = wake.wait(timeout: .now() + .milliseconds(intervalMilliseconds))
                let (due, stopping) = state.withLock { state in
                    defer { state.commits = 0 }
                    return (state.commits > 0, state.stopping)
                }
                if stopping { break }
                guard due else { continue }
                do {
                    if store == nil { store = try Store(path: databasePath) }
                    try store?.checkpoint()
                } catch {
                    log("WAL checkpoint failed: \(error)")
                }
            }
            store = nil
            finished.signal()
        }
        thread.name = "invoice-webhook-checkpoint"
        thread.start()
    }

    /// Notes a commit (cheap: no wake-up; the thread looks on its own schedule).
    func committed() { state.withLock { $0.commits += 1 } }

    func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
        finished.wait()
    }
}
