import Foundation
import Testing
import TestSupport

/// A real event receiver on 127.0.0.1 (Python's http.server), verifying every request with the
/// reference Standard Webhooks library (`standardwebhooks`) against the secrets its config gives
/// each path, and logging each request as a JSON line. Modes per path: `ok` (200), `fail:N` (500 for
/// the first N requests of a webhook-id, then 200), `hang` (answers after 30 s), `gone` (410).
/// The config file is read on every request, so a test changes a path's mode or secrets as it goes.
final class EventReceiver {
    struct Request {
        let path: String
        let id: String
        let timestamp: String
        let signatures: [String]
        let verified: [Bool]
        let body: String
        let status: Int
        let at: Double
        func payload() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        }
    }

    static let script = #"""
import sys, json, threading, time, http.server
from standardwebhooks.webhooks import Webhook
port_file, log_path, config_path = sys.argv[1:4]
lock = threading.Lock()
seen = {}
log = open(log_path, 'a')
class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'
    def log_message(self, *args): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('content-length', '0')))
        config = json.load(open(config_path)).get(self.path, {"mode": "ok", "secrets": []})
        headers = {k.lower(): v for k, v in self.headers.items()}
        verified = []
        for secret in config["secrets"]:
            try:
                Webhook(secret).verify(body, headers); verified.append(True)
            except Exception:
                verified.append(False)
        wid = headers.get('webhook-id', '')
        with lock:
            seen[(self.path, wid)] = seen.get((self.path, wid), 0) + 1
            count = seen[(self.path, wid)]
        mode = config["mode"]
        status = 200
        if mode.startswith('fail:') and count <= int(mode[5:]): status = 500
        elif mode == 'gone': status = 410
        elif mode == 'hang': time.sleep(30)
        with lock:
            log.write(json.dumps({"path": self.path, "id": wid, "timestamp": headers.get('webhook-timestamp'),
                                  "signatures": headers.get('webhook-signature', '').split(' '), "verified": verified,
                                  "body": body.decode(), "status": status, "at": time.time()}) + "\n")
            log.flush()
        answer = b'{"ok": true}' if status == 200 else b'nope'
        self.send_response(status)
        self.send_header('Content-Length', str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128
server = Server(('127.0.0.1', 0), Handler)
with open(port_file + '.tmp', 'w') as f: f.write(str(server.server_address[1]))
import os; os.rename(port_file + '.tmp', port_file)
server.serve_forever()
"""#

    let directory: TemporaryDirectory
    let process: Process
    let port: Int
    private var config: [String: (mode: String, secrets: [String])] = [:]

    init() throws {
        directory = try TemporaryDirectory("event-receiver")
        try Data("{}".utf8).write(to: directory.url.appendingPathComponent("config.json"))
        try Data(EventReceiver.script.utf8).write(to: directory.url.appendingPathComponent("receiver.py"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", directory.path("receiver.py"), directory.path("port"), directory.path("log.jsonl"),
                             directory.path("config.json")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: "/dev/stderr")
        try process.run()
        self.process = process
        // The port file appears (renamed into place, whole) once the server listens.
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while Date() < deadline, process.isRunning, found == nil {
            if let text = try? String(contentsOfFile: directory.path("port"), encoding: .utf8) { found = Int(text) } else { usleep(20_000) }
        }
        guard let found else {
            kill(process.processIdentifier, SIGKILL)
            throw ProcessRunnerError.failed("the event receiver did not start")
        }
        port = found
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Sets what `path` answers and which secrets it verifies with.
    func set(_ path: String, mode: String, secrets: [String]) throws {
        config[path] = (mode, secrets)
        let object = Dictionary(uniqueKeysWithValues: config.map { ($0.key, ["mode": $0.value.mode, "secrets": $0.value.secrets] as [String: Any]) })
        let data = try JSONSerialization.data(withJSONObject: object)
        try data.write(to: directory.url.appendingPathComponent("config.json.tmp"))
        _ = rename(directory.path("config.json.tmp"), directory.path("config.json"))
    }

    /// Every request logged so far (a request is logged once it is answered).
    func requests(_ path: String? = nil) throws -> [Request] {
        guard let text = try? String(contentsOfFile: directory.path("log.jsonl"), encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { line in
            let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            return Request(path: try #require(o["path"] as? String), id: try #require(o["id"] as? String),
                           timestamp: try #require(o["timestamp"] as? String), signatures: try #require(o["signatures"] as? [String]),
                           verified: try #require(o["verified"] as? [Bool]), body: try #require(o["body"] as? String),
                           status: try #require(o["status"] as? Int), at: try #require(o["at"] as? Double))
        }.filter { path == nil || $0.path == path }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        directory.remove()
    }
}

@available(*, unavailable)
extension EventReceiver: Sendable {}
