/// Reads the columns of an engine's current result row; implemented by each engine's wrapper.
public protocol RowSource: AnyObject {
    var columnCount: Int { get }
    func isNull(_ index: Int) -> Bool
    /// The column as an integer (an engine that sends text, like PostgreSQL's text protocol, parses it).
    func int(_ index: Int) -> Int64
    func text(_ index: Int) -> String
    func blob(_ index: Int) -> [UInt8]
}

/// The current row of a result; valid only inside the closure it is passed to.
public struct Row {
    let source: any RowSource

    public init(_ source: any RowSource) { self.source = source }

    public var columnCount: Int { source.columnCount }
    public func isNull(_ index: Int) -> Bool { source.isNull(index) }
    public func int(_ index: Int) -> Int64 { source.int(index) }
    public func optionalInt(_ index: Int) -> Int64? { isNull(index) ? nil : int(index) }
    public func bool(_ index: Int) -> Bool { int(index) != 0 }
    public func text(_ index: Int) -> String { source.text(index) }
    public func optionalText(_ index: Int) -> String? { isNull(index) ? nil : text(index) }
    public func blob(_ index: Int) -> [UInt8] { source.blob(index) }
}

/// Valid only while its statement or result is current, on the connection's thread.
@available(*, unavailable)
extension Row: Sendable {}
