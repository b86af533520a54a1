/// Everything the billing rules refuse, worded for the operator who typed the input.
public struct BillingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why: most refusals are about the input itself; `outOfRange` means an amount or a sum cannot be
    /// represented (beyond Int64 minor units), which a receiver answers as unprocessable, not as its failure.
    public enum Kind: Sendable, Equatable {
        case invalid
        case outOfRange
    }

    public let message: String
    public let kind: Kind

    public init(_ message: String, kind: Kind = .invalid) {
        self.message = message
        self.kind = kind
    }

    public var description: String { message }
}
