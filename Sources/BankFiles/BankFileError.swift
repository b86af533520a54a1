/// A bank file refused as a whole (malformed XML, another message, an unknown version, a DOCTYPE, a
/// value that cannot be money): one line a user can act on, naming the file and where.
public struct BankFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
