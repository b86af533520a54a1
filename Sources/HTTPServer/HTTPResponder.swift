import Glibc
import Synchronization

/// Hands one request's answer back to the event loop that owns its connection. Call `respond`
/// exactly once, from any thread; the loop writes answers in the order the requests arrived.
public struct HTTPResponder: Sendable {
    let mailbox: Mailbox
    let connection: ConnectionID

    public func respond(_ response: HTTPResponse) {
        mailbox.post(Mailbox.Answer(connection: connection, response: response))
    }
}

/// Identifies a connection across threads: its descriptor and a serial number, since the kernel
/// reuses descriptors as soon as they are closed.
struct ConnectionID: Sendable, Hashable {
    let fd: Int32
    let serial: UInt64
}

/// Answers from workers to the event loop, and the loop's wake-up: a socket pair whose read end the
/// loop polls. A byte is written only when the box goes from empty to non-empty.
final class Mailbox: Sendable {
    struct Answer: Sendable {
        let connection: ConnectionID
        let response: HTTPResponse
    }

    private struct Box: Sendable {
        var answers: [Answer] = []
        var stopping = false
    }

    private let box = Mutex(Box())
    let readFD: Int32
    private let writeFD: Int32

    init() throws(HTTPError) {
        var pair: [Int32] = [-1, -1]
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        _ = try syscall("socketpair") { socketpair(AF_UNIX, kind, 0, &pair) }
        readFD = pair[0]
        writeFD = pair[1]
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    func post(_ answer: Answer) {
        let wake = box.withLock { box in
            box.answers.append(answer)
            return box.answers.count == 1
        }
        if wake { ring() }
    }

    func requestStop() {
        box.withLock { $0.stopping = true }
        ring()
    }

    var isStopping: Bool { box.withLock { $0.stopping } }

    /// Everything posted so far; empties the wake-up socket first so no ring is lost.
    func take() -> [Answer] {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ recv(readFD, $0.baseAddress, $0.count, 0) }) > 0 {}
        return box.withLock { box in
            defer { box.answers.removeAll(keepingCapacity: true) }
            return box.answers
        }
    }

    private func ring() {
        var byte: UInt8 = 1
        while send(writeFD, &byte, 1, Int32(MSG_NOSIGNAL)) < 0 && errno == EINTR {}
    }
}
