import CCurl

/// Owns one CURL easy handle and its connection cache. Not thread-safe: use from one thread.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// C strings and lists handed to curl must live as long as the handle uses them.
    private var recipients: UnsafeMutablePointer<curl_slist>?
    private var resolve: UnsafeMutablePointer<curl_slist>?

    init(configuration: SMTPConfiguration) throws(SMTPError) {
        guard let raw = curl_easy_init() else { throw .libraryUnavailable("curl_easy_init returned NULL") }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let c = configuration
        var codes: [CURLcode] = []
        codes.append(ccurl_setopt_string(raw, CURLOPT_URL, c.curlURL))
        codes.append(ccurl_setopt_long(raw, CURLOPT_NOSIGNAL, 1))
        codes.append(ccurl_setopt_string(raw, CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
        codes.append(ccurl_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer))
        codes.append(ccurl_setopt_long(raw, CURLOPT_UPLOAD, 1))
        codes.append(ccurl_setopt_long(raw, CURLOPT_UPLOAD_BUFFERSIZE, min(max(c.uploadBufferSize, 16 * 1024), 2 * 1024 * 1024)))
        // libcurl's default since 7.50.2, set so it stays so: SMTP commands are small writes that
        // each wait for a reply, and Nagle would hold them back.
        codes.append(ccurl_setopt_long(raw, CURLOPT_TCP_NODELAY, 1))
        let ssl: curl_usessl = switch c.security {
        case .startTLSRequired, .implicitTLS: CURLUSESSL_ALL
        case .startTLSIfOffered: CURLUSESSL_TRY
        }
        codes.append(ccurl_setopt_long(raw, CURLOPT_USE_SSL, Int(ssl.rawValue)))
        if let path = c.caBundlePath { codes.append(ccurl_setopt_string(raw, CURLOPT_CAINFO, path)) }
        if let address = c.address {
            // The connection goes to `address`; TLS still checks the certificate against `host`.
            let hostPart = c.host.contains(":") ? "[\(c.host)]" : c.host
            resolve = curl_slist_append(nil, "\(hostPart):\(c.port):\(address.contains(":") ? "[\(address)]" : address)")
            codes.append(ccurl_setopt_slist(raw, CURLOPT_RESOLVE, resolve))
        }
        if let user = c.username { codes.append(ccurl_setopt_string(raw, CURLOPT_USERNAME, user)) }
        if let password = c.password { codes.append(ccurl_setopt_string(raw, CURLOPT_PASSWORD, password)) }
        codes.append(ccurl_setopt_long(raw, CURLOPT_CONNECTTIMEOUT_MS, max(1, c.connectTimeout.milliseconds)))
        codes.append(ccurl_setopt_long(raw, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                                       max(1, (c.replyTimeout.milliseconds + 999) / 1000)))
        codes.append(ccurl_setopt_long(raw, CURLOPT_TIMEOUT_MS, max(1, c.messageTimeout.milliseconds)))
        codes.append(ccurl_setopt_long(raw, CURLOPT_MAXAGE_CONN, max(1, c.maxIdleAge.milliseconds / 1000)))
        if c.lowSpeedLimit > 0 {
            codes.append(ccurl_setopt_long(raw, CURLOPT_LOW_SPEED_LIMIT, c.lowSpeedLimit))
            codes.append(ccurl_setopt_long(raw, CURLOPT_LOW_SPEED_TIME, max(1, c.lowSpeedTime.milliseconds / 1000)))
        }
        // The debug callback is how the reply lines are captured; it only runs with VERBOSE on.
        // Our callback stores reply lines and command verbs only and prints nothing.
        codes.append(ccurl_setopt_long(raw, CURLOPT_VERBOSE, 1))
        codes.append(ccurl_setopt_debug_function(raw) { _, type, data, size, userdata in
            if let userdata, let data {
                Unmanaged<SMTPTranscript>.fromOpaque(userdata).takeUnretainedValue()
                    .record(type: type, data: data, size: size)
            }
            return 0
        })
        codes.append(ccurl_setopt_io_function(raw, CURLOPT_READFUNCTION) { buffer, size, count, userdata in
            guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
            return Unmanaged<SMTPTranscript>.fromOpaque(userdata).takeUnretainedValue()
                .read(into: buffer, capacity: size * count)
        })
        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            curl_easy_cleanup(raw)
            if let resolve { curl_slist_free_all(resolve) }
            errorBuffer.deallocate()
            throw .libraryUnavailable("setting an option failed: \(String(cString: curl_easy_strerror(failed)))")
        }
    }

    /// Runs one transaction: `MAIL FROM:<from>`, `RCPT TO:<…>` for each address in `to`, DATA with `transcript.body`.
    func perform(from: String, to: String, transcript: SMTPTranscript) -> CURLcode {
        errorBuffer[0] = 0
        let pointer = Unmanaged.passUnretained(transcript).toOpaque()
        _ = ccurl_setopt_string(raw, CURLOPT_MAIL_FROM, "<\(from)>")
        if let recipients { _ = ccurl_setopt_slist(raw, CURLOPT_MAIL_RCPT, nil); curl_slist_free_all(recipients) }
        // `to` is one address or a comma-separated list (dot-atom addresses hold no comma).
        recipients = nil
        for recipient in to.split(separator: ",") { recipients = curl_slist_append(recipients, "<\(recipient)>") }
        _ = ccurl_setopt_slist(raw, CURLOPT_MAIL_RCPT, recipients)
        _ = ccurl_setopt_pointer(raw, CURLOPT_READDATA, pointer)
        _ = ccurl_setopt_pointer(raw, CURLOPT_DEBUGDATA, pointer)
        _ = ccurl_setopt_off_t(raw, CURLOPT_INFILESIZE_LARGE, curl_off_t(transcript.body.count))
        let code = withExtendedLifetime(transcript) { curl_easy_perform(raw) }
        // Never leave dangling pointers to the transcript behind.
        _ = ccurl_setopt_pointer(raw, CURLOPT_READDATA, nil)
        _ = ccurl_setopt_pointer(raw, CURLOPT_DEBUGDATA, nil)
        return code
    }

    var errorText: String { String(cString: errorBuffer) }

    func infoLong(_ info: CURLINFO) -> Int {
        var value = 0
        return ccurl_getinfo_long(raw, info, &value) == CURLE_OK ? value : 0
    }

    func infoOffset(_ info: CURLINFO) -> Int64 {
        var value: curl_off_t = 0
        return ccurl_getinfo_off_t(raw, info, &value) == CURLE_OK ? Int64(value) : 0
    }

    deinit {
        // curl_easy_cleanup may send QUIT and wait for the reply, bounded by the reply timeout.
        _ = ccurl_setopt_slist(raw, CURLOPT_MAIL_RCPT, nil)
        curl_easy_cleanup(raw)
        if let recipients { curl_slist_free_all(recipients) }
        if let resolve { curl_slist_free_all(resolve) }
        errorBuffer.deallocate()
    }
}
