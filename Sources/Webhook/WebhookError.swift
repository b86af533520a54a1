/// A webhook request refused, with the HTTP status that says why (400, 401, 404, 409, 500).
public struct WebhookError: Error, Sendable, Hashable, CustomStringConvertible {
    public let status: Int
    public let message: String

    public init(_ status: Int, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }

    static func malformed(_ message: String) -> WebhookError { WebhookError(400, message) }
    static func unauthorized(_ message: String) -> WebhookError { WebhookError(401, message) }
}
