/// A language invoices and mails are written in.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    case en, de, fr, it

    public init(code: String) throws {
        guard let language = Language(rawValue: code.lowercased()) else {
            throw BillingError("unknown language '\(code)': use one of en, de, fr, it")
        }
        self = language
    }
}
