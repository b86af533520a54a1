import Foundation
import Testing
import TestSupport

/// Several hosts on one PostgreSQL database (always a database on the throwaway server, whatever
/// `INVOICE_TEST_ENGINE` says), played by processes on this machine, each started from a folder of
/// its own (a host's `./Outbox` is not another's): the database is the only thing they share. (On
/// SQLite every process is on the host that holds the file; NumberingTests, MailCrashTests and
/// RunCommandTests run the same races there and, in the PostgreSQL pass, on the server too.)
@Suite struct MultiHostTests {
    /// A mail desk in a fresh PostgreSQL database; the caller drops it.
    func mailDesk(_ label: String) throws -> (MailDesk, TestPostgres.Database) {
        let database = try TestPostgres.Database(label)
        return (try MailDesk(label: label, database: database.uri), database)
    }

    /// A folder standing for another host: its own working directory, nothing of the desk's.
    func host(_ desk: MailDesk, _ label: String) throws -> (InvoiceCLI, TemporaryDirectory) {
        let folder = try TemporaryDirectory("host-\(label)")
        return (InvoiceCLI(database: desk.database, today: desk.cli.today, workingDirectory: folder.url), folder)
    }

    // Mutation (mutants.tsv pg-mail-body-not-read): the mailing run never asks the database for the bytes
    // (`try store.mailBody(id: mail.id)` → nil) → it looks for the file on the sending host, finds
    // none, and fails every message.
    // Mutation (mutants.tsv pg-mail-body-not-stored): Outbox.queue hands no bytes to enqueueMail → the
    // database holds no body and this fails.
    @Test func aMessageQueuedOnOneHostIsSentExactlyByAMailingRunOnAnotherThatHasNoOutbox() throws {
        try SMTPTestServer.with { server in
            let (desk, database) = try mailDesk("twohosts")
            defer { desk.remove(); database.drop() }
            for (index, lines) in [1, 12, 3].enumerated() {
                let customer = try desk.addCustomer(company: "Kunde \(index + 1) AG", email: "kunde\(index + 1)@example.ch")
                try desk.ok(["send", try desk.issueInvoice(customer: customer, lines: lines)])
            }
            let queued = try desk.outbox()
            #expect(queued.count == 3)
            #expect(try TestEngine.postgresSQL(database.uri, "SELECT count(*) FROM mail_bodies") == "3\n")
            // The bytes as queued (this host's copy), then the copy is gone: the other host never had it.
            var bytes: [String: Data] = [:]
            for row in queued {
                let file = desk.outboxDirectory.appendingPathComponent(try #require(row["file"] as? String))
                bytes[try #require(row["message_id"] as? String)] = try Data(contentsOf: file)
            }
            try FileManager.default.removeItem(at: desk.outboxDirectory)
            try desk.useServer(server.url)

            let (other, folder) = try host(desk, "sender")
            defer { folder.remove() }
            let run = try desk.mailRun(["--connections", "2"], on: other)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try desk.states() == ["sent": 3])
            let captured = try server.messages()
            #expect(captured.count == 3)
            for message in captured {
                let id = try #require(message.messageID)
                #expect(message.data == bytes[id], "\(id) differs from the bytes queued")
            }
            #expect(!FileManager.default.fileExists(atPath: folder.path("Outbox")))
        }
    }
}
