/// Validation shared by every free-text field that can reach a document or a mail header.
public enum TextField: Sendable {
    /// A single-line value: no CR, LF or other control characters (they would break headers and layouts).
    public static func singleLine(_ value: String, field: String, required: Bool = false, maxLength: Int = 200) throws -> String {
        let trimmed = value.trimmingSpaces
        if required && trimmed.isEmpty { throw BillingError("\(field) must not be empty") }
        if trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            throw BillingError("\(field) must be one line: it contains a line break or a control character")
        }
        if trimmed.count > maxLength {
            throw BillingError("\(field) is longer than \(maxLength) characters (it has \(trimmed.count))")
        }
        return trimmed
    }

    /// A multi-line value (descriptions, billing info, notes): line breaks allowed, other controls not.
    public static func multiLine(_ value: String, field: String, maxLength: Int = 2000) throws -> String {
        let normalized = value.replacingCRLF
        if normalized.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) {
            throw BillingError("\(field) contains a control character")
        }
        if normalized.count > maxLength { throw BillingError("\(field) is longer than \(maxLength) characters") }
        return normalized
    }

    /// An email address (addr-spec, ASCII or UTF-8 local part, a domain with a dot), one line.
    public static func email(_ value: String, field: String = "email") throws -> String {
        let address = try singleLine(value, field: field, required: true, maxLength: 254)
        // The mail path (MIME headers, SMTP envelope via libcurl) speaks ASCII only, not SMTPUTF8:
        // an address it cannot deliver to is refused here instead of failing every mail later.
        guard address.unicodeScalars.allSatisfy(\.isASCII) else {
            throw BillingError("\(field) '\(address)' has non-ASCII characters, which mail cannot be sent to (no SMTPUTF8); use an ASCII address (a domain such as müller.ch in its xn-- form: xn--mller-kva.ch)")
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        let forbidden: Set<Character> = [" ", "<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]"]
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64, !parts[1].isEmpty,
              !address.contains(where: { forbidden.contains($0) }),
              !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains(".."),
              parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !parts[1].contains(".."),
              parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." })
        else { throw BillingError("\(field) '\(address)' is not a valid email address") }
        return address
    }
}

extension String {
    var replacingCRLF: String {
        var out = ""
        var previousCR = false
        for scalar in unicodeScalars {
            if scalar == "\r" { out.unicodeScalars.append("\n"); previousCR = true; continue }
            if scalar == "\n" && previousCR { previousCR = false; continue }
            previousCR = false
            out.unicodeScalars.append(scalar)
        }
        return out
    }
}
