/// An operation the billing desk refuses, with what to do instead where there is something.
public struct WorkflowError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// A refusal because of the state things are in (paying a draft, issuing an issued invoice), not
    /// because of the input: the API answers 409 instead of 422.
    public let isConflict: Bool

    public init(_ message: String, conflict: Bool = false) {
        self.message = message
        self.isConflict = conflict
    }

    public var description: String { message }
}
