import Foundation
import Mail
import Testing
import TestSupport

/// Display names that try to pass for another sender (issue 10): text that looks like an RFC 2047
/// encoded word, addresses inside the name, and bidi controls that reorder what a reader sees.
/// The rule (Sources/Mail/MailAddress.swift, HeaderEncoding.phraseTokens): a phrase containing `=?` is
/// sent whole as encoded words, so a reader decodes it to exactly the stored text; bidi controls are
/// stripped from display names. Judged by Python's `email` under `policy.strict` (check_message.py).
@Suite("Display names cannot spoof")
struct DisplayNameSpoofingTests {
    static let hostile: [String] = [
        "=?utf-8?B?Q0VPIDxjZW9AYmFuay5jb20+?=",
        "=?utf-8?Q?CEO_=3Cceo=40bank=2Ecom=3E?=",
        "Bank =?utf-8?B?Q0VPIDxjZW9AYmFuay5jb20+?= AG",
        "Müller =?iso-8859-1?Q?CEO?= & Söhne",
        "=?", "a=?b", "?= =? ?=",
        "CEO <ceo@bank.com>",
        "\"ceo@bank.com\" <ceo@bank.com>",
        "ceo@bank.com",
        "Quote \" and \\ backslash",
        "Bank, Inc.; (Billing): <x>",
        "Evil\u{202E}moc.knab@oec",
        "\u{2066}Isolate\u{2069} AG \u{2067}x\u{2068}",
        "\u{202A}LRE\u{202B}RLE\u{202C}PDF\u{202D}LRO",
        "x\u{200E}y\u{200F}z\u{061C}",
    ]

    /// What the reader must see: the stored name without bidi controls.
    static func expected(_ name: String) -> String {
        String(String.UnicodeScalarView(name.unicodeScalars.filter { !MailAddress.isBidiControl($0) }))
    }

    // Mutation (mutants.tsv header-encoded-word): in HeaderEncoding.phraseTokens, drop `!name.contains("=?")` from the plain-phrase test (an
    // ASCII name with `=?` goes out quoted) → Python decodes the quoted encoded word to "CEO <ceo@bank.com>"
    // and this test fails. Mutation (mutants.tsv mail-bidi-kept): MailAddress.init keeps the display name as given (no bidi stripping)
    // → the U+202E name reaches the reader and this test fails.
    @Test(arguments: hostile)
    func theParsedDisplayNameIsTheStoredNameAndTheAddressTheStoredAddress(name: String) throws {
        let message = try Fixtures.message(fromName: name, toName: name)
        let verdict = try MessageOracle.check(try message.rendered())
        #expect(verdict.passed, "\(verdict.problems)")
        #expect(verdict.summary["toName"] as? String == Self.expected(name), "\(verdict.summary)")
        #expect(verdict.summary["fromName"] as? String == Self.expected(name), "\(verdict.summary)")
        #expect(verdict.summary["toAddress"] as? String == "zoe@example.org")
        #expect(verdict.summary["fromAddress"] as? String == "billing@example.com")
    }

    @Test func bidiControlsAreStrippedFromTheStoredDisplayName() throws {
        let address = try MailAddress("ceo@example.com", displayName: "Evil\u{202E}moc.knab\u{2066}")
        #expect(address.displayName == "Evilmoc.knab")
        #expect(address.description == "Evilmoc.knab <ceo@example.com>")
    }
}
