@_exported import CCurl

/// The one Swift wrapper of libcurl: an easy handle with its error buffer, typed options and
/// infos, and the process-wide `curl_global_init`. SMTP and the event delivery each configure
/// their own handles on top of it. Not thread-safe: one handle belongs to one thread.
public final class CurlEasy {
    public let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Lists handed to curl (headers, recipients, resolve entries) live as long as the handle uses them.
    private var lists: [CURLoption.RawValue: UnsafeMutablePointer<curl_slist>] = [:]

    private static let globalInitResult: UInt32 = curl_global_init(Int(CURL_GLOBAL_DEFAULT)).rawValue

    /// Calls `curl_global_init` once per process; the code it returned (0: fine).
    public static func globalInit() -> UInt32 { globalInitResult }

    public static var version: String { String(cString: curl_version()) }

    /// A new handle, or nil when libcurl cannot make one (then `curl_easy_init` returned NULL).
    public init?() {
        guard CurlEasy.globalInitResult == 0, let raw = curl_easy_init() else { return nil }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = ccurl_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = ccurl_setopt_long(raw, CURLOPT_NOSIGNAL, 1)
    }

    @discardableResult public func set(_ option: CURLoption, _ value: Int) -> CURLcode { ccurl_setopt_long(raw, option, value) }
    @discardableResult public func set(_ option: CURLoption, _ value: String) -> CURLcode { ccurl_setopt_string(raw, option, value) }
    @discardableResult public func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) -> CURLcode {
        ccurl_setopt_pointer(raw, option, pointer)
    }
    @discardableResult public func set(_ option: CURLoption, offset: Int64) -> CURLcode {
        ccurl_setopt_off_t(raw, option, curl_off_t(offset))
    }
    @discardableResult public func set(_ option: CURLoption, function: ccurl_io_callback) -> CURLcode {
        ccurl_setopt_io_function(raw, option, function)
    }
    @discardableResult public func setDebugFunction(_ function: ccurl_debug_callback) -> CURLcode {
        ccurl_setopt_debug_function(raw, function)
    }

    /// Sets a list option (`CURLOPT_HTTPHEADER`, `CURLOPT_MAIL_RCPT`, `CURLOPT_RESOLVE`) from strings,
    /// freeing the list it replaces; an empty list unsets it.
    @discardableResult public func set(_ option: CURLoption, list items: [String]) -> CURLcode {
        var list: UnsafeMutablePointer<curl_slist>?
        for item in items { list = curl_slist_append(list, item) }
        let code = ccurl_setopt_slist(raw, option, list)
        if let old = lists[option.rawValue] { curl_slist_free_all(old) }
        lists[option.rawValue] = list
        return code
    }

    /// Runs the transfer; `errorText` says what went wrong when it is not `CURLE_OK`.
    public func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(raw)
    }

    /// The error buffer's text, else libcurl's text for `code`.
    public func message(for code: CURLcode) -> String {
        errorText.isEmpty ? String(cString: curl_easy_strerror(code)) : errorText
    }

    public var errorText: String { String(cString: errorBuffer) }

    public static func describe(_ code: CURLcode) -> String { String(cString: curl_easy_strerror(code)) }

    public func infoLong(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    public func infoOffset(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return ccurl_getinfo_off_t(raw, info, &value) == CURLE_OK ? Int64(value) : 0
    }

    deinit {
        // Lists are unset before they are freed; curl_easy_cleanup may still talk (SMTP QUIT).
        for option in lists.keys { _ = ccurl_setopt_slist(raw, CURLoption(rawValue: option), nil) }
        curl_easy_cleanup(raw)
        for list in lists.values { curl_slist_free_all(list) }
        errorBuffer.deallocate()
    }
}
