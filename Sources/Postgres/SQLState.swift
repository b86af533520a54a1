import Database

/// PostgreSQL's SQLSTATE codes, classified into the store's engine-neutral error kinds.
enum SQLState {
    /// The kind for a five-character SQLSTATE (class = its first two characters).
    static func kind(_ code: String) -> DatabaseError.Kind {
        switch code {
        case "23505": return .uniqueViolation
        case "40001", "40P01": return .serializationFailure
        case "55P03": return .busy
        case "25006": return .readOnly
        case "53100": return .diskFull
        // The server is going away (admin shutdown, crash shutdown, cannot connect now).
        case "57P01", "57P02", "57P03": return .connection
        default:
            if code.hasPrefix("23") { return .constraint }
            if code.hasPrefix("08") { return .connection }
            return .other
        }
    }

    /// Whether a failure with this code means "run the whole transaction again".
    static func isRetryable(_ code: String) -> Bool { code == "40001" || code == "40P01" }

    /// SQLSTATE for a connection that could not be made (libpq reports no SQLSTATE then).
    static let unableToConnect = "08001"
    /// SQLSTATE for a connection lost mid-statement.
    static let connectionFailure = "08006"
}

/// A libpq message on one line: its lines joined, tabs and the trailing newline gone.
func oneLine(_ message: String) -> String {
    message.split(whereSeparator: \.isNewline)
        .map { $0.trimmingCharacters(in: " \t") }
        .filter { !$0.isEmpty }
        .joined(separator: " ")
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
