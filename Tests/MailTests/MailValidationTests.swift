import Foundation
import Mail
import Testing

@Suite("Refusing unsafe header input")
struct MailValidationTests {
    static let injections = ["Hi\r\nBcc: victim@example.net", "Hi\nX-Evil: 1", "Hi\rX", "nul\u{0}byte", "tab\there", "del\u{7F}"]

    @Test(arguments: injections)
    func aSubjectWithControlCharactersIsRefused(subject: String) throws {
        let message = try Fixtures.message(subject: subject)
        #expect(throws: MailError.controlCharacter(field: "subject")) { try message.rendered() }
    }

    @Test(arguments: injections)
    func aDisplayNameWithControlCharactersIsRefused(name: String) {
        #expect(throws: MailError.controlCharacter(field: "display name")) {
            try MailAddress("a@example.com", displayName: name)
        }
    }

    @Test(arguments: [
        "a@example.com\r\nRCPT TO:<b@example.net>", "a@example.com\n", "a b@example.com", "<a@example.com>",
        "no-at-sign", "two@@example.com", "a@b@example.com", "@example.com", "a@", "a..b@example.com",
        ".a@example.com", "a@-example.com", "a@exa mple.com", "jörg@example.com", "a@example.com>",
    ])
    func anAddressThatIsNotAPlainAddrSpecIsRefused(address: String) {
        #expect(throws: MailError.self) { try MailAddress(address) }
    }

    @Test(arguments: ["billing@example.com", "first.last+tag@sub.example.co.uk", "o'brien@example.ie", "x@localhost"])
    func plainAddressesAreAccepted(address: String) throws {
        #expect(try MailAddress(address).address == address)
    }

    @Test func aFilenameWithALineBreakIsRefused() throws {
        let attachment = MailAttachment(filename: "a.pdf\r\nContent-Type: text/html", mediaType: "application/pdf", data: Data())
        let message = try Fixtures.message(attachments: [attachment])
        #expect(throws: MailError.controlCharacter(field: "attachment filename")) { try message.rendered() }
    }

    @Test func anExtraHeaderWithALineBreakOrAReservedNameIsRefused() throws {
        var message = try Fixtures.message()
        message.extraHeaders = [MailHeader(name: "X-Invoice-Key", value: "1\r\nBcc: x@example.net")]
        #expect(throws: MailError.self) { try message.rendered() }
        message.extraHeaders = [MailHeader(name: "Bcc", value: "x@example.net")]
        #expect(throws: MailError.self) { try message.rendered() }
        message.extraHeaders = [MailHeader(name: "X Bad", value: "1")]
        #expect(throws: MailError.self) { try message.rendered() }
    }

    @Test func aMalformedMediaTypeIsRefused() throws {
        let attachment = MailAttachment(filename: "a.pdf", mediaType: "application/pdf; x=\"y\"", data: Data())
        #expect(throws: MailError.invalidMediaType("application/pdf; x=\"y\"")) {
            try Fixtures.message(attachments: [attachment]).rendered()
        }
    }

    @Test func errorMessagesShowControlCharactersVisibly() {
        let error = MailError.invalidAddress("a@b.c\r\nX", reason: "test")
        #expect(!error.description.contains("\r") && !error.description.contains("\n"))
        #expect(error.description.contains("\\u{d}"))
    }
}
