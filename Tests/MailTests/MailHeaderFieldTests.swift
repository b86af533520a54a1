import Foundation
import Mail
import Testing

@Suite("Header fields")
struct MailHeaderFieldTests {
    @Test func theDateIsEnglishRFC5322InUTC() {
        #expect(MailDate.string(from: Fixtures.date) == "Tue, 25 Nov 2025 13:00:00 +0000")
        #expect(MailDate.string(from: Date(timeIntervalSince1970: 0)) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(MailDate.string(from: Date(timeIntervalSince1970: 951_782_400)) == "Tue, 29 Feb 2000 00:00:00 +0000")
    }

    @Test func aGeneratedMessageIDIsRandomAndOnTheSendersDomain() throws {
        let message = try Fixtures.message()
        let other = try Fixtures.message()
        #expect(message.messageID != other.messageID)
        #expect(message.messageID.description.wholeMatch(of: /<[0-9a-f]{32}@example\.com>/) != nil)
        #expect(try message.rendered().headerBlock.contains("Message-ID: \(message.messageID)"))
    }

    @Test func aStoredMessageIDIsAcceptedWithOrWithoutBrackets() throws {
        #expect(try MessageID("<abc@example.com>").value == "abc@example.com")
        #expect(try MessageID("abc@example.com").description == "<abc@example.com>")
        #expect(throws: MailError.self) { try MessageID("abc@example.com>\r\nBcc: x") }
        #expect(throws: MailError.self) { try MessageID("no-at") }
    }

    @Test func theEnvelopeIsTheSenderAndTheSingleRecipient() throws {
        let envelope = try Fixtures.message().envelope
        #expect(envelope == MailEnvelope(mailFrom: "billing@example.com", recipient: "zoe@example.org"))
    }

    @Test func anASCIISubjectStaysReadableAndLongOnesFoldAtSpaces() throws {
        let subject = "Your invoice 2025-0042 from Example Consulting is ready; it is due on 9 December 2025 please pay"
        let header = try Fixtures.message(subject: subject).rendered().headerBlock
        #expect(header.contains("Subject: Your invoice 2025-0042"))
        #expect(header.contains("\r\n "))
        let unfolded = header.replacingOccurrences(of: "\r\n ", with: " ")
        #expect(unfolded.contains("Subject: \(subject)\r\n"))
    }
}
