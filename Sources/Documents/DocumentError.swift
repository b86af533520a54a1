/// Why a document could not be made: a template, label file, logo or layout problem, in words.
public struct DocumentError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
