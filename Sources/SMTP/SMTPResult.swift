import Curl

/// What one `curl_easy_perform` left behind, and its classification into an `SMTPOutcome`.
struct SMTPResult {
    var curlCode: Int
    var curlMessage: String
    /// CURLINFO_RESPONSE_CODE: the last reply received, possibly stale (from an earlier command).
    var responseCode: Int
    var bytesUploaded: Int64
    var messageLength: Int64
    var reusedConnection: Bool
    let transcript: SMTPTranscript

    /// libcurl codes that mean TLS or login trouble: a configuration problem, not the message's.
    static let configurationCodes: Set<Int> = [
        Int(CURLE_LOGIN_DENIED.rawValue), Int(CURLE_USE_SSL_FAILED.rawValue),
        Int(CURLE_PEER_FAILED_VERIFICATION.rawValue), Int(CURLE_SSL_CONNECT_ERROR.rawValue),
        Int(CURLE_SSL_CERTPROBLEM.rawValue), Int(CURLE_SSL_CIPHER.rawValue),
        Int(CURLE_SSL_CACERT_BADFILE.rawValue), Int(CURLE_SSL_ENGINE_NOTFOUND.rawValue),
        Int(CURLE_SSL_ENGINE_SETFAILED.rawValue), Int(CURLE_SSL_ISSUER_ERROR.rawValue),
        Int(CURLE_SSL_PINNEDPUBKEYNOTMATCH.rawValue), Int(CURLE_SSL_INVALIDCERTSTATUS.rawValue),
        Int(CURLE_AUTH_ERROR.rawValue),
    ]
    /// Reply codes for authentication required / rejected.
    static let authenticationReplies: Set<Int> = [530, 534, 535, 538]

    /// The whole message (and so the end-of-data marker after it) went out.
    /// SIZE_UPLOAD includes dot-stuffing bytes, hence `>=`.
    var bodySent: Bool { transcript.bodyHandedOver && bytesUploaded >= messageLength }

    var failure: SMTPFailure {
        SMTPFailure(
            reply: transcript.lastReply, curlCode: curlCode, message: curlMessage,
            lastCommand: transcript.lastCommand, reusedConnection: reusedConnection)
    }

    /// A reused connection that failed before any body byte and without a real answer: the
    /// server had closed it (plainly or with 421) while it sat idle.
    var looksLikeStaleConnection: Bool {
        guard reusedConnection, bytesUploaded == 0 else { return false }
        let command = transcript.lastCommand
        guard command == nil || command == "MAIL" else { return false }
        return !transcript.lastCommandAnswered || transcript.lastReply?.code == 421
    }

    func classified() -> SMTPOutcome {
        let reply = transcript.lastReply
        if curlCode == Int(CURLE_OK.rawValue) {
            if let final = transcript.replyAfterBody, final.code == 250, responseCode == 250 {
                return .sent(final)
            }
            // curl reported success without a 250 to the data: do not claim delivery.
            return bodySent ? .unknownOutcome(failure) : .deferred(failure)
        }
        if Self.configurationCodes.contains(curlCode)
            || transcript.lastCommand == "AUTH" || transcript.lastCommand == "STARTTLS"
            || (transcript.lastCommandAnswered && reply.map { Self.authenticationReplies.contains($0.code) } == true) {
            return .pauseRun(failure)
        }
        if bodySent {
            // The end of data went out; only a reply after it tells what happened.
            guard let final = transcript.replyAfterBody else { return .unknownOutcome(failure) }
            switch final.code {
            case 400..<500: return .deferred(failure)
            case 500..<600: return .failed(failure)
            default: return .unknownOutcome(failure)
            }
        }
        // The data was not complete, so nothing was delivered. Trust only a reply that answers
        // the last command; CURLINFO_RESPONSE_CODE may be stale.
        if transcript.lastCommandAnswered, let reply {
            switch reply.code {
            case 552 where transcript.lastCommand == "RCPT":
                return .deferred(failure)  // RFC 5321 §4.5.3.1.10: treat like 452.
            case 500..<600:
                return .failed(failure)
            default:
                return .deferred(failure)
            }
        }
        return .deferred(failure)
    }
}
