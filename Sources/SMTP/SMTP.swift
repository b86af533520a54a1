import CCurl

/// Process-wide libcurl set-up.
public enum SMTP: Sendable {
    /// Swift runs a static `let` initialiser exactly once, thread-safely (swift_once), which
    /// gives `globalInit()` its idempotence without a lock.
    private static let globalInitResult: UInt32 = curl_global_init(Int(CURL_GLOBAL_DEFAULT)).rawValue

    /// Calls `curl_global_init` once per process. Safe to call from any thread, any number of times;
    /// the executable calls it at start-up, tests call it before creating a sender.
    public static func globalInit() throws(SMTPError) {
        let code = globalInitResult
        if code != CURLE_OK.rawValue {
            throw .libraryUnavailable("curl_global_init failed with code \(code)")
        }
    }

    /// The libcurl version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.19 …`.
    public static var curlVersion: String { String(cString: curl_version()) }
}
