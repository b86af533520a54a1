import Foundation
import HTTPServer
import Testing
import TestSupport

/// The listener itself with short timeouts, driven by a Python socket client that stalls or drips.
struct SocketListenerTests {
    /// Sends `chunks` with `pause` seconds between them, then prints the status line of the answer.
    func exchange(port: UInt16, chunks: [String], pause: Double) throws -> String {
        let script = """
            import socket, sys, time, json
            chunks = json.loads(sys.argv[2])
            s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
            try:
                for c in chunks:
                    s.sendall(c.encode()); time.sleep(float(sys.argv[3]))
            except OSError:
                pass
            data = b""
            while True:
                part = s.recv(65536)
                if not part: break
                data += part
            print(data.split(b"\\r\\n")[0].decode())
            """
        let json = String(decoding: try JSONSerialization.data(withJSONObject: chunks), as: UTF8.self)
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", "-c", script, String(port), json, String(pause)], timeout: 30)
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func withListener(_ body: (SocketListener) throws -> Void) throws {
        let listener = try SocketListener(.init(host: "127.0.0.1", port: 0, receiveTimeoutSeconds: 1,
                                                requestTimeoutSeconds: 2, drainSeconds: 2))
        listener.start { request in .json(200, JSONText.object([("echo", .string(String(decoding: request.body, as: UTF8.self)))])) }
        defer { listener.stop() }
        try body(listener)
    }

    @Test func aRequestWrittenInSeveralPiecesIsAnswered() throws {
        try withListener { listener in
            let pieces = ["POST /x HTTP/1.1\r\nHost: a\r\n", "Connection: close\r\nContent-Length: 4\r\n\r\n", "ab", "cd"]
            let line = try exchange(port: listener.port, chunks: pieces, pause: 0.05)
            #expect(line == "HTTP/1.1 200 OK")
        }
    }

    @Test func aStalledRequestIsAnswered408AfterTheReceiveTimeout() throws {
        try withListener { listener in
            let line = try exchange(port: listener.port, chunks: ["POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nab"],
                                    pause: 3)
            #expect(line == "HTTP/1.1 408 Request Timeout")
        }
    }

    @Test func aDrippingClientIsCutOffByTheTotalTimeCap() throws {
        try withListener { listener in
            let drip = Array(repeating: "X", count: 12).enumerated().map { $0.offset == 0 ? "GET / HTTP/1.1\r\nX: " : $0.element }
            let line = try exchange(port: listener.port, chunks: drip, pause: 0.4)
            #expect(line == "HTTP/1.1 408 Request Timeout")
        }
    }

    @Test func aBadHostIsRefusedAtStart() {
        #expect(throws: HTTPError.self) { try SocketListener(.init(host: "localhost", port: 0)) }
    }
}
