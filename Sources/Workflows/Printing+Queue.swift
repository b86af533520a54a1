import Foundation

/// A first-in-first-out queue with a fixed capacity: `push` waits while it is full, `pop` waits
/// while it is empty and returns nil once the queue is closed and drained.
///
/// `@unchecked Sendable`: all state is guarded by `condition`.
final class BoundedQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private var head = 0
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    func push(_ item: Element) {
        condition.lock()
        defer { condition.unlock() }
        while items.count - head >= capacity && !closed { condition.wait() }
        guard !closed else { return }
        if head > capacity {
            items.removeFirst(head)
            head = 0
        }
        items.append(item)
        condition.broadcast()
    }

    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while head == items.count && !closed { condition.wait() }
        guard head < items.count else { return nil }
        let item = items[head]
        head += 1
        condition.broadcast()
        return item
    }

    /// No more pushes; waiting pops return what is left, then nil.
    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}
