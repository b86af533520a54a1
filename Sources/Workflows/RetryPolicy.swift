/// When a message that was not delivered is tried again: exponential backoff with full jitter,
/// so a server that is down is not hammered by every message at the same second.
public struct RetryPolicy: Sendable {
    public var maxAttempts: Int
    public var baseSeconds: Int
    public var capSeconds: Int

    public init(maxAttempts: Int = 8, baseSeconds: Int = 60, capSeconds: Int = 21_600) {
        self.maxAttempts = maxAttempts
        self.baseSeconds = baseSeconds
        self.capSeconds = capSeconds
    }

    /// The delay before the next try after `attempts` attempts, or nil when the message has used them all.
    public func delay(afterAttempts attempts: Int, using generator: inout some RandomNumberGenerator) -> Int? {
        guard attempts < maxAttempts else { return nil }
        let exponent = min(max(attempts - 1, 0), 30)
        let ceiling = min(capSeconds, baseSeconds * (1 << exponent))
        return Int.random(in: max(1, ceiling / 10)...max(1, ceiling), using: &generator)
    }
}
