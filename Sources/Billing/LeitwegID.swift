/// Germany's routing id for e-invoices to public buyers (Leitweg-ID, KoSIT): coarse address (2–12 digits),
/// optional fine address (up to 30 letters and digits), check digits (2), joined by hyphens, such as
/// `991-12345-73`. The check digits follow ISO 7064 MOD 97-10 over the rest (letters as 10–35): a
/// mistyped id routes the invoice nowhere, so it is checked where it is typed.
public enum LeitwegID: Sendable {
    /// Whether `text` has the form of a Leitweg-ID (whatever its check digits).
    public static func looksLikeOne(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, let coarse = parts.first, let check = parts.last else { return false }
        guard (2...12).contains(coarse.count), coarse.allSatisfy({ $0.isASCII && $0.isNumber }),
              check.count == 2, check.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        if parts.count == 3 {
            let fine = parts[1]
            return (1...30).contains(fine.count) && fine.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
        return true
    }

    /// The check digits ISO 7064 MOD 97-10 gives for `body` (the id without its last `-NN`).
    public static func checkDigits(for body: String) -> String? {
        guard let remainder = mod97(body.filter { $0 != "-" } + "00") else { return nil }
        let digits = 98 - remainder
        return digits < 10 ? "0\(digits)" : String(digits)
    }

    /// Throws unless `text` is a Leitweg-ID with the right check digits; the message gives the right ones.
    public static func check(_ text: String, field: String) throws {
        guard looksLikeOne(text) else {
            throw BillingError("\(field) '\(text)' is not a Leitweg-ID (digits-[letters and digits-]check digits, e.g. 991-12345-73)")
        }
        guard let dash = text.lastIndex(of: "-"), let expected = checkDigits(for: String(text[..<dash])) else {
            throw BillingError("\(field) '\(text)' is not a Leitweg-ID")
        }
        let given = text[text.index(after: dash)...]
        guard given == expected else {
            throw BillingError("\(field) '\(text)' has a wrong check digit: ISO 7064 MOD 97-10 gives \(text[..<dash])-\(expected); a mistyped Leitweg-ID is never delivered")
        }
    }

    /// The remainder mod 97 of `text` read as digits, letters counting 10 (A) to 35 (Z); nil for other characters.
    static func mod97(_ text: String) -> Int? {
        var remainder = 0
        for character in text.uppercased() {
            guard character.isASCII else { return nil }
            let value: Int
            if let digit = character.wholeNumberValue { value = digit }
            else if character.isLetter, let ascii = character.asciiValue { value = Int(ascii) - 55 }
            else { return nil }
            for digit in String(value) { remainder = (remainder * 10 + (digit.wholeNumberValue ?? 0)) % 97 }
        }
        return remainder
    }
}
