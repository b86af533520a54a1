import Foundation

/// One HTTP/1.1 request as the parser framed it: the body is exactly `Content-Length` bytes.
public struct HTTPRequest: Sendable, Hashable {
    public var method: String
    /// The request target as sent (origin form, `/path?query`).
    public var target: String
    public var version: String
    /// Header fields in arrival order, names as sent.
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(method: String, target: String, version: String = "HTTP/1.1", headers: [HTTPHeader] = [],
                body: [UInt8] = []) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
    }

    /// The path without the query.
    public var path: String {
        if let mark = target.firstIndex(of: "?") { return String(target[..<mark]) }
        return target
    }

    /// The value of the first field with this name (names compare case-insensitively).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.utf8.count == name.utf8.count && $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Whether the connection stays open after the answer: HTTP/1.1 unless `Connection: close`,
    /// HTTP/1.0 only with `Connection: keep-alive`.
    public var wantsKeepAlive: Bool {
        let tokens = (header("connection") ?? "").lowercased().split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }
        if version == "HTTP/1.0" { return tokens.contains("keep-alive") }
        return !tokens.contains("close")
    }
}

public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A complete response; `serialized` adds `Content-Length` and the `Connection` field.
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON answer (`application/json`), the body given as serialized text.
    public static func json(_ status: Int, _ text: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")] + headers,
                     body: Array((text + "\n").utf8))
    }

    /// `{"error": message}` with the status.
    public static func error(_ status: Int, _ message: String, headers: [HTTPHeader] = []) -> HTTPResponse {
        json(status, JSONText.object([("error", .string(message))]), headers: headers)
    }

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The bytes on the wire. `keepAlive` false adds `Connection: close`; `headOnly` (an answer to HEAD)
    /// keeps the GET's `Content-Length` and leaves the body out.
    public func serialized(keepAlive: Bool = false, headOnly: Bool = false) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(HTTPResponse.reason(for: status))\r\n"
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        head += "Content-Length: \(body.count)\r\n"
        head += keepAlive ? "\r\n" : "Connection: close\r\n\r\n"
        return headOnly ? Array(head.utf8) : Array(head.utf8) + body
    }

    public static func reason(for status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        default: "Status \(status)"
        }
    }
}

/// Answers one request; runs on a worker of the server's pool, so it may block (SQLite) but must not keep state.
public typealias HTTPHandler = @Sendable (HTTPRequest) -> HTTPResponse

/// Answers one request later: runs on a worker, and calls the responder exactly once, from any
/// thread, when the answer is ready (the connection waits for it, in order).
public typealias HTTPDeferredHandler = @Sendable (HTTPRequest, HTTPResponder) -> Void

/// Answers cheap requests on the event loop's own thread (health checks, refusals), or returns nil to
/// send the request to a worker. It must never block: it delays every connection while it runs.
public typealias HTTPImmediateHandler = @Sendable (HTTPRequest) -> HTTPResponse?

/// A tiny JSON writer for answers (keys in the order given; strings escaped per RFC 8259).
public enum JSONText: Sendable {
    public enum Value: Sendable {
        case string(String)
        case null
    }

    public static func object(_ pairs: [(String, Value)]) -> String {
        let items = pairs.map { key, value -> String in
            switch value {
            case .string(let text): "\(quote(key)): \(quote(text))"
            case .null: "\(quote(key)): null"
            }
        }
        return "{" + items.joined(separator: ", ") + "}"
    }

    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
