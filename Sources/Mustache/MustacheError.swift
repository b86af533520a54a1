/// Everything that can go wrong when loading, parsing or rendering a template.
///
/// The description reads `invoice.html:12:7: unclosed section "lines"`; `line` and `column`
/// are 1-based, and 0 when the problem has no position (a template file that does not exist).
public struct MustacheError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
