/// Errors raised before any network traffic: bad configuration or unusable envelope input.
/// Network results are not errors; they are `SMTPOutcome` values.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String, reason: String)
    case invalidEnvelopeAddress(String, reason: String)
    case invalidConfiguration(String)
    case libraryUnavailable(String)

    public var description: String {
        switch self {
        case .invalidURL(let url, let reason):
            "the SMTP URL \"\(Self.printable(url))\" cannot be used: \(reason)"
        case .invalidEnvelopeAddress(let address, let reason):
            "the envelope address \"\(Self.printable(address))\" was refused before sending: \(reason)"
        case .invalidConfiguration(let reason):
            "invalid SMTP configuration: \(reason)"
        case .libraryUnavailable(let reason):
            "libcurl could not be used: \(reason)"
        }
    }

    static func printable(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
