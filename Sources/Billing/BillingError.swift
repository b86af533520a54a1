/// Everything the billing rules refuse, worded for the operator who typed the input.
public struct BillingError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
