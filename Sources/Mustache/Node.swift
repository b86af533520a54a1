/// A compiled template element. Templates are flat arrays of nodes; a node with content
/// (section, block, parent) stores the index one past its last content node in `end`.
enum Node: Sendable {
    /// Literal bytes `start..<end` of the template source.
    case text(start: Int, end: Int)
    case variable(Name, escaped: Bool)
    case section(Name, inverted: Bool, end: Int)
    case partial(PartialTag)
    case parent(PartialTag, overrides: [BlockOverride], end: Int)
    /// `{{$name}}default{{/name}}`; `indent` is added to each line when the block expands.
    case block(name: String, indent: [UInt8], end: Int)
}

/// A dotted name split once at compile time; no components means the implicit iterator `.`.
struct Name: Sendable {
    let components: [String]
}

struct PartialTag: Sendable {
    let name: String
    /// Whitespace before a standalone tag, added to every line of the partial.
    let indent: [UInt8]
    let line: Int
    let column: Int
}

/// A `{{$name}}…{{/name}}` defined directly inside a `{{<parent}}`: content nodes `start..<end`.
struct BlockOverride: Sendable {
    let name: String
    let start: Int
    let end: Int
}
