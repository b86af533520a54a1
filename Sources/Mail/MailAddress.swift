/// A mailbox: an optional display name and a plain addr-spec (`local@domain`).
///
/// Only dot-atom local parts and ASCII domains are accepted. Quoted local parts, comments,
/// source routes and internationalised addresses are refused: the sender is libcurl without
/// SMTPUTF8, and every such form is a classic source of header and envelope injection.
public struct MailAddress: Sendable, Hashable, CustomStringConvertible {
    /// The human-readable name, e.g. `Müller & Söhne GmbH`; `nil` or empty means none.
    public let displayName: String?
    /// The addr-spec, e.g. `billing@example.com`.
    public let address: String

    /// Validates both parts; throws `MailError` for control characters or a malformed address.
    ///
    /// Bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E/U+200F, U+061C) are stripped from the
    /// display name: they reorder what a reader sees (`Evil\u{202E}moc.knab` shows as "Evilbank.com")
    /// and no company or person needs them to be named. A name that looks like an RFC 2047 encoded
    /// word is sent as encoded words itself (HeaderEncoding.phraseTokens), so it reads as written.
    public init(_ address: String, displayName: String? = nil) throws(MailError) {
        try Self.validate(address: address)
        if let displayName {
            try HeaderValidation.requireSingleLine(displayName, field: "display name")
        }
        self.address = address
        self.displayName = displayName.map(Self.withoutBidiControls)
    }

    /// True for the Unicode bidi embedding, override, isolate and mark characters.
    public static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    static func withoutBidiControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBidiControl) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !isBidiControl($0) }))
    }

    /// The domain part, used for Message-IDs.
    public var domain: String {
        String(address[address.index(after: address.lastIndex(of: "@") ?? address.startIndex)...])
    }

    public var description: String {
        if let displayName, !displayName.isEmpty { return "\(displayName) <\(address)>" }
        return address
    }

    /// Checks that `address` is `dot-atom@domain` with ASCII letters, digits and hyphens in the domain.
    public static func validate(address: String) throws(MailError) {
        if address.unicodeScalars.contains(where: HeaderValidation.isControl) {
            throw .invalidAddress(address, reason: "it contains a line break or another control character")
        }
        let bytes = Array(address.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }) else {
            throw .invalidAddress(address, reason: "only ASCII addresses are supported (use the xn-- form for domains)")
        }
        if bytes.contains(UInt8(ascii: " ")) {
            throw .invalidAddress(address, reason: "it contains a space")
        }
        if bytes.contains(UInt8(ascii: "<")) || bytes.contains(UInt8(ascii: ">")) {
            throw .invalidAddress(address, reason: "give the bare address without angle brackets")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            throw .invalidAddress(address, reason: "it must contain exactly one @")
        }
        let local = Array(parts[0].utf8), domain = Array(parts[1].utf8)
        guard !local.isEmpty, local.count <= 64 else {
            throw .invalidAddress(address, reason: "the part before @ must be 1 to 64 characters")
        }
        guard bytes.count <= 254 else {
            throw .invalidAddress(address, reason: "it is longer than 254 characters")
        }
        let localAtoms = local.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard localAtoms.allSatisfy({ !$0.isEmpty && $0.allSatisfy(HeaderValidation.isAtext) }) else {
            throw .invalidAddress(address, reason: "the part before @ has a character or dot that is not allowed")
        }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        let labelsValid = labels.count >= 1 && labels.allSatisfy { label in
            !label.isEmpty && label.count <= 63
                && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { byte in
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-")
                }
        }
        guard labelsValid else {
            throw .invalidAddress(address, reason: "the domain must be letters, digits, hyphens and dots")
        }
    }
}
