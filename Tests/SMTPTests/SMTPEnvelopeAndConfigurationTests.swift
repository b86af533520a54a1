import Foundation
import Mail
import SMTP
import Testing
import TestSupport

@Suite("Envelope validation and configuration")
struct SMTPEnvelopeAndConfigurationTests {
    @Test(arguments: [
        "victim@example.org\r\nRCPT TO:<extra@example.net>", "victim@example.org\n", "a@b.c\rX",
        "<a@example.org>", "a b@example.org", "", "no-at", "nul\u{0}@example.org",
    ])
    func anEnvelopeRecipientThatCouldInjectCommandsIsRefusedBeforeConnecting(recipient: String) throws {
        try SMTPTestServer.with { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url))
            #expect(throws: SMTPError.self) {
                try sender.send(Array("Subject: x\r\n\r\nx\r\n".utf8), from: "a@example.com", to: recipient)
            }
            #expect(server.connectionCount() == 0)
        }
    }

    @Test func anEnvelopeSenderWithALineBreakIsRefused() throws {
        let sender = try SMTPSender(configuration: SMTPFixtures.configuration("smtp://127.0.0.1:1"))
        #expect(throws: SMTPError.self) {
            try sender.send(Array("x\r\n".utf8), from: "a@example.com\r\nRSET", to: "b@example.net")
        }
    }

    @Test func theMailBuilderRefusesTheSameInjectionInNamesSubjectsAndAddresses() throws {
        #expect(throws: MailError.self) { try MailAddress("victim@example.org\r\nRCPT TO:<x@example.net>") }
        #expect(throws: MailError.self) { try MailAddress("a@example.org", displayName: "Eve\r\nBcc: x@example.net") }
        var message = try SMTPFixtures.message()
        message.subject = "Invoice\r\nBcc: x@example.net"
        #expect(throws: MailError.self) { try message.rendered() }
    }

    @Test func startTLSIsRequiredExceptOnLoopback() throws {
        #expect(try SMTPConfiguration(url: "smtp://mail.example.com:587").security == .startTLSRequired)
        #expect(try SMTPConfiguration(url: "smtp://127.0.0.5:2525").security == .startTLSIfOffered)
        #expect(try SMTPConfiguration(url: "smtp://localhost").security == .startTLSIfOffered)
        #expect(try SMTPConfiguration(url: "smtp://[::1]:25").security == .startTLSIfOffered)
        #expect(try SMTPConfiguration(url: "smtp://127.0.0.1.evil.example").security == .startTLSRequired)
        #expect(try SMTPConfiguration(url: "smtps://mail.example.com").security == .implicitTLS)
        #expect(try SMTPConfiguration(url: "smtps://mail.example.com").port == 465)
        #expect(try SMTPConfiguration(url: "smtp://mail.example.com").port == 587)
    }

    @Test(arguments: ["http://x", "smtp://", "smtp://u:p@host", "smtp://host:99999", "smtp://host/path", "smtp://ho st"])
    func unusableURLsAreRefused(url: String) {
        #expect(throws: SMTPError.self) { try SMTPConfiguration(url: url) }
    }

    @Test func thePasswordNeverAppearsInDescriptions() throws {
        let configuration = try SMTPConfiguration(url: "smtp://mail.example.com", username: "billing", password: "hunter2-secret")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, configuration.debugDescription, "\(configuration)", dumped] {
            #expect(!text.contains("hunter2-secret"))
        }
    }

    @Test func globalInitIsIdempotentAcrossThreads() throws {
        DispatchQueue.concurrentPerform(iterations: 8) { _ in try? SMTP.globalInit() }
        try SMTP.globalInit()
        #expect(SMTP.curlVersion.hasPrefix("libcurl/"))
    }
}
