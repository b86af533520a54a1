import Foundation

/// What one HTTP POST got: the status (0 when there was no answer), the first bytes of the body,
/// how long it took, and libcurl's reason when it failed.
public struct HTTPAnswer: Sendable, Hashable {
    public var status: Int
    public var body: [UInt8]
    public var milliseconds: Int64
    public var error: String?
    /// The transfer hit its timeout.
    public var timedOut: Bool

    public init(status: Int, body: [UInt8], milliseconds: Int64, error: String?, timedOut: Bool) {
        self.status = status
        self.body = body
        self.milliseconds = milliseconds
        self.error = error
        self.timedOut = timedOut
    }
}

/// HTTP POSTs over one libcurl easy handle, which keeps its connection to a host alive between
/// requests. No redirects are followed (a 3xx is an answer like any other), only http and https.
public final class HTTPPoster {
    let easy: CurlEasy
    private let sink = AnswerSink()
    /// How many bytes of each answer are kept.
    public let keptBytes: Int
    /// The CURLOPT_RESOLVE entries in force ("host:port:addr,…").
    private var pinned: [String] = []
    /// The next request opens a new connection (the pinned addresses changed).
    private var freshConnection = false

    public init?(keptBytes: Int = 512) {
        guard let easy = CurlEasy() else { return nil }
        self.easy = easy
        self.keptBytes = keptBytes
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        easy.set(CURLOPT_FOLLOWLOCATION, 0)
        easy.set(CURLOPT_TCP_NODELAY, 1)
        easy.set(CURLOPT_WRITEFUNCTION, function: { buffer, size, count, userdata in
            guard let userdata else { return 0 }
            let total = size * count
            if let buffer {
                Unmanaged<AnswerSink>.fromOpaque(userdata).takeUnretainedValue()
                    .keep(UnsafeRawBufferPointer(start: buffer, count: total))
            }
            return total
        })
    }

    /// Connects each `host:port` named to exactly the addresses given ("host:port:addr,…", libcurl's
    /// CURLOPT_RESOLVE), instead of looking the host up again; a change replaces the old entries and
    /// drops the kept connection, so no request goes to an address that was not checked.
    public func pin(_ entries: [String]) {
        guard entries != pinned else { return }
        let removals = pinned.compactMap { entry -> String? in
            let parts = entry.split(separator: ":", maxSplits: 2)
            return parts.count == 3 ? "-\(parts[0]):\(parts[1])" : nil
        }
        easy.set(CURLOPT_RESOLVE, list: removals + entries)
        freshConnection = !pinned.isEmpty
        pinned = entries
    }

    /// POSTs `body` to `url` with `headers` ("Name: value"), giving up after `timeoutMilliseconds`.
    public func post(url: String, headers: [String], body: [UInt8], timeoutMilliseconds: Int) -> HTTPAnswer {
        sink.reset(limit: keptBytes)
        easy.set(CURLOPT_URL, url)
        easy.set(CURLOPT_POST, 1)
        easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(body.count))
        _ = body.withUnsafeBytes { bytes in
            ccurl_setopt_pointer(easy.raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
        }
        // "Expect:" removes curl's 100-continue wait for bodies over 1 KiB.
        easy.set(CURLOPT_HTTPHEADER, list: headers + ["Expect:"])
        easy.set(CURLOPT_TIMEOUT_MS, max(1, timeoutMilliseconds))
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, timeoutMilliseconds))
        let pointer = Unmanaged.passUnretained(sink).toOpaque()
        easy.set(CURLOPT_WRITEDATA, pointer: pointer)
        easy.set(CURLOPT_FRESH_CONNECT, freshConnection ? 1 : 0)
        freshConnection = false
        let started = DispatchTime.now().uptimeNanoseconds
        let code = withExtendedLifetime(sink) { easy.perform() }
        let elapsed = Int64((DispatchTime.now().uptimeNanoseconds - started) / 1_000_000)
        easy.set(CURLOPT_WRITEDATA, pointer: nil)
        let status = easy.infoLong(CURLINFO_RESPONSE_CODE)
        let failed = code != CURLE_OK
        return HTTPAnswer(status: failed ? 0 : status, body: sink.bytes, milliseconds: elapsed,
                          error: failed ? easy.message(for: code) : nil, timedOut: code == CURLE_OPERATION_TIMEDOUT)
    }
}

/// The first bytes of an answer (the rest is read and dropped).
final class AnswerSink {
    private(set) var bytes: [UInt8] = []
    private var limit = 0

    func reset(limit: Int) {
        bytes.removeAll(keepingCapacity: true)
        self.limit = limit
    }

    func keep(_ chunk: UnsafeRawBufferPointer) {
        let room = limit - bytes.count
        guard room > 0 else { return }
        bytes.append(contentsOf: chunk.prefix(room))
    }
}

@available(*, unavailable)
extension HTTPPoster: Sendable {}
@available(*, unavailable)
extension AnswerSink: Sendable {}
