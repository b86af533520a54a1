import Foundation
import Store
import Synchronization

/// `invoice serve`'s event delivery: passes of `EventDeliveryRun` on a thread of its own, one right
/// after another while there is work, else once a second, until `stop`.
public final class EventsLoop: Sendable {
    private let run: EventDeliveryRun
    private let stopping = Mutex(false)
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    public init(run: EventDeliveryRun) { self.run = run }

    public func start() {
        let thread = Thread { [self] in
            defer { finished.signal() }
            // A short-lived connection says whether anything waits (held open, it would pin the
            // database's file system: a remount read-only fails while it is open); a pass (its own
            // workers and connections) runs only then, so an idle server costs one small query a second.
            var reported = ""
            func report(_ text: String) {
                guard text != reported else { return }
                reported = text
                FileHandle.standardError.write(Data("invoice serve: events: \(text)\n".utf8))
            }
            while !stopping.withLock({ $0 }) {
                var busy = false
                do {
                    let waiting = try Store(path: run.databasePath).undeliveredCount()
                    if waiting > 0 {
                        let summary = try run.run()
                        busy = summary.delivered > 0
                        for error in summary.errors { report(error) }
                    }
                } catch {
                    report("\(error)")
                }
                if !busy { _ = wake.wait(timeout: .now() + 1) }
            }
        }
        thread.start()
    }

    /// Ends the loop after the pass it is in.
    public func stop() {
        stopping.withLock { $0 = true }
        wake.signal()
        finished.wait()
    }
}
