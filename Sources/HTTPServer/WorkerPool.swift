import Dispatch
import Foundation
import Synchronization

/// A fixed number of threads that run requests the event loop has read completely. Bounded: however
/// many connections are open, at most `count` handlers run at once; the rest wait in the queue.
final class WorkerPool: Sendable {
    typealias Job = @Sendable () -> Void

    private struct Queue: Sendable {
        var jobs: [Job] = []
        var head = 0
        var stopping = false
    }

    private let queue = Mutex(Queue())
    private let available = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    let count: Int

    init(count: Int, name: String) {
        self.count = max(1, count)
        for index in 0..<self.count {
            let thread = Thread { [self] in work() }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    func submit(_ job: @escaping Job) {
        queue.withLock { $0.jobs.append(job) }
        available.signal()
    }

    /// Lets queued jobs finish, then ends every thread.
    func stop() {
        queue.withLock { $0.stopping = true }
        for _ in 0..<count { available.signal() }
        for _ in 0..<count { finished.wait() }
    }

    private func work() {
        while true {
            available.wait()
            let job: Job? = queue.withLock { queue in
                guard queue.head < queue.jobs.count else { return nil }
                let job = queue.jobs[queue.head]
                queue.head += 1
                if queue.head > 1024 && queue.head * 2 > queue.jobs.count {
                    queue.jobs.removeFirst(queue.head)
                    queue.head = 0
                }
                return job
            }
            guard let job else {
                if queue.withLock({ $0.stopping }) { break }
                continue
            }
            job()
        }
        finished.signal()
    }
}
