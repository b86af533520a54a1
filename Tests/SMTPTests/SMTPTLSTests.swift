import Foundation
import Mail
import SMTP
import Testing
import TestSupport

extension SMTPNetworkTests {
/// TLS against aiosmtpd with a certificate from a private CA made by openssl in the test. A
/// recording proxy in front of the server keeps every byte the client sent: whatever goes wrong,
/// no command after STARTTLS, no password and no message byte may ever cross in plain text.
@Suite("TLS: STARTTLS and implicit TLS, trusted or not")
struct TLSTests {
    static let user = "billing", password = "s3cret-Pa55"

    /// The plain-text markers that must never show in the captured bytes.
    static func plainTextLeaks(_ wire: Data) -> [String] {
        let text = String(decoding: wire, as: UTF8.self)
        let encoded = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
        return ["MAIL FROM", "RCPT TO", "AUTH", password, encoded, "anbei Ihre Rechnung", "Content-Type"]
            .filter { text.contains($0) }
    }

    static func configuration(_ url: String, certificates: TestCertificates?, address: String? = nil,
                              authenticate: Bool = true) throws -> SMTPConfiguration {
        var configuration = try SMTPConfiguration(
            url: url, username: authenticate ? user : nil, password: authenticate ? password : nil,
            clientName: "client.test", connectTimeout: .seconds(5), replyTimeout: .seconds(5),
            messageTimeout: .seconds(20), caBundlePath: certificates?.caFile, address: address)
        configuration.maxIdleAge = .seconds(30)
        return configuration
    }

    static func tlsArguments(_ certificates: TestCertificates, implicit: Bool) -> [String] {
        ["--tls-cert", certificates.certificateFile, "--tls-key", certificates.keyFile, "--auth", "\(user):\(password)"]
            + (implicit ? ["--smtps"] : [])
    }

    // Mutation (mutants.tsv smtp-starttls-none): `case .startTLSRequired: CURLUSESSL_NONE` in CurlEasyHandle (no STARTTLS) → the
    // peer answers 530 (STARTTLS required) and this test fails; AUTH never happens in clear
    // either way because the peer refuses it before TLS.
    @Test func startTLSIsRequiredForARealLookingHostAndAuthGoesOverIt() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        try SMTPTestServer.with(Self.tlsArguments(certificates, implicit: false), recordingWire: true) { server in
            let configuration = try Self.configuration("smtp://\(TestCertificates.hostName):\(server.port)",
                                                       certificates: certificates, address: "127.0.0.1")
            #expect(configuration.security == .startTLSRequired)
            let sender = try SMTPSender(configuration: configuration)
            let (outcome, bytes) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 2_000), with: sender)
            #expect(outcome.isSent, "\(outcome)")
            #expect(try server.messages().map(\.data) == [bytes])
            let wire = server.wire()
            #expect(String(decoding: wire, as: UTF8.self).contains("STARTTLS"))
            #expect(Self.plainTextLeaks(wire).isEmpty, "in clear: \(Self.plainTextLeaks(wire))")
        }
    }

    // Mutation (mutants.tsv smtp-starttls-try): `case .startTLSRequired: CURLUSESSL_TRY` in CurlEasyHandle → curl goes on in
    // plain text with a server that offers no STARTTLS; the message arrives and this test fails.
    @Test func aServerWithoutSTARTTLSGetsNothingWhenTheHostIsNotLoopback() throws {
        try SMTPTestServer.with(recordingWire: true) { server in
            let configuration = try Self.configuration("smtp://\(TestCertificates.hostName):\(server.port)",
                                                       certificates: nil, address: "127.0.0.1", authenticate: false)
            let sender = try SMTPSender(configuration: configuration)
            let (outcome, _) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 2_000), with: sender)
            #expect(outcome.kind == "pauseRun", "\(outcome)")
            #expect(try server.messages().isEmpty)
            #expect(Self.plainTextLeaks(server.wire()).isEmpty, "in clear: \(Self.plainTextLeaks(server.wire()))")
        }
    }

    // Mutation (mutants.tsv smtp-ca-bundle): delete the `if let path = c.caBundlePath { … CURLOPT_CAINFO … }` line in
    // CurlEasyHandle (the CA file is ignored) → the private CA is not trusted, the run pauses and
    // this test fails. (Also checked: a peer listening without TLS on the smtps port fails it.)
    @Test func implicitTLSWithAuthDelivers() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        try SMTPTestServer.with(Self.tlsArguments(certificates, implicit: true), recordingWire: true) { server in
            let configuration = try Self.configuration("smtps://127.0.0.1:\(server.port)", certificates: certificates)
            #expect(configuration.security == .implicitTLS)
            let sender = try SMTPSender(configuration: configuration)
            let (outcome, bytes) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 2_000), with: sender)
            #expect(outcome.isSent, "\(outcome)")
            #expect(try server.messages().map(\.data) == [bytes])
            let wire = server.wire()
            #expect(!String(decoding: wire, as: UTF8.self).contains("EHLO"), "even the greeting exchange is encrypted")
            #expect(Self.plainTextLeaks(wire).isEmpty, "in clear: \(Self.plainTextLeaks(wire))")
        }
    }

    // Mutation (mutants.tsv smtp-verify-peer-off): `ccurl_setopt_long(raw, CURLOPT_SSL_VERIFYPEER, 0)` in CurlEasyHandle → the
    // untrusted certificate is accepted, the message goes out, and these fail.
    @Test(arguments: [false, true])
    func anUntrustedCertificatePausesTheRunAndSendsNothing(implicit: Bool) throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        try SMTPTestServer.with(Self.tlsArguments(certificates, implicit: implicit), recordingWire: true) { server in
            // No CA file: the private CA is not in the system store.
            let url = implicit ? "smtps://127.0.0.1:\(server.port)" : "smtp://\(TestCertificates.hostName):\(server.port)"
            let configuration = try Self.configuration(url, certificates: nil, address: implicit ? nil : "127.0.0.1")
            let sender = try SMTPSender(configuration: configuration)
            let (outcome, _) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 2_000), with: sender)
            guard case .pauseRun(let failure) = outcome else {
                Issue.record("expected the run to pause, got \(outcome)")
                return
            }
            #expect(failure.description.contains("certificate"), "\(failure)")
            #expect(!failure.description.contains("\n"))
            #expect(try server.messages().isEmpty)
            #expect(Self.plainTextLeaks(server.wire()).isEmpty, "in clear: \(Self.plainTextLeaks(server.wire()))")
        }
    }

    // Mutation (mutants.tsv smtp-verify-host-off): `ccurl_setopt_long(raw, CURLOPT_SSL_VERIFYHOST, 0)` in CurlEasyHandle → a
    // certificate for another name is accepted and this test fails.
    @Test(arguments: [false, true])
    func aCertificateForAnotherHostNamePausesTheRunAndSendsNothing(implicit: Bool) throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        try SMTPTestServer.with(Self.tlsArguments(certificates, implicit: implicit), recordingWire: true) { server in
            let url = "\(implicit ? "smtps" : "smtp")://relay.example.net:\(server.port)"
            let configuration = try Self.configuration(url, certificates: certificates, address: "127.0.0.1")
            let sender = try SMTPSender(configuration: configuration)
            let (outcome, _) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 2_000), with: sender)
            guard case .pauseRun(let failure) = outcome else {
                Issue.record("expected the run to pause, got \(outcome)")
                return
            }
            #expect(failure.description.contains("relay.example.net"), "\(failure)")
            #expect(try server.messages().isEmpty)
            #expect(Self.plainTextLeaks(server.wire()).isEmpty, "in clear: \(Self.plainTextLeaks(server.wire()))")
        }
    }
}
}
