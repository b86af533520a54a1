/// A libpq connection URI (`postgres://user:secret@host:5432/db?sslmode=require`,
/// `postgresql:///db?host=/run/postgresql`), and the form of it that may be shown to an operator.
enum ConnectionURI {
    /// Whether `text` is a URI this engine opens (anything else is a SQLite path for the store).
    static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// The URI without its password: neither `user:secret@` nor a `password=` query parameter
    /// survives, so messages and logs never carry the secret.
    static func redacted(_ uri: String) -> String {
        guard let schemeEnd = uri.range(of: "://") else { return uri }
        let scheme = uri[..<schemeEnd.upperBound]
        let rest = uri[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = String(rest[..<authorityEnd])
        var tail = String(rest[authorityEnd...])
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            authority = String(user) + authority[at...]
        }
        if let question = tail.firstIndex(of: "?") {
            let path = tail[..<question]
            let kept = tail[tail.index(after: question)...]
                .split(separator: "&")
                .filter { !$0.lowercased().hasPrefix("password=") }
            tail = String(path) + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
        }
        return String(scheme) + authority + tail
    }
}

extension PostgresConnection {
    /// `uri` without its password, as messages and logs may show it.
    public static func redacted(_ uri: String) -> String { ConnectionURI.redacted(uri) }
}
