import Foundation
import Mail
import Testing
import TestSupport

@Suite("Rendering a message")
struct MailMessageRenderingTests {
    @Test func theRenderedMessageParsesUnderPythonsStrictPolicy() throws {
        let data = try Fixtures.message().rendered()
        let verdict = try MessageOracle.check(data)
        #expect(verdict.passed, "\(verdict.problems)")
        #expect(verdict.summary["contentType"] as? String == "multipart/mixed")
    }

    @Test(arguments: [
        ("Ihre Rechnung für März – Größe 10 × Übergröße", "Jürgen Weiß", "Ölwechsel Straße AG"),
        ("Votre facture n° 42 : échéance à régler, merci beaucoup, très cordialement", "Hélène Dubois-Lefèvre", "Société Générale d'Édition"),
        ("Danke! 🎉🧾 Rechnung bezahlt 👍🏽 — 👨‍👩‍👧‍👦 family plan", "🧾 Billing Bot", "Ünïcödé 😀"),
    ])
    func subjectsAndNamesRoundTripThroughThePythonParser(subject: String, fromName: String, toName: String) throws {
        let data = try Fixtures.message(subject: subject, fromName: fromName, toName: toName).rendered()
        let verdict = try MessageOracle.check(data)
        #expect(verdict.passed, "\(verdict.problems)")
        #expect(verdict.summary["subject"] as? String == subject)
        #expect(verdict.summary["fromName"] as? String == fromName)
        #expect(verdict.summary["toName"] as? String == toName)
        #expect(verdict.summary["fromAddress"] as? String == "billing@example.com")
    }

    @Test func theBodiesDecodeToTheOriginalText() throws {
        let message = try Fixtures.message()
        let verdict = try MessageOracle.check(try message.rendered())
        #expect(verdict.passed, "\(verdict.problems)")
        #expect(verdict.summary["text"] as? String == message.textBody.replacingOccurrences(of: "\n", with: "\r\n")
            || verdict.summary["text"] as? String == message.textBody)
        #expect((verdict.summary["html"] as? String)?.hasPrefix(message.htmlBody) == true)
    }

    @Test func theAttachmentDecodesByteEqualWithItsUnicodeFilename() throws {
        let name = "Rechnung März 2025 – Zoë Lefèvre, Société Générale d'Édition (Kopie) \"final\".pdf"
        let attachment = MailAttachment(filename: name, mediaType: "application/pdf", data: Fixtures.pdf)
        let data = try Fixtures.message(attachments: [attachment]).rendered()
        let verdict = try MessageOracle.check(data)
        #expect(verdict.passed, "\(verdict.problems)")
        let attachments = verdict.summary["attachments"] as? [any Sendable] ?? []
        let first = attachments.first as? [String: any Sendable]
        #expect(attachments.count == 1)
        #expect(first?["filename"] as? String == name)
        #expect(first?["type"] as? String == "application/pdf")
        #expect(first?["size"] as? Int == Fixtures.pdf.count)
        let expected = try ProcessRunner.run(
            URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", "import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())"],
            stdin: Fixtures.pdf)
        #expect(first?["sha256"] as? String == expected.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test func everyLineEndsInCRLFAndStaysWithinTheLimits() throws {
        let longSubject = String(repeating: "Rechnungsübersicht ", count: 40) + String(repeating: "x", count: 300)
        let data = try Fixtures.message(subject: longSubject).rendered()
        #expect(!data.isEmpty && data.suffix(2) == Data([13, 10]))
        let lines = data.crlfLines
        for line in lines {
            #expect(!line.contains(13) && !line.contains(10), "bare CR or LF")
            #expect(line.count <= 998)
        }
        // Non-ASCII subjects become encoded words, so even the 300-character word folds to 78.
        #expect(lines.allSatisfy { $0.count <= 78 })
        #expect(data.allSatisfy { $0 < 0x80 }, "the whole message is 7-bit")
    }

    @Test func encodedWordsAreShortAndNeverSplitAUTF8Sequence() throws {
        let subject = "€€€ 👨‍👩‍👧‍👦 Größenänderung äöü ÄÖÜ ß 😀😀😀 " + String(repeating: "é", count: 80)
        let header = try Fixtures.message(subject: subject).rendered().headerBlock
        let words = header.matches(of: /=\?utf-8\?B\?([A-Za-z0-9+\/=]*)\?=/)
        #expect(!words.isEmpty)
        for word in words {
            #expect(word.output.0.count <= 75)
            let decoded = try #require(Data(base64Encoded: String(word.output.1)))
            #expect(String(data: decoded, encoding: .utf8) != nil, "a word holds a partial UTF-8 sequence")
        }
    }

    @Test func withoutAttachmentsTheMessageIsMultipartAlternativeWithPlainTextFirst() throws {
        let data = try Fixtures.message(attachments: []).rendered()
        let verdict = try MessageOracle.check(data)
        #expect(verdict.passed, "\(verdict.problems)")
        #expect(verdict.summary["contentType"] as? String == "multipart/alternative")
        let text = String(decoding: data, as: UTF8.self)
        let plain = try #require(text.range(of: "Content-Type: text/plain"))
        let html = try #require(text.range(of: "Content-Type: text/html"))
        #expect(plain.lowerBound < html.lowerBound)
    }

    @Test func theHeaderCarriesEachRequiredFieldOnceAndNoBcc() throws {
        let header = try Fixtures.message().rendered().headerBlock
        for name in ["Date", "From", "To", "Message-ID", "Subject", "MIME-Version", "Reply-To", "X-Invoice-Idempotency-Key"] {
            #expect(header.components(separatedBy: "\r\n\(name):").count - 1 + (header.hasPrefix("\(name):") ? 1 : 0) == 1,
                    "\(name) should appear once")
        }
        #expect(!header.lowercased().contains("bcc:"))
    }

    @Test func displayNamesWithSpecialsAreQuoted() throws {
        let message = try Fixtures.message(fromName: "Acme, Inc. \"Billing\"", toName: "Doe, John")
        let data = try message.rendered()
        #expect(data.headerBlock.contains("From: \"Acme, Inc. \\\"Billing\\\"\" <billing@example.com>"))
        #expect(data.headerBlock.contains("To: \"Doe, John\" <zoe@example.org>"))
        let verdict = try MessageOracle.check(data)
        #expect(verdict.passed, "\(verdict.problems)")
        #expect(verdict.summary["fromName"] as? String == "Acme, Inc. \"Billing\"")
    }

    @Test func quotedPrintableKeepsTrailingSpacesDotsAndEqualsSigns() throws {
        let text = "a = b   \n.leading dot\n" + String(repeating: "long line with ümlauts ", count: 20) + "\nend\t"
        var message = try Fixtures.message(attachments: [])
        message.textBody = text
        let data = try message.rendered()
        #expect(data.crlfLines.allSatisfy { $0.count <= 76 || $0.first == UInt8(ascii: "C") || $0.first == UInt8(ascii: "S") })
        #expect(!data.crlfLines.contains { $0.first == UInt8(ascii: ".") }, "no line needs dot-stuffing")
        let verdict = try MessageOracle.check(data)
        #expect(verdict.passed, "\(verdict.problems)")
        #expect(verdict.summary["text"] as? String == text.replacingOccurrences(of: "\n", with: "\r\n")
            || verdict.summary["text"] as? String == text)
    }

    @Test func boundariesAreRandomAndAbsentFromTheContent() throws {
        let message = try Fixtures.message()
        let first = String(decoding: try message.rendered(), as: UTF8.self)
        let second = String(decoding: try message.rendered(), as: UTF8.self)
        let boundaries = first.matches(of: /boundary="([^"]+)"/).map { String($0.output.1) }
        #expect(boundaries.count == 2)
        #expect(Set(second.matches(of: /boundary="([^"]+)"/).map { String($0.output.1) }).isDisjoint(with: boundaries))
        for boundary in boundaries {
            // Once in the header parameter, then only as delimiter lines.
            let uses = first.components(separatedBy: boundary).count - 1
            let delimiters = first.components(separatedBy: "\r\n--\(boundary)").count - 1
            #expect(uses == delimiters + 1)
        }
    }

    @Test func aSeededGeneratorGivesIdenticalBytes() throws {
        let message = try Fixtures.message()
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        #expect(try message.rendered(using: &a) == message.rendered(using: &b))
    }
}
