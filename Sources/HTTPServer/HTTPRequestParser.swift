/// Frames one HTTP/1.1 request from bytes as they arrive, without sockets: feed chunks to `consume`,
/// which answers nil until the request is complete.
///
/// Strict on purpose (a webhook sender has no reason to be creative): a header block over
/// `maxHeaderBytes` is 431; `Transfer-Encoding` in any form, repeated `Content-Length`, a length that
/// is not plain ASCII digits, obsolete line folding, and bare LF line ends are 400; a length over
/// `maxBodyBytes` is 413 as soon as the headers are read. No `Content-Length` means an empty body.
public struct HTTPRequestParser: Sendable {
    public struct Limits: Sendable, Hashable {
        public var maxHeaderBytes: Int
        public var maxBodyBytes: Int

        public init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 1024 * 1024) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxBodyBytes = maxBodyBytes
        }
    }

    public let limits: Limits
    private var buffer: [UInt8] = []
    /// How far `buffer` has been searched for the end of the header block (no rescans on dripped bytes).
    private var scanned = 0
    private var head: HTTPRequest?
    private var bodyLength = 0
    private var continueOwed = false

    public init(limits: Limits = Limits()) { self.limits = limits }

    /// Whether any byte of the next request has arrived (an idle connection closed between requests
    /// is not an error).
    public var hasStarted: Bool { !buffer.isEmpty || head != nil }

    /// Bytes held: the request being read and any pipelined after it.
    public var bufferedCount: Int { buffer.count }

    /// Once per request: true when the headers asked for `Expect: 100-continue` and passed the limits,
    /// so the connection should send `100 Continue` before the client sends the body.
    public mutating func takeContinueRequest() -> Bool {
        defer { continueOwed = false }
        return continueOwed
    }

    /// Adds bytes; returns the first complete request. Bytes after its body stay buffered for the
    /// next request on the connection (pipelining): call `next()` for each one.
    public mutating func consume(_ bytes: some Collection<UInt8>) throws(HTTPError) -> HTTPRequest? {
        buffer.append(contentsOf: bytes)
        return try next()
    }

    /// Adds bytes without framing anything yet (`next()` frames).
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request from the bytes buffered, or nil until more arrive.
    public mutating func next() throws(HTTPError) -> HTTPRequest? {
        if head == nil {
            guard let end = try scanForHeaderEnd() else {
                if buffer.count > limits.maxHeaderBytes { throw HTTPError(431, "the request header is larger than \(limits.maxHeaderBytes) bytes") }
                return nil
            }
            if end > limits.maxHeaderBytes { throw HTTPError(431, "the request header is larger than \(limits.maxHeaderBytes) bytes") }
            let request = try HTTPRequestParser.parseHead(Array(buffer[..<(end - 4)]))
            bodyLength = try framing(request)
            if request.header("expect")?.lowercased() == "100-continue" && bodyLength > 0 { continueOwed = true }
            buffer.removeFirst(end)
            scanned = 0
            head = request
        }
        guard var request = head, buffer.count >= bodyLength else { return nil }
        request.body = Array(buffer.prefix(bodyLength))
        buffer.removeFirst(bodyLength)
        head = nil
        bodyLength = 0
        continueOwed = false
        return request
    }

    /// Searches the bytes not searched yet for CRLFCRLF (the index just after it); a bare LF is refused.
    private mutating func scanForHeaderEnd() throws(HTTPError) -> Int? {
        var index = scanned
        defer { scanned = index }
        while index < buffer.count {
            if buffer[index] == 10 {
                guard index > 0, buffer[index - 1] == 13 else { throw HTTPError.badRequest("lines must end with CRLF") }
                if index >= 3, buffer[index - 2] == 10, buffer[index - 3] == 13 {
                    index += 1
                    return index
                }
            }
            index += 1
        }
        return nil
    }

    static func parseHead(_ bytes: [UInt8]) throws(HTTPError) -> HTTPRequest {
        guard bytes.allSatisfy({ $0 != 0 }) else { throw HTTPError.badRequest("the header contains NUL bytes") }
        var lines: [String] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == 13 {
                guard index + 1 < bytes.count, bytes[index + 1] == 10 else {
                    throw HTTPError.badRequest("lines must end with CRLF")
                }
                lines.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += 2
                start = index
            } else if bytes[index] == 10 {
                throw HTTPError.badRequest("lines must end with CRLF")
            } else {
                index += 1
            }
        }
        lines.append(String(decoding: bytes[start...], as: UTF8.self))
        let requestLine = lines.removeFirst()
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].utf8.allSatisfy(isTokenByte),
              parts[1].hasPrefix("/") || parts[1] == "*", !parts[1].contains(where: { $0.isWhitespace })
        else { throw HTTPError.badRequest("malformed request line") }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            throw HTTPError.badRequest("unsupported protocol version \(parts[2])")
        }
        var headers: [HTTPHeader] = []
        for line in lines {
            if line.first == " " || line.first == "\t" { throw HTTPError.badRequest("obsolete line folding is not accepted") }
            guard let colon = line.firstIndex(of: ":") else { throw HTTPError.badRequest("malformed header line") }
            let name = line[..<colon]
            guard !name.isEmpty, name.utf8.allSatisfy(isTokenByte) else {
                throw HTTPError.badRequest("malformed header name")
            }
            let value = line[line.index(after: colon)...].trimmingSpaces()
            headers.append(HTTPHeader(String(name), value))
        }
        return HTTPRequest(method: String(parts[0]), target: String(parts[1]), version: String(parts[2]),
                           headers: headers)
    }

    /// The body length the headers announce, checked against the framing rules and the limit.
    private func framing(_ request: HTTPRequest) throws(HTTPError) -> Int {
        let names = request.headers.map { $0.name.lowercased() }
        if names.contains("transfer-encoding") {
            throw HTTPError.badRequest("Transfer-Encoding is not accepted; send Content-Length")
        }
        let lengths = request.headers.filter { $0.name.lowercased() == "content-length" }.map(\.value)
        guard let text = lengths.first else { return 0 }
        guard lengths.count == 1 else { throw HTTPError.badRequest("Content-Length is given more than once") }
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else {
            throw HTTPError.badRequest("Content-Length must be decimal digits")
        }
        let digits = text.drop { $0 == "0" }
        guard digits.count <= 12, let length = Int(digits.isEmpty ? "0" : String(digits)),
              length <= limits.maxBodyBytes
        else { throw HTTPError(413, "the body is larger than \(limits.maxBodyBytes) bytes") }
        return length
    }

    /// RFC 9110 token characters.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 48...57, 65...90, 97...122: true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"): true
        default: false
        }
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
