import Foundation
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
            while !stopping.withLock({ $0 }) {
                var busy = false
                do {
                    let summary = try run.run()
                    busy = summary.delivered > 0
                    for error in summary.errors { FileHandle.standardError.write(Data("invoice serve: events: \(error)\n".utf8)) }
                } catch {
                    FileHandle.standardError.write(Data("invoice serve: events: \(error)\n".utf8))
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
