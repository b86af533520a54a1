import Foundation
import Glibc
import Testing
import TestSupport

/// `invoice serve` as a process, driven over raw sockets: slow and idle clients, keep-alive,
/// pipelining, HEAD, the connection cap, internal errors, and one event delivered twice at once.
@Suite(.serialized)
struct ReceiverConnectionTests {
    let fixture: BillingFixture

    init() throws { fixture = try BillingFixture("webhook-receiver") }

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// Sends one byte to each descriptor every 200 ms until `stop` is set (the clients never finish a request).
    final class Dripper: @unchecked Sendable {
        private let lock = NSLock()
        private var stopped = false
        private let done = DispatchSemaphore(value: 0)

        init(_ descriptors: [Int32]) {
            Thread { [self] in
                while !isStopped {
                    for fd in descriptors { _ = Glibc.send(fd, "X", 1, Int32(MSG_NOSIGNAL)) }
                    usleep(200_000)
                }
                done.signal()
            }.start()
        }

        private var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }

        func stop() {
            lock.lock(); stopped = true; lock.unlock()
            _ = done.wait(timeout: .now() + 5)
        }
    }

    /// The number of sockets process `pid` holds, once it is at least `count` (or when `timeout` s passed).
    static func waitForSockets(of pid: Int32, atLeast count: Int, timeout: Double) -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        var sockets = 0
        repeat {
            let folder = "/proc/\(pid)/fd"
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            sockets = entries.filter { (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/" + $0))?.hasPrefix("socket:") == true }.count
            if sockets >= count { return sockets }
            usleep(10_000)
        } while Date() < deadline
        return sockets
    }

    /// 100 idle connections and 100 that drip a header byte by byte must not stop `/healthz` or an event.
    /// No timing is judged here: the slow clients never finish their requests while the answers are
    /// awaited, so a loop that blocks on one of them never answers at all; the 30 s bound only ends
    /// such a run. The server is asked only once it holds all 200 connections (counted in /proc).
    /// The 50 ms target is measured by the bench.
    /// Mutation (mutants.tsv http-accept-blocking): leave accepted sockets blocking (skip `Posix.makeNonBlocking`) and read until EAGAIN
    /// (drop the short-read `break` in `EventLoop.readable`) → the loop blocks in `recv` on the first
    /// slow client and this test fails (checked); so did the old thread-per-connection receiver.
    @Test func twoHundredIdleAndSlowConnectionsDoNotDelayHealthOrAnEvent() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }

        var idle: [RawClient] = []
        for _ in 0..<100 { idle.append(try RawClient(port: server.port)) }
        var slow: [RawClient] = []
        for _ in 0..<100 {
            let client = try RawClient(port: server.port)
            try client.send("POST /webhooks/payments HTTP/1.1\r\nHost: a\r\nX-Slow: ")
            slow.append(client)
        }
        let dripper = Dripper(slow.map(\.fd))
        defer { dripper.stop() }
        // The server has accepted every connection: 200 client sockets beside its listener.
        let accepted = Self.waitForSockets(of: server.process.processIdentifier, atLeast: 201, timeout: 30)
        #expect(accepted >= 201, "the server holds \(accepted) sockets")

        for _ in 0..<3 {
            let health = try RawClient(port: server.port)
            try health.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(try health.answer(timeout: 30).status == 200)
        }
        let event = try RawClient(port: server.port)
        try event.send(signedRequest(paymentBody(id: "evt_slow", invoice: number, amount: "10.00"),
                                     messageID: "msg_slow", timestamp: now))
        let answer = try event.answer(timeout: 30)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.body.contains("\"applied\""))
        dripper.stop()
        #expect(idle.count + slow.count == 200)
        #expect(server.stop(), "invoice serve did not stop cleanly with 200 connections open")
    }

    /// Mutation (mutants.tsv http-always-close): always add `Connection: close` and close after each answer → this test fails.
    @Test func twoRequestsOnOneConnectionAreBothAnswered() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        let first = try client.answer()
        #expect(first.status == 200)
        #expect(first.header("connection") != "close")
        try client.send(signedRequest(paymentBody(id: "evt_keep", invoice: number, amount: "10.00"),
                                      messageID: "msg_keep", timestamp: now))
        let second = try client.answer()
        #expect(second.status == 200, "\(second.body)")
        #expect(second.body.contains("\"applied\""))
        #expect(try fixture.paymentCount() == 1)
    }

    /// Mutation (mutants.tsv http-drop-pipelined): drop the bytes buffered after a request's body (parse one request per read) → the second
    /// and third answers never come and this test fails; answering in completion order instead of request
    /// order swaps the first two.
    @Test func threePipelinedRequestsAreAnsweredInOrder() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        let event = try signedRequest(paymentBody(id: "evt_pipe", invoice: number, amount: "10.00"),
                                      messageID: "msg_pipe", timestamp: now)
        try client.send(event + Array("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        let answers = try client.answers(3)
        #expect(answers.map(\.status) == [200, 200, 404])
        #expect(answers[0].body.contains("\"applied\""))
        #expect(answers[1].body.contains("\"ok\""))
        #expect(answers[2].body.contains("/nowhere"))
    }

    /// HEAD answers carry the GET's headers and no body; `Connection: close` is honoured.
    /// Mutation (mutants.tsv http-head-with-body): serialize HEAD answers with their body → the second answer on this connection is
    /// misframed and this test fails; ignoring `Connection: close` fails the last expectation.
    @Test func headHasNoBodyAndConnectionCloseIsHonoured() throws {
        defer { fixture.remove() }
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }
        let client = try RawClient(port: server.port)
        try client.send("HEAD /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        let head = try client.answer(bodyless: true)
        #expect(head.status == 200)
        #expect(Int(head.header("content-length") ?? "") ?? 0 > 0)
        try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
        let get = try client.answer()
        #expect(get.status == 200)
        #expect(get.body.contains("\"ok\""))
        #expect(get.header("connection") == "close")
        #expect(try client.closedByServer(timeout: 5))
    }

    /// Mutation (mutants.tsv http-no-connection-cap): accept without counting connections (no cap) → the fifth client is served and this test fails.
    @Test func beyondTheConnectionCapTheAnswerIs503WithRetryAfter() throws {
        defer { fixture.remove() }
        let server = try ServerProcess(database: fixture.cli.database, arguments: ["--max-connections", "4"])
        defer { server.stop() }
        var held: [RawClient] = []
        for _ in 0..<4 { held.append(try RawClient(port: server.port)) }
        try held[0].send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        #expect(try held[0].answer().status == 200)  // the four are accepted and counted
        let extra = try RawClient(port: server.port)
        try extra.send("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n")
        let refused = try extra.answer()
        #expect(refused.status == 503)
        #expect(refused.header("retry-after") != nil)
        #expect(try extra.closedByServer(timeout: 5))
        held.removeAll()  // closing one frees its place
        let later = try waitForAnswer(port: server.port, status: 200)
        #expect(later)
    }

    /// Polls `/healthz` with fresh connections until it answers `status` (bounded: 5 s).
    func waitForAnswer(port: Int, status: Int) throws -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let client = try RawClient(port: port)
            try client.send("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            if try client.answer().status == status { return true }
            usleep(20_000)
        }
        return false
    }

    /// A database failure answers 500 with no internal detail and logs the detail on stderr.
    /// Mutation (mutants.tsv webhook-500-detail): answer `"\(error)"` as the 500 message → this test fails.
    @Test func anInternalErrorAnswers500WithoutDetailAndLogsIt() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let log = fixture.directory.path("serve.log")
        let server = try ServerProcess(database: fixture.cli.database, stderrPath: log)
        defer { server.stop() }
        try fixture.cli.sql("DROP TABLE webhook_events")
        let client = try RawClient(port: server.port)
        try client.send(signedRequest(paymentBody(id: "evt_500", invoice: number, amount: "10.00"),
                                      messageID: "msg_500", timestamp: now))
        let answer = try client.answer()
        #expect(answer.status == 500)
        #expect(!answer.body.contains("webhook_events"))
        #expect(!answer.body.lowercased().contains("sqlite"))
        #expect(server.stop())
        let logged = try String(contentsOfFile: log, encoding: .utf8)
        #expect(logged.contains("webhook_events"), "stderr: \(logged)")
    }

    /// The same event (same id and body) sent on two connections at the same instant: the last byte of
    /// both requests goes out back to back, so both are complete at the server together.
    /// Mutation (mutants.tsv webhook-duplicates-undetected): make `recordWebhookEvent` report every id as new (no duplicate detection) → two payments
    /// are recorded or the second answer is a 409, and this test fails.
    @Test func theSameEventDeliveredTwiceAtTheSameInstantIsAppliedOnce() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice(net: "10.00")
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }
        let request = try signedRequest(paymentBody(id: "evt_twice", invoice: number, amount: "5.00"),
                                        messageID: "msg_twice", timestamp: now)
        let a = try RawClient(port: server.port), b = try RawClient(port: server.port)
        try a.send(Array(request.dropLast()))
        try b.send(Array(request.dropLast()))
        usleep(100_000)
        try a.send([request[request.count - 1]])
        try b.send([request[request.count - 1]])
        let answers = [try a.answer(), try b.answer()]
        #expect(answers.map(\.status) == [200, 200], "\(answers.map(\.body))")
        let outcomes = try answers.map { answer in
            try #require(try jsonObject(JSONSerialization.jsonObject(with: Data(answer.body.utf8)))["status"] as? String)
        }
        #expect(outcomes.sorted() == ["applied", "duplicate"])
        #expect(try fixture.paymentCount() == 1)
        #expect(try fixture.invoice(number)["paid"] as? String == "5.00")
    }
}
