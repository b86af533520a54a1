/// The module's one error: a request that cannot be framed or served (with the status to answer),
/// or a socket call that failed (status 0, with the call and its errno).
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status to answer with; 0 for socket failures (nothing to answer).
    public let status: Int
    public let message: String
    /// The errno of a failed socket call, else 0.
    public let errno: Int32

    public init(_ status: Int, _ message: String, errno: Int32 = 0) {
        self.status = status
        self.message = message
        self.errno = errno
    }

    public var description: String { status == 0 ? message : "\(status): \(message)" }

    static func badRequest(_ message: String) -> HTTPError { HTTPError(400, message) }

    static func socket(_ operation: String, errno: Int32, reason: String) -> HTTPError {
        HTTPError(0, "\(operation) failed: \(reason) (errno \(errno))", errno: errno)
    }
}
