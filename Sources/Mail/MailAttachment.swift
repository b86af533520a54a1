import Foundation

/// A file carried by the message, sent base64-encoded as `Content-Disposition: attachment`.
public struct MailAttachment: Sendable, Hashable {
    /// The name the recipient sees; any Unicode is fine (encoded per RFC 2231 with an ASCII fallback).
    public var filename: String
    /// A media type such as `application/pdf`.
    public var mediaType: String
    /// The exact file content.
    public var data: Data

    public init(filename: String, mediaType: String, data: Data) {
        self.filename = filename
        self.mediaType = mediaType
        self.data = data
    }

    func validate() throws(MailError) {
        if filename.isEmpty { throw .emptyFilename }
        try HeaderValidation.requireSingleLine(filename, field: "attachment filename")
        let parts = mediaType.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy(HeaderValidation.isToken) })
        else { throw .invalidMediaType(mediaType) }
    }
}
