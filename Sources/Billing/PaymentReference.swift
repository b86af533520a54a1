/// Structured payment references: the Swiss QR-bill's 27-digit QR reference (QRR, modulo 10
/// recursive) and the ISO 11649 creditor reference (SCOR, `RF`, modulo 97). In the billing core
/// because both ends use them: the QR-bill writes them (Documents), a bank file's payments are
/// matched by them (BankFiles, Workflows), and neither should depend on the other.
public enum PaymentReference: Sendable {
    /// The check digit that completes 26 digits into a QR reference (modulo 10, recursive).
    public static func modulo10RecursiveCheckDigit(_ digits: String) -> Int? {
        let table = [0, 9, 4, 6, 8, 2, 7, 1, 3, 5]
        var carry = 0
        for character in digits {
            guard let digit = character.wholeNumberValue, character.isASCII else { return nil }
            carry = table[(carry + digit) % 10]
        }
        return (10 - carry) % 10
    }

    /// Whether `reference` is 27 digits whose last one checks the others.
    public static func isValidQRReference(_ reference: String) -> Bool {
        guard reference.count == 27, let last = reference.last?.wholeNumberValue else { return false }
        return modulo10RecursiveCheckDigit(String(reference.dropLast())) == last
    }

    /// A QR reference carrying the digits of `source` (the last 26, zero-padded), plus the check digit.
    public static func qrReference(from source: String) -> String? {
        let digits = String(source.filter { $0.isASCII && $0.isNumber }.suffix(26))
        guard !digits.isEmpty else { return nil }
        let body = String(repeating: "0", count: 26 - digits.count) + digits
        guard let check = modulo10RecursiveCheckDigit(body) else { return nil }
        return body + String(check)
    }

    /// `RFkk` + the letters and digits of `source` (at most 21), the check digits by ISO 7064 MOD 97-10.
    public static func creditorReference(from source: String) -> String? {
        let body = String(source.uppercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber) }.suffix(21))
        guard !body.isEmpty, let remainder = modulo97(body + "RF00") else { return nil }
        let check = 98 - remainder
        return "RF" + (check < 10 ? "0" : "") + String(check) + body
    }

    /// Whether `reference` is a well-formed creditor reference whose check digits hold.
    public static func isValidCreditorReference(_ reference: String) -> Bool {
        let compact = reference.filter { $0 != " " }.uppercased()
        guard (5...25).contains(compact.count), compact.hasPrefix("RF") else { return false }
        return modulo97(String(compact.dropFirst(4) + compact.prefix(4))) == 1
    }

    /// The value of the letters (A = 10 … Z = 35) and digits of `text`, modulo 97.
    static func modulo97(_ text: String) -> Int? {
        var remainder = 0
        for character in text {
            guard character.isASCII, let value = character.isNumber ? character.wholeNumberValue
                    : character.isLetter ? Int(character.asciiValue ?? 0) - 55 : nil else { return nil }
            remainder = (value < 10 ? remainder * 10 : remainder * 100) + value
            remainder %= 97
        }
        return remainder
    }

    /// A reference as printed: QR references in blocks of five from the right, creditor references in blocks of four.
    public static func formatted(_ reference: String) -> String {
        var groups: [String] = []
        if reference.hasPrefix("RF") {
            var rest = Substring(reference)
            while !rest.isEmpty { groups.append(String(rest.prefix(4))); rest = rest.dropFirst(4) }
        } else {
            var rest = Substring(reference)
            while !rest.isEmpty { groups.insert(String(rest.suffix(5)), at: 0); rest = rest.dropLast(5) }
        }
        return groups.joined(separator: " ")
    }
}
