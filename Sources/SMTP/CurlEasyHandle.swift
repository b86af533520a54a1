import Curl

/// An SMTP-configured libcurl easy handle (the shared wrapper `CurlEasy`) with its connection cache.
/// Not thread-safe: use from one thread.
final class CurlEasyHandle {
    let easy: CurlEasy

    init(configuration: SMTPConfiguration) throws(SMTPError) {
        guard let easy = CurlEasy() else { throw .libraryUnavailable("curl_easy_init returned NULL") }
        self.easy = easy
        let c = configuration
        var codes: [CURLcode] = []
        codes.append(easy.set(CURLOPT_URL, c.curlURL))
        codes.append(easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps"))
        codes.append(easy.set(CURLOPT_UPLOAD, 1))
        codes.append(easy.set(CURLOPT_UPLOAD_BUFFERSIZE, min(max(c.uploadBufferSize, 16 * 1024), 2 * 1024 * 1024)))
        // libcurl's default since 7.50.2, set so it stays so: SMTP commands are small writes that
        // each wait for a reply, and Nagle would hold them back.
        codes.append(easy.set(CURLOPT_TCP_NODELAY, 1))
        let ssl: curl_usessl = switch c.security {
        case .startTLSRequired, .implicitTLS: CURLUSESSL_ALL
        case .startTLSIfOffered: CURLUSESSL_TRY
        }
        codes.append(easy.set(CURLOPT_USE_SSL, Int(ssl.rawValue)))
        if let path = c.caBundlePath { codes.append(easy.set(CURLOPT_CAINFO, path)) }
        if let address = c.address {
            // The connection goes to `address`; TLS still checks the certificate against `host`.
            let hostPart = c.host.contains(":") ? "[\(c.host)]" : c.host
            codes.append(easy.set(CURLOPT_RESOLVE, list: ["\(hostPart):\(c.port):\(address.contains(":") ? "[\(address)]" : address)"]))
        }
        if let user = c.username { codes.append(easy.set(CURLOPT_USERNAME, user)) }
        if let password = c.password { codes.append(easy.set(CURLOPT_PASSWORD, password)) }
        codes.append(easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, c.connectTimeout.milliseconds)))
        codes.append(easy.set(CURLOPT_SERVER_RESPONSE_TIMEOUT, max(1, (c.replyTimeout.milliseconds + 999) / 1000)))
        codes.append(easy.set(CURLOPT_TIMEOUT_MS, max(1, c.messageTimeout.milliseconds)))
        codes.append(easy.set(CURLOPT_MAXAGE_CONN, max(1, c.maxIdleAge.milliseconds / 1000)))
        if c.lowSpeedLimit > 0 {
            codes.append(easy.set(CURLOPT_LOW_SPEED_LIMIT, c.lowSpeedLimit))
            codes.append(easy.set(CURLOPT_LOW_SPEED_TIME, max(1, c.lowSpeedTime.milliseconds / 1000)))
        }
        // The debug callback is how the reply lines are captured; it only runs with VERBOSE on.
        // Our callback stores reply lines and command verbs only and prints nothing.
        codes.append(easy.set(CURLOPT_VERBOSE, 1))
        codes.append(easy.setDebugFunction { _, type, data, size, userdata in
            if let userdata, let data {
                Unmanaged<SMTPTranscript>.fromOpaque(userdata).takeUnretainedValue()
                    .record(type: type, data: data, size: size)
            }
            return 0
        })
        codes.append(easy.set(CURLOPT_READFUNCTION, function: { buffer, size, count, userdata in
            guard let buffer, let userdata else { return Int(CURL_READFUNC_ABORT) }
            return Unmanaged<SMTPTranscript>.fromOpaque(userdata).takeUnretainedValue()
                .read(into: buffer, capacity: size * count)
        }))
        if let failed = codes.first(where: { $0 != CURLE_OK }) {
            throw .libraryUnavailable("setting an option failed: \(CurlEasy.describe(failed))")
        }
    }

    /// Runs one transaction: `MAIL FROM:<from>`, `RCPT TO:<…>` for each address in `to`, DATA with `transcript.body`.
    func perform(from: String, to: String, transcript: SMTPTranscript) -> CURLcode {
        let pointer = Unmanaged.passUnretained(transcript).toOpaque()
        easy.set(CURLOPT_MAIL_FROM, "<\(from)>")
        // `to` is one address or a comma-separated list (dot-atom addresses hold no comma).
        easy.set(CURLOPT_MAIL_RCPT, list: to.split(separator: ",").map { "<\($0)>" })
        easy.set(CURLOPT_READDATA, pointer: pointer)
        easy.set(CURLOPT_DEBUGDATA, pointer: pointer)
        easy.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(transcript.body.count))
        let code = withExtendedLifetime(transcript) { easy.perform() }
        // Never leave dangling pointers to the transcript behind.
        easy.set(CURLOPT_READDATA, pointer: nil)
        easy.set(CURLOPT_DEBUGDATA, pointer: nil)
        return code
    }

    var errorText: String { easy.errorText }

    func infoLong(_ info: CURLINFO) -> Int { easy.infoLong(info) }

    func infoOffset(_ info: CURLINFO) -> Int64 { easy.infoOffset(info) }
}
