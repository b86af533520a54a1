import Curl

/// Process-wide libcurl set-up.
public enum SMTP: Sendable {
    /// Calls `curl_global_init` once per process. Safe to call from any thread, any number of times;
    /// the executable calls it at start-up, tests call it before creating a sender.
    public static func globalInit() throws(SMTPError) {
        let code = CurlEasy.globalInit()
        if code != CURLE_OK.rawValue {
            throw .libraryUnavailable("curl_global_init failed with code \(code)")
        }
    }

    /// The libcurl version string, e.g. `libcurl/7.88.1 OpenSSL/3.0.19 …`.
    public static var curlVersion: String { CurlEasy.version }
}
