/// An operation the billing desk refuses, with what to do instead where there is something.
public struct WorkflowError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
