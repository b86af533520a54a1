import Foundation
import Testing
import TestSupport

/// The mailing run reads each message file into one buffer per connection and sends it from there:
/// files of different sizes, one after the other, must each go out exactly, and a file that is gone
/// fails only its own message.
struct MailFileReadingTests {
    /// Four invoice mails of growing then shrinking size (1, 40, 3 and 25 lines: the PDF changes the
    /// file size by tens of KiB) over one connection, so each read reuses the buffer the previous,
    /// larger or smaller, message left behind; the third message's file is deleted before the run.
    /// Mutation (mutants.tsv reader-whole-buffer): MessageFileReader hands `buffer[...]` (the whole buffer) instead of
    /// `buffer[..<length]` → every message arrives with the buffer's tail and this fails.
    /// Mutation (mutants.tsv unreadable-file-not-recorded): MailingRun records nothing for a file that cannot be read (drops the catch's
    /// `record`) → the row stays `sending` instead of `failed` and this fails.
    @Test(.sqliteOnly("on PostgreSQL the mailing run sends the bytes stored in the database (mail_bodies), not this folder's files: MultiHostTests"))
    func eachFileGoesOutExactlyThroughTheReusedBufferAndAMissingOneFailsAlone() throws {
        try SMTPTestServer.with { server in
            let desk = try MailDesk(label: "reading")
            defer { desk.remove() }
            var numbers: [String] = []
            for (index, lines) in [1, 40, 3, 25].enumerated() {
                let customer = try desk.addCustomer(company: "Kunde \(index + 1) AG", email: "kunde\(index + 1)@example.ch")
                let number = try desk.issueInvoice(customer: customer, lines: lines)
                try desk.ok(["send", number])
                numbers.append(number)
            }
            let queued = try desk.outbox()
            try #require(queued.count == 4)
            let sizes = try queued.map { row in
                try Data(contentsOf: desk.outboxDirectory.appendingPathComponent(try #require(row["file"] as? String))).count
            }
            #expect(sizes[1] > sizes[0] + 10_000 && sizes[1] > sizes[2] + 10_000 && sizes[3] > sizes[2] + 10_000,
                    "the files should differ in size: \(sizes)")
            let missing = try #require(queued[2]["file"] as? String)
            try FileManager.default.removeItem(at: desk.outboxDirectory.appendingPathComponent(missing))
            try desk.useServer(server.url)

            let run = try desk.mailRun(["--connections", "1"])
            #expect(run.status == 0, "\(run.stderr)")
            let summary = try #require(try JSONSerialization.jsonObject(with: run.stdoutData) as? [String: Any])
            #expect(summary["sent"] as? Int == 3)
            #expect(summary["failed"] as? Int == 1)

            let rows = try desk.outbox()
            let captured = try server.messages()
            #expect(captured.count == 3)
            for row in rows {
                let file = try #require(row["file"] as? String)
                if file == missing {
                    #expect(row["state"] as? String == "failed")
                    #expect(row["last_reply"] as? String == "message file \(missing) is missing")
                    continue
                }
                #expect(row["state"] as? String == "sent")
                let id = try #require(row["message_id"] as? String)
                let message = try #require(captured.first { $0.messageID == id }, "\(id) did not arrive")
                #expect(message.data == (try Data(contentsOf: desk.outboxDirectory.appendingPathComponent(file))))
            }
        }
    }
}
