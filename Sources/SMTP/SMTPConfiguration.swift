import Foundation

/// How to reach and talk to one SMTP server.
///
/// The password is never part of `description`, `debugDescription` or reflection output.
public struct SMTPConfiguration: Sendable, Hashable {
    public enum Security: String, Sendable, Hashable {
        /// `smtp://` with STARTTLS required (CURLUSESSL_ALL).
        case startTLSRequired
        /// `smtp://` on a loopback host: STARTTLS if offered, plain text otherwise (CURLUSESSL_TRY).
        case startTLSIfOffered
        /// `smtps://`: implicit TLS.
        case implicitTLS
    }

    /// `smtp` or `smtps`.
    public let scheme: String
    /// The host name or IP literal (IPv6 without brackets).
    public let host: String
    public let port: Int
    /// Sent as the EHLO argument (libcurl takes it from the URL path; without one it would use
    /// gethostname() or, with the CLI, a file name).
    public var clientName: String
    public var username: String?
    public var password: String?
    /// How long to wait for the TCP (and TLS) connection.
    public var connectTimeout: Duration
    /// How long to wait for each server reply (CURLOPT_SERVER_RESPONSE_TIMEOUT, whole seconds, ≥ 1).
    /// Also bounds the QUIT sent when a handle is discarded.
    public var replyTimeout: Duration
    /// How long one whole transaction may take (CURLOPT_TIMEOUT_MS). Keep it generous: a short
    /// final-reply timeout turns slow acceptances into duplicates.
    public var messageTimeout: Duration
    /// A kept connection idle for longer than this is not reused; keep it below the server's idle timeout.
    public var maxIdleAge: Duration
    /// Abort the upload when it runs slower than `lowSpeedLimit` bytes/s for `lowSpeedTime`.
    public var lowSpeedLimit: Int
    public var lowSpeedTime: Duration
    /// A PEM bundle of trusted CAs (a private relay's CA, a test certificate); `nil` uses the system store.
    public var caBundlePath: String?
    /// Connect to this IP address instead of resolving `host` (CURLOPT_RESOLVE); the certificate is
    /// still checked against `host`, and `security` still follows `host`. For a relay reached
    /// through a tunnel, and for tests that give a loopback server a real-looking name.
    public var address: String?
    /// libcurl's upload buffer (CURLOPT_UPLOAD_BUFFERSIZE, 16 KiB to 2 MiB): how much of the message
    /// the read callback hands over at once. libcurl scans and copies each chunk for dot-stuffing
    /// and sends it with one `send`, so a buffer that holds a whole invoice mail means one callback,
    /// one scan and one `send` per message instead of one per 64 KiB (libcurl's default).
    public var uploadBufferSize = 512 * 1024

    /// Parses `smtp://host[:port]` or `smtps://host[:port]` (default ports 587 and 465).
    public init(
        url: String,
        username: String? = nil,
        password: String? = nil,
        clientName: String = "localhost",
        connectTimeout: Duration = .seconds(15),
        replyTimeout: Duration = .seconds(60),
        messageTimeout: Duration = .seconds(300),
        maxIdleAge: Duration = .seconds(45),
        lowSpeedLimit: Int = 1024,
        lowSpeedTime: Duration = .seconds(30),
        caBundlePath: String? = nil,
        address: String? = nil
    ) throws(SMTPError) {
        if url.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value >= 0x7F }) {
            throw .invalidURL(url, reason: "it contains spaces, control or non-ASCII characters")
        }
        guard let schemeEnd = url.range(of: "://") else {
            throw .invalidURL(url, reason: "expected smtp://host:port or smtps://host:port")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "smtp" || scheme == "smtps" else {
            throw .invalidURL(url, reason: "the scheme must be smtp or smtps")
        }
        var rest = Substring(url[schemeEnd.upperBound...])
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if rest.contains("@") {
            throw .invalidURL(url, reason: "put the user name and password in the settings, not in the URL")
        }
        if rest.contains("/") || rest.contains("?") || rest.contains("#") {
            throw .invalidURL(url, reason: "only scheme, host and port are allowed")
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidURL(url, reason: "unclosed [") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw .invalidURL(url, reason: "unexpected text after the host")
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw .invalidURL(url, reason: "the host is missing") }
        var port = scheme == "smtps" ? 465 : 587
        if let portText {
            guard let value = Int(portText), portText.allSatisfy(\.isASCII), portText.allSatisfy(\.isNumber),
                  (1...65535).contains(value)
            else { throw .invalidURL(url, reason: "the port must be a number from 1 to 65535") }
            port = value
        }
        guard clientName.utf8.allSatisfy({ byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }), !clientName.isEmpty else {
            throw .invalidConfiguration("the client name must be a host name (letters, digits, dots, hyphens)")
        }
        for (label, value) in [("user name", username), ("password", password)] {
            if let value, value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
                throw .invalidConfiguration("the \(label) contains a control character")
            }
        }
        if replyTimeout < .seconds(1) {
            throw .invalidConfiguration("the reply timeout must be at least one second")
        }
        self.scheme = scheme
        self.host = String(host)
        self.port = port
        self.clientName = clientName
        self.username = username
        self.password = password
        self.connectTimeout = connectTimeout
        self.replyTimeout = replyTimeout
        self.messageTimeout = messageTimeout
        self.maxIdleAge = maxIdleAge
        self.lowSpeedLimit = lowSpeedLimit
        self.lowSpeedTime = lowSpeedTime
        self.caBundlePath = caBundlePath
        self.address = address
        if let address, address.isEmpty || address.unicodeScalars.contains(where: { !($0.properties.isASCIIHexDigit || $0 == "." || $0 == ":") }) {
            throw .invalidConfiguration("the address must be an IP address")
        }
        if let caBundlePath { try Self.checkCABundle(caBundlePath) }
    }

    /// Checks that `path` is a readable PEM file holding at least one certificate.
    public static func checkCABundle(_ path: String) throws(SMTPError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .invalidConfiguration("cannot read the CA file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self)
        guard let begin = text.range(of: "-----BEGIN CERTIFICATE-----"),
              text.range(of: "-----END CERTIFICATE-----", range: begin.upperBound..<text.endIndex) != nil else {
            throw .invalidConfiguration("the CA file \(path) holds no PEM certificate (-----BEGIN CERTIFICATE-----)")
        }
    }

    /// True for 127.0.0.0/8, ::1 and localhost.
    public var isLoopback: Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
        let octets = lower.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127"
            && octets.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
    }

    public var security: Security {
        if scheme == "smtps" { return .implicitTLS }
        return isLoopback ? .startTLSIfOffered : .startTLSRequired
    }

    /// The URL handed to libcurl, with the EHLO name as its path.
    var curlURL: String {
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(hostPart):\(port)/\(clientName)"
    }
}

extension SMTPConfiguration: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String {
        let user = username.map { " user \($0)" } ?? ""
        let secret = password == nil ? "" : " password <redacted>"
        return "\(curlURL) (\(security.rawValue))\(user)\(secret)"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["url": curlURL, "username": username as Any,
                                "password": password == nil ? "nil" : "<redacted>"])
    }
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}
