import Foundation
import Testing
import TestSupport

/// What arrives at a real SMTP server on 127.0.0.1 after `invoice send` and `invoice mail run`:
/// byte for byte the queued file, strict RFC 5322/MIME, the invoice's own PDF, names in any script.
struct MailMessageTests {
    /// An operator with an emoji, customers in German, French and with emoji, an addressee user,
    /// one invoice mail each and a receipt; all sent to the peer. Returns the desk and the numbers.
    func sendInternationalMail(to server: SMTPTestServer, label: String) throws -> (MailDesk, [String: String]) {
        let desk = try MailDesk(label: label, company: "Wolkenwerk ☁️ AG")
        let german = try desk.addCustomer(company: "Bäckerei Kühn & Söhne GmbH", contact: "Jürgen Kühn",
                                          email: "rechnungen@kuehn.de", country: "DE", currency: "EUR")
        let french = try desk.addCustomer(company: "Société Générale d'Études Sàrl", contact: "Hélène Lefèvre-Çelik",
                                          email: "compta@sge-etudes.fr", country: "FR", currency: "EUR", language: "fr")
        let emoji = try desk.addCustomer(company: "Pizza 🍕 Napoli Ltd", email: "accounts@pizza.example", language: "en")
        let user = try desk.ok(["user", "add", german, "--salutation", "Frau", "--first-name", "Zoë",
                                "--surname", "Ørsted-Müller", "--email", "zoe@kuehn.de"])
        let numbers = ["de": try desk.issueInvoice(customer: german, user: user),
                       "fr": try desk.issueInvoice(customer: french),
                       "emoji": try desk.issueInvoice(customer: emoji)]
        for number in numbers.values { try desk.ok(["send", number]) }
        let frenchNumber = try #require(numbers["fr"])
        let frenchInvoice = try #require(try desk.cli.json("show", frenchNumber) as? [String: Any])
        let total = try #require(frenchInvoice["total"] as? String)
        try desk.ok(["pay", frenchNumber, "--amount", total])
        try desk.useServer(server.url)
        let run = try desk.mailRun()
        #expect(run.status == 0, "\(run.stderr)")
        return (desk, numbers)
    }

    @Test func everyDeliveredMessageIsTheQueuedFileByteForByteAndParsesStrictly() throws {
        try SMTPTestServer.with { server in
            let (desk, _) = try sendInternationalMail(to: server, label: "strict")
            defer { desk.remove() }
            let rows = try desk.outbox()
            let captured = try server.messages()
            #expect(rows.count == 4)
            #expect(captured.count == rows.count)
            for row in rows {
                #expect(row["state"] as? String == "sent")
                let id = try #require(row["message_id"] as? String)
                let message = try #require(captured.first { $0.messageID == id }, "\(id) did not arrive")
                let file = desk.outboxDirectory.appendingPathComponent(try #require(row["file"] as? String))
                #expect(message.data == (try Data(contentsOf: file)))
                #expect(message.mailFrom == "billing@wolkenwerk.ch")
                // The outbox row lists To and Cc, comma-separated: each is a RCPT TO (issue 17).
                #expect(message.recipients == (try #require(row["to"] as? String)).split(separator: ",").map(String.init))
                let verdict = try MessageOracle.check(file: message.file)
                #expect(verdict.passed, "\(id): \(verdict.problems)")
            }
        }
    }

    @Test func subjectsAndNamesInGermanFrenchAndEmojiRoundTrip() throws {
        try SMTPTestServer.with { server in
            let (desk, numbers) = try sendInternationalMail(to: server, label: "i18n")
            defer { desk.remove() }
            let deNumber = try #require(numbers["de"]), frNumber = try #require(numbers["fr"]), emojiNumber = try #require(numbers["emoji"])
            var decoded: [String: [String: any Sendable]] = [:]
            for message in try server.messages() {
                let verdict = try MessageOracle.check(file: message.file)
                let subject = try #require(verdict.summary["subject"] as? String)
                decoded[subject] = verdict.summary
            }
            let de = try #require(decoded["Rechnung \(deNumber) von Wolkenwerk ☁️ AG"], "\(decoded.keys)")
            #expect(de["fromName"] as? String == "Wolkenwerk ☁️ AG")
            #expect(de["toName"] as? String == "Frau Zoë Ørsted-Müller")
            #expect((de["text"] as? String)?.contains("Zoë") == true || (de["text"] as? String)?.contains("Ørsted-Müller") == true)
            let fr = try #require(decoded["Facture \(frNumber) de Wolkenwerk ☁️ AG"], "\(decoded.keys)")
            #expect(fr["toName"] as? String == "Hélène Lefèvre-Çelik")
            let receipt = decoded.keys.first { $0.hasPrefix("Paiement reçu") && $0.contains(frNumber) }
            #expect(receipt != nil, "\(decoded.keys)")
            let emoji = try #require(decoded["Invoice \(emojiNumber) from Wolkenwerk ☁️ AG"], "\(decoded.keys)")
            #expect(emoji["toName"] as? String == "Pizza 🍕 Napoli Ltd")
            // The queue shows the same subjects the recipient decodes.
            let subjects = Set(try desk.outbox().compactMap { $0["subject"] as? String })
            #expect(subjects == Set(decoded.keys))
        }
    }

    @Test func theAttachedPDFIsTheOneShowPrintsForTheSameInvoice() throws {
        try SMTPTestServer.with { server in
            let (desk, numbers) = try sendInternationalMail(to: server, label: "pdf")
            defer { desk.remove() }
            let number = try #require(numbers["de"])
            let invoice = try #require(try desk.cli.json("show", number) as? [String: Any])
            let row = try #require(try desk.outbox().first {
                ($0["invoice"] as? Int).map(Int64.init) == (invoice["id"] as? Int).map(Int64.init) && $0["kind"] as? String == "invoice"
            })
            let message = try #require(try server.messages().first { $0.messageID == row["message_id"] as? String })
            let attachments = try MailBytes.attachments(file: message.file)
            #expect(attachments.count == 1)
            let attached = try #require(attachments.first)
            #expect(attached.filename == "\(number).pdf")
            let shown = try desk.cli.run("show", number, "--pdf")
            #expect(shown.status == 0)
            let printed = shown.stdoutData
            // The two differ at most in /CreationDate (made when each was rendered): same length,
            // same bytes once that date is blanked, and the same text under pdftotext.
            #expect(attached.data.count == printed.count)
            #expect(Self.blankingCreationDate(attached.data) == Self.blankingCreationDate(printed))
            #expect(try Self.pdfText(attached.data) == (try Self.pdfText(printed)))
            #expect(try Self.pdfText(printed).contains(number))
        }
    }

    static func blankingCreationDate(_ pdf: Data) -> Data {
        var bytes = [UInt8](pdf)
        let key = Array("/CreationDate (".utf8)
        var index = 0
        while index + key.count <= bytes.count {
            if Array(bytes[index..<index + key.count]) == key {
                var end = index + key.count
                while end < bytes.count && bytes[end] != UInt8(ascii: ")") {
                    bytes[end] = UInt8(ascii: "0")
                    end += 1
                }
                index = end
            } else {
                index += 1
            }
        }
        return Data(bytes)
    }

    static func pdfText(_ pdf: Data) throws -> String {
        let folder = try TemporaryDirectory("pdftext")
        defer { folder.remove() }
        try pdf.write(to: folder.url.appendingPathComponent("a.pdf"))
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/pdftotext"),
                                           ["-layout", folder.path("a.pdf"), "-"], timeout: 30)
        guard result.status == 0 else { throw ProcessRunnerError.failed("pdftotext: \(result.stderr)") }
        return result.stdout
    }
}
