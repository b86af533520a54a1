import Foundation
import Synchronization
import Workflows

/// A one-line progress bar on stderr, redrawn in place; only used when stderr is a terminal.
/// Workers report from their threads; drawing happens under the lock.
final class ProgressBar: Sendable {
    private let total: Int
    /// The number of filled cells last drawn (-1: redraw).
    private let lastDrawn = Mutex(-1)

    init(total: Int) {
        self.total = total
        draw(Printing.Progress(done: 0, failed: 0))
    }

    func update(_ progress: Printing.Progress) { draw(progress) }

    /// Erases the bar so a warning can be printed on a clean line; the next update redraws it.
    func clear() {
        lastDrawn.withLock { lastDrawn in
            write("\r\u{1B}[K")
            lastDrawn = -1
        }
    }

    func finish() {
        lastDrawn.withLock { _ in write("\r\u{1B}[K") }
    }

    private func draw(_ progress: Printing.Progress) {
        lastDrawn.withLock { lastDrawn in
            let width = 30
            let filled = total == 0 ? width : min(width, progress.done * width / total)
            guard filled != lastDrawn || progress.done == total || progress.done % 10 == 0 else { return }
            lastDrawn = filled
            let failed = progress.failed > 0 ? "  \(progress.failed) failed" : ""
            let line = "\rprinting [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
                + "] \(progress.done)/\(total)\(failed)"
            write(line)
        }
    }

    private func write(_ text: String) { try? FileHandle.standardError.write(contentsOf: Data(text.utf8)) }
}
