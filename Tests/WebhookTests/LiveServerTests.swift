import Foundation
import Testing
import TestSupport

/// `invoice serve` started as a process on 127.0.0.1 and an ephemeral port, with `curl` as the client.
final class ServerProcess {
    let process = Process()
    let port: Int
    private var stopped = false

    /// `stderrPath` collects what the server logs (else it is discarded); `arguments` go after `serve`.
    /// `workingDirectory`: the folder it runs in (a host of its own), else the database file's folder.
    init(database: String, environment: [String: String] = ["INVOICE_WEBHOOK_SECRET": TestSecret.text],
         arguments: [String] = [], stderrPath: String? = nil, workingDirectory: URL? = nil) throws {
        process.executableURL = Paths.invoiceExecutable
        // The folder of the database file is the working directory (on PostgreSQL the outbox is there).
        process.arguments = ["--db", try TestEngine.location(for: database), "--date", BillingFixture.today, "serve", "--port", "0"]
            + arguments
        process.currentDirectoryURL = workingDirectory ?? URL(fileURLWithPath: database).deletingLastPathComponent()
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        if let stderrPath {
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let reader = output.fileHandleForReading
        let box = LineBox()
        let ready = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            var collected = Data()
            while !collected.contains(UInt8(ascii: "\n")) {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                collected += chunk
            }
            box.set(String(decoding: collected, as: UTF8.self))
            ready.signal()
        }
        let line = ready.wait(timeout: .now() + 20) == .success ? box.value : ""
        let prefix = "listening on http://127.0.0.1:"
        let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix(prefix), let port = Int(trimmed.dropFirst(prefix.count)) else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            throw ProcessRunnerError.failed("invoice serve did not announce its port: '\(line)'")
        }
        self.port = port
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// SIGTERM, then up to 10 s for a clean exit; SIGKILL only as a last resort. True when it stopped
    /// by itself with status 0.
    @discardableResult
    func stop() -> Bool {
        guard !stopped else { return false }
        stopped = true
        let pid = process.processIdentifier
        if process.isRunning { kill(pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        let clean = !process.isRunning
        if !clean { kill(pid, SIGKILL) }
        process.waitUntilExit()
        return clean && process.terminationReason == .exit && process.terminationStatus == 0
    }

    deinit { stop() }
}

@available(*, unavailable)
extension ServerProcess: Sendable {}

final class LineBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = ""
    func set(_ text: String) { lock.lock(); stored = text; lock.unlock() }
    func append(_ line: String) { lock.lock(); stored += line + "\n"; lock.unlock() }
    var value: String { lock.lock(); defer { lock.unlock() }; return stored }
}

/// One curl exchange: the status and the body.
struct CurlAnswer: Sendable {
    let status: Int
    let body: String
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
}

enum Curl: Sendable {
    /// Shell-quotes one argument.
    static func quote(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    /// The curl command line for a signed POST of `bodyFile`, writing the body to `outFile` and printing the status.
    static func signedPost(url: String, bodyFile: String, outFile: String, messageID: String, timestamp: Int64,
                           signature: String) -> String {
        ["curl", "-sS", "--max-time", "20", "-o", outFile, "-w", "%{http_code}", "-X", "POST",
         "-H", "Content-Type: application/json", "-H", "webhook-id: \(messageID)",
         "-H", "webhook-timestamp: \(timestamp)", "-H", "webhook-signature: \(signature)",
         "--data-binary", "@\(bodyFile)", url + "/webhooks/payments"].map(quote).joined(separator: " ")
    }

    static func run(_ command: String, outFile: String) throws -> CurlAnswer {
        let result = try ProcessRunner.shell(command, timeout: 30)
        let body = (try? String(contentsOfFile: outFile, encoding: .utf8)) ?? ""
        return CurlAnswer(status: Int(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1, body: body)
    }
}

@Suite(.serialized)
struct LiveServerTests {
    let fixture: BillingFixture

    init() throws { fixture = try BillingFixture("webhook-live") }

    var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// POSTs `body` signed (by Python's hmac) for `timestamp`, or with the given signature.
    func post(_ server: ServerProcess, _ body: [UInt8], messageID: String = "msg_live", timestamp: Int64? = nil,
              signature: String? = nil) throws -> CurlAnswer {
        let stamp = timestamp ?? now
        let name = UUID().uuidString.prefix(8)
        let bodyFile = fixture.directory.path("body-\(name).json"), outFile = fixture.directory.path("answer-\(name).json")
        try Data(body).write(to: URL(fileURLWithPath: bodyFile))
        let signed = try signature ?? TestSecret.pythonSignature(id: messageID, timestamp: String(stamp), body: body)
        return try Curl.run(Curl.signedPost(url: server.url, bodyFile: bodyFile, outFile: outFile, messageID: messageID,
                                            timestamp: stamp, signature: signed), outFile: outFile)
    }

    @Test func aSignedPaymentOverTheNetworkPaysActivatesQueuesAReceiptAndARedeliveryChangesNothing() throws {
        defer { fixture.remove() }
        let number = try fixture.planInvoice()
        let total = try #require(try fixture.invoice(number)["total"] as? String)
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }

        let health = try Curl.run("curl -sS --max-time 10 -o \(Curl.quote(fixture.directory.path("h.json"))) -w '%{http_code}' \(server.url)/healthz",
                                  outFile: fixture.directory.path("h.json"))
        #expect(health.status == 200)

        let body = paymentBody(id: "evt_live_1", invoice: number, amount: total)
        let first = try post(server, body)
        #expect(first.status == 200, "\(first.body)")
        #expect(first.json["status"] as? String == "applied")
        #expect(try fixture.invoice(number)["status"] as? String == "paid")
        #expect(try fixture.planStatus() == "active")
        #expect(try fixture.outbox().filter { $0["kind"] as? String == "receipt" }.count == 1)

        let again = try post(server, body)
        #expect(again.status == 200)
        #expect(again.json["status"] as? String == "duplicate")
        #expect(try fixture.paymentCount() == 1)
        #expect(try fixture.outbox().filter { $0["kind"] as? String == "receipt" }.count == 1)
        #expect(server.stop(), "invoice serve did not exit cleanly on SIGTERM")
    }

    @Test func badSignaturesStaleTimestampsAndLargeBodiesAreRefusedOverTheNetwork() throws {
        defer { fixture.remove() }
        let number = try fixture.issuedInvoice()
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }
        let before = try fixture.cli.dump()
        let body = paymentBody(id: "evt_live_bad", invoice: number, amount: "10.00")
        #expect(try post(server, body, signature: "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").status == 401)
        #expect(try post(server, body, timestamp: now - 301).status == 401)

        let big = [UInt8](repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024)
        #expect(try post(server, big).status == 413)
        // Also without `Expect: 100-continue`: the answer must not be lost to a reset.
        let bigFile = fixture.directory.path("big.bin"), outFile = fixture.directory.path("big-answer.json")
        try Data(big).write(to: URL(fileURLWithPath: bigFile))
        let noExpect = try Curl.run("curl -sS --max-time 20 -H 'Expect:' -o \(Curl.quote(outFile)) -w '%{http_code}' --data-binary @\(Curl.quote(bigFile)) \(server.url)/webhooks/payments",
                                    outFile: outFile)
        #expect(noExpect.status == 413)
        #expect(try fixture.cli.dump() == before)
        #expect(server.stop())
    }

    @Test func twentyConcurrentDeliveriesForTwentyInvoicesAreEachAppliedExactlyOnce() throws {
        defer { fixture.remove() }
        var numbers: [String] = []
        for _ in 0..<20 { numbers.append(try fixture.issuedInvoice(net: "10.00")) }
        let server = try ServerProcess(database: fixture.cli.database)
        defer { server.stop() }
        // Twenty curl processes at once, each on its own thread (bounded: --max-time 20, 30 s per process).
        let stamp = now
        var commands: [String] = []
        for (index, number) in numbers.enumerated() {
            let body = paymentBody(id: "evt_many_\(index)", invoice: number, amount: "11.90")
            let bodyFile = fixture.directory.path("many-\(index).json")
            try Data(body).write(to: URL(fileURLWithPath: bodyFile))
            let signature = try TestSecret.secret.signature(id: "msg_\(index)", timestamp: String(stamp), body: body)
            commands.append(Curl.signedPost(url: server.url, bodyFile: bodyFile, outFile: fixture.directory.path("many-\(index).out"),
                                            messageID: "msg_\(index)", timestamp: stamp, signature: signature))
        }
        let codes = LineBox()
        let done = DispatchGroup()
        for (index, command) in commands.enumerated() {
            done.enter()
            Thread {
                let result = try? ProcessRunner.shell(command, timeout: 30)
                codes.append("\(index):\(result?.stdout ?? "none")")
                done.leave()
            }.start()
        }
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(codes.value.split(separator: "\n").sorted() == numbers.indices.map { "\($0):200" }.sorted())
        for index in numbers.indices {
            let answer = (try? String(contentsOfFile: fixture.directory.path("many-\(index).out"), encoding: .utf8)) ?? ""
            #expect(answer.contains("\"applied\""), "delivery \(index): \(answer)")
        }
        #expect(try fixture.paymentCount() == 20)
        let listed = try #require(try fixture.cli.json("list") as? [[String: Any]])
        #expect(listed.allSatisfy { $0["status"] as? String == "paid" })
        #expect(server.stop())
    }

    @Test func theServerRefusesToStartWithoutASecret() throws {
        defer { fixture.remove() }
        let missing = try fixture.cli.run(["serve", "--port", "0"], environment: ["INVOICE_WEBHOOK_SECRET": ""], timeout: 20)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("INVOICE_WEBHOOK_SECRET"))
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let bad = try fixture.cli.run(["serve", "--port", "0"], environment: ["INVOICE_WEBHOOK_SECRET": "whsec_???"], timeout: 20)
        #expect(bad.status == 1)
    }
}
