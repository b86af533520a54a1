import Foundation
import Mail
import SMTP
import Testing
import TestSupport

extension SMTPNetworkTests {
@Suite("Classifying failures")
struct FailureTests {
    /// Sends one message to `recipient` and returns the outcome, then checks the same sender
    /// still delivers a normal message afterwards (on a fresh handle after a failure).
    private func outcome(for recipient: String, peerArguments: [String] = [],
                         messageTimeout: Duration = .seconds(20), attachmentSize: Int = 2_000,
                         expectNextDelivered: Bool = true) throws -> (SMTPOutcome, SMTPTestServer.Snapshot) {
        try SMTPTestServer.with(peerArguments) { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url, messageTimeout: messageTimeout))
            let (outcome, _) = try SMTPFixtures.send(
                try SMTPFixtures.message(to: recipient, attachmentSize: attachmentSize), with: sender)
            let savedBefore = try server.messages().count
            if expectNextDelivered {
                let (next, _) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 100), with: sender)
                #expect(next.isSent, "the next message after \(outcome.kind): \(next)")
            }
            return (outcome, SMTPTestServer.Snapshot(savedBeforeNext: savedBefore, connections: server.connectionCount()))
        }
    }

    @Test func a4xxToTheRecipientDefers() throws {
        let (outcome, _) = try outcome(for: "tempfail@example.org")
        guard case .deferred(let failure) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(failure.reply?.code == 451)
        #expect(failure.lastCommand == "RCPT")
    }

    @Test func a4xxAfterTheDataDefers() throws {
        let (outcome, snapshot) = try outcome(for: "datatempfail@example.org")
        guard case .deferred(let failure) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(failure.reply?.line.hasPrefix("451 4.7.1") == true)
        #expect(snapshot.savedBeforeNext == 0)
    }

    @Test func a5xxToTheRecipientFails() throws {
        let (outcome, _) = try outcome(for: "reject@example.org")
        guard case .failed(let failure) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(failure.reply?.line == "550 5.1.1 No such user here")
    }

    @Test func a5xxAfterTheDataFails() throws {
        let (outcome, _) = try outcome(for: "datareject@example.org")
        guard case .failed(let failure) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(failure.reply?.code == 554)
    }

    @Test func aConnectionDroppedAtTheRecipientDefersAndAFreshConnectionDeliversTheNext() throws {
        let (outcome, snapshot) = try outcome(for: "droprcpt@example.org")
        #expect(outcome.kind == "deferred", "\(outcome)")
        #expect(snapshot.connections == 2)
    }

    @Test func aConnectionDroppedMidBodyDefers() throws {
        // 3 MB cannot all be written before the peer closes after three lines.
        let (outcome, snapshot) = try outcome(for: "dropmidbody@example.org", attachmentSize: 3_000_000)
        #expect(outcome.kind == "deferred", "\(outcome)")
        #expect(snapshot.savedBeforeNext == 0)
    }

    @Test func aConnectionDroppedAfterTheDataIsAnUnknownOutcome() throws {
        let (outcome, snapshot) = try outcome(for: "dropdata@example.org")
        guard case .unknownOutcome(let failure) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(failure.reply?.code == 354)
        #expect(snapshot.connections == 2)
    }

    @Test func aFinalReplySlowerThanTheMessageTimeoutIsAnUnknownOutcomeThoughTheServerStoredIt() throws {
        let (outcome, snapshot) = try outcome(
            for: "slowdata@example.org", peerArguments: ["--delay", "4"], messageTimeout: .seconds(2))
        #expect(outcome.kind == "unknownOutcome", "\(outcome)")
        #expect(snapshot.savedBeforeNext == 1, "the peer stored the message although no reply came in time")
    }

    @Test func everyNthMessageDeferredByTheServerIsReportedAsDeferred() throws {
        try SMTPTestServer.with(["--tempfail-every", "3"]) { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url))
            var kinds: [String] = []
            for _ in 0..<6 {
                kinds.append(try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 100), with: sender).0.kind)
            }
            #expect(kinds == ["sent", "sent", "deferred", "sent", "sent", "deferred"])
            #expect(try server.messages().count == 4)
        }
    }

    @Test func aRefusedConnectionDefers() throws {
        let port = try SMTPTestServer.with { $0.port }
        let sender = try SMTPSender(configuration: SMTPFixtures.configuration("smtp://127.0.0.1:\(port)"))
        let outcome = try sender.send(Array("Subject: x\r\n\r\nx\r\n".utf8), from: "a@example.com", to: "b@example.net")
        guard case .deferred(let failure) = outcome else { Issue.record("got \(outcome)"); return }
        #expect(failure.curlCode == 7)
    }

    @Test func missingOrWrongCredentialsPauseTheRun() throws {
        try SMTPTestServer.with(["--auth", "billing:s3cret"]) { server in
            let body = Array("Subject: x\r\n\r\nx\r\n".utf8)
            for password in [nil, "wrong"] as [String?] {
                let configuration = try SMTPFixtures.configuration(
                    server.url, username: password == nil ? nil : "billing", password: password)
                let outcome = try SMTPSender(configuration: configuration).send(body, from: "a@example.com", to: "b@example.net")
                #expect(outcome.kind == "pauseRun", "\(outcome)")
                #expect(!outcome.description.contains("wrong"))
            }
            let good = try SMTPFixtures.configuration(server.url, username: "billing", password: "s3cret")
            #expect(try SMTPSender(configuration: good).send(body, from: "a@example.com", to: "b@example.net").isSent)
        }
    }

    @Test func implicitTLSAgainstAPlainServerPausesTheRun() throws {
        try SMTPTestServer.with { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration("smtps://127.0.0.1:\(server.port)"))
            let outcome = try sender.send(Array("Subject: x\r\n\r\nx\r\n".utf8), from: "a@example.com", to: "b@example.net")
            #expect(outcome.kind == "pauseRun", "\(outcome)")
        }
    }
}
}

extension SMTPTestServer {
    /// What a failure test reads from the peer before it is stopped.
    struct Snapshot {
        var savedBeforeNext: Int
        var connections: Int
    }
}
