import Foundation

/// A private CA and a server certificate it signed, made with `openssl` for one test: the server
/// certificate names 127.0.0.1, localhost and mail.invoice.test.
public struct TestCertificates: Sendable {
    public let directory: TemporaryDirectory
    public var caFile: String { directory.path("ca.pem") }
    public var certificateFile: String { directory.path("server.pem") }
    public var keyFile: String { directory.path("server.key") }
    /// A name the certificate carries that does not look like loopback (so smtp:// requires STARTTLS).
    public static let hostName = "mail.invoice.test"

    public init() throws {
        directory = try TemporaryDirectory("tls")
        try Data("""
            subjectAltName = IP:127.0.0.1, DNS:localhost, DNS:\(Self.hostName)
            basicConstraints = critical, CA:FALSE
            keyUsage = critical, digitalSignature, keyEncipherment
            extendedKeyUsage = serverAuth

            """.utf8).write(to: URL(fileURLWithPath: directory.path("server.ext")))
        let d = directory.path("")
        let script = """
            set -e
            cd '\(d)'
            openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj '/CN=Invoice Test CA' \
              -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign' 2>/dev/null
            openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj '/CN=localhost' 2>/dev/null
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 \
              -extfile server.ext 2>/dev/null
            """
        let result = try ProcessRunner.shell(script, timeout: 60)
        guard result.status == 0 else {
            directory.remove()
            throw ProcessRunnerError.failed("openssl could not make the test certificates: \(result.stderr)")
        }
    }

    public func remove() { directory.remove() }
}
