import Foundation
import Mail
import SMTP
import Testing
import TestSupport

extension SMTPNetworkTests {
@Suite("Delivering to a loopback server")
struct DeliveryTests {
    @Test func aMessageArrivesByteExactWithItsEnvelope() throws {
        try SMTPTestServer.with { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url))
            let message = try SMTPFixtures.message()
            let (outcome, bytes) = try SMTPFixtures.send(message, with: sender)
            guard case .sent(let reply) = outcome else { Issue.record("expected sent, got \(outcome)"); return }
            #expect(reply.code == 250)
            #expect(reply.line.hasPrefix("250 2.0.0 Ok: queued as Q"))
            let captured = try server.messages()
            try #require(captured.count == 1)
            #expect(captured[0].data == bytes)
            #expect(captured[0].mailFrom == "billing@example.com")
            #expect(captured[0].recipients == ["zoe@example.org"])
        }
    }

    @Test func theCapturedMessageParsesStrictlyAndItsAttachmentDecodesByteEqual() throws {
        try SMTPTestServer.with { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url))
            let message = try SMTPFixtures.message(subject: "Facture n° 42 — échéance 🎉")
            let (outcome, _) = try SMTPFixtures.send(message, with: sender)
            #expect(outcome.isSent, "\(outcome)")
            let captured = try #require(try server.messages().first)
            let verdict = try MessageOracle.check(file: captured.file)
            #expect(verdict.passed, "\(verdict.problems)")
            #expect(verdict.summary["subject"] as? String == "Facture n° 42 — échéance 🎉")
            #expect(verdict.summary["toName"] as? String == "Zoë Lefèvre")
            let attachment = (verdict.summary["attachments"] as? [any Sendable])?.first as? [String: any Sendable]
            #expect(attachment?["filename"] as? String == "Rechnung März.pdf")
            #expect(attachment?["size"] as? Int == message.attachments[0].data.count)
            let digest = try ProcessRunner.run(
                URL(fileURLWithPath: "/usr/bin/env"),
                ["python3", "-c", "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())"],
                stdin: message.attachments[0].data)
            #expect(attachment?["sha256"] as? String == digest.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test func rawLinesStartingWithADotSurviveDotStuffing() throws {
        try SMTPTestServer.with { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url))
            let raw = Array("From: a@example.com\r\nSubject: dots\r\n\r\n.\r\n..\r\n.leading\r\nend\r\n".utf8)
            let outcome = try sender.send(raw, from: "a@example.com", to: "b@example.net")
            #expect(outcome.isSent, "\(outcome)")
            #expect(try server.messages().first?.data == Data(raw))
        }
    }

    @Test func twoMessagesShareOneReusedConnection() throws {
        try SMTPTestServer.with { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url))
            for _ in 0..<2 {
                let (outcome, _) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 500), with: sender)
                #expect(outcome.isSent, "\(outcome)")
            }
            let captured = try server.messages()
            #expect(captured.count == 2)
            #expect(Set(captured.map(\.connection)).count == 1)
            #expect(server.connectionCount() == 1)
            #expect(sender.connectionsOpened == 1)
        }
    }

    @Test func aConnectionIdleLongerThanTheBoundIsNotReused() throws {
        try SMTPTestServer.with { server in
            let configuration = try SMTPFixtures.configuration(server.url, maxIdleAge: .seconds(1))
            let sender = try SMTPSender(configuration: configuration)
            #expect(try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 100), with: sender).0.isSent)
            Thread.sleep(forTimeInterval: 1.6)
            #expect(try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 100), with: sender).0.isSent)
            #expect(Set(try server.messages().map(\.connection)).count == 2)
        }
    }

    // Mutation (mutants.tsv peer-never-idles): `timeout=300` instead of `timeout=options.idle_timeout` in smtp_peer.py (the peer
    // never closes the idle connection) → the wait for the close fails and so does the check that
    // the second message came over a new connection.
    @Test(arguments: [false, true])
    func afterTheServerClosesAnIdleConnectionTheNextMessageStillGoesOut(with421: Bool) throws {
        try SMTPTestServer.with(["--idle-timeout", "1"] + (with421 ? ["--idle-421"] : [])) { server in
            let sender = try SMTPSender(configuration: SMTPFixtures.configuration(server.url))
            #expect(try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 100), with: sender).0.isSent)
            // Wait until the peer has really closed the idle connection (1 s idle timeout; 10 s bound).
            let deadline = Date().addingTimeInterval(10)
            while server.idleClosedConnections().isEmpty && Date() < deadline { usleep(20_000) }
            #expect(server.idleClosedConnections() == [1], "the peer closed connection 1 for idling")
            let (outcome, _) = try SMTPFixtures.send(try SMTPFixtures.message(attachmentSize: 100), with: sender)
            #expect(outcome.isSent, "\(outcome)")
            let messages = try server.messages()
            #expect(messages.map(\.connection) == [1, 2], "the second message came over a new connection")
            #expect(server.connectionCount() == 2)
            #expect(sender.connectionsOpened == 2)
        }
    }
}
}
