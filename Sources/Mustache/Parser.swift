import Foundation

/// Compiles template bytes into a flat node array, applying the specification's
/// standalone-line rules and block indentation while it goes.
struct Parser {
    private let source: [UInt8]
    private let fileName: String
    private var nodes: [Node] = []
    private var openTag: [UInt8] = Array("{{".utf8)
    private var closeTag: [UInt8] = Array("}}".utf8)
    private var open: [OpenElement] = []
    /// Bytes of leading whitespace removed from each line inside blocks (innermost last).
    private var dedent = 0

    private enum Kind {
        case section, invertedSection, block, parent
    }

    private struct OpenElement {
        let kind: Kind
        let name: String
        let nodeIndex: Int
        let position: Int
        let savedDedent: Int
        /// For a parent whose tag starts its line: the whitespace before it, and the text
        /// nodes holding that whitespace, dropped if the closing tag ends the line.
        let leadingWhitespace: (start: Int, end: Int, nodes: Range<Int>)?
    }

    init(source: [UInt8], fileName: String) {
        self.source = source
        self.fileName = fileName
    }

    mutating func parse() throws -> [Node] {
        var position = 0
        var textStart = 0
        while let tagStart = find(openTag, from: position) {
            let tag = try readTag(at: tagStart)
            let layout = lineLayout(tagStart: tagStart, tagEnd: tag.end, textStart: textStart)
            var standalone = tag.canStandAlone && layout.startsLine && layout.endsLine
            if case .close = tag.type, let element = open.last, element.kind == .block,
               open.count >= 2, open[open.count - 2].kind == .parent {
                // The end of a block override inside a parent: text around it is ignored.
                standalone = layout.startsLine
            }
            if case .block = tag.type, open.last?.kind == .parent {
                standalone = layout.endsLine
            }
            let contentEnd = standalone && layout.startsLine ? layout.lineStart : tagStart
            let indent = layout.startsLine ? relativeIndent(layout.lineStart, tagStart) : []
            var next = standalone ? (layout.endsLine ? layout.nextLine : tag.end) : tag.end

            switch tag.type {
            case .close(let name):
                if let element = open.last, element.kind == .parent, !standalone, layout.endsLine,
                   let leading = element.leadingWhitespace {
                    // `  {{<parent}}{{/parent}}` on its own line behaves like a standalone partial.
                    for index in leading.nodes { nodes[index] = .text(start: 0, end: 0) }
                    flushText(from: textStart, to: tagStart)
                    next = layout.nextLine
                    try close(name, at: tagStart,
                              parentIndent: relativeIndent(leading.start, leading.end))
                } else {
                    flushText(from: textStart, to: contentEnd)
                    try close(name, at: tagStart, parentIndent: nil)
                }
            case .block(let name):
                flushText(from: textStart, to: contentEnd)
                let isOverride = open.last?.kind == .parent
                var blockIndent = isOverride ? [] : indent
                let saved = dedent
                if standalone {
                    let intrinsic = whitespaceRun(from: layout.nextLine)
                    if !startsWith(openTag + [UInt8(ascii: "/")], at: intrinsic.end) {
                        if !isOverride { blockIndent = relativeIndent(intrinsic.start, intrinsic.end) }
                        dedent = max(dedent, intrinsic.end - intrinsic.start)
                    }
                }
                open.append(OpenElement(kind: .block, name: name, nodeIndex: nodes.count, position: tagStart,
                                        savedDedent: saved, leadingWhitespace: nil))
                nodes.append(.block(name: name, indent: blockIndent, end: 0))
            case .parent(let name):
                var leading: (start: Int, end: Int, nodes: Range<Int>)?
                if !standalone && layout.startsLine {
                    flushText(from: textStart, to: layout.lineStart)
                    let first = nodes.count
                    flushText(from: layout.lineStart, to: tagStart)
                    leading = (layout.lineStart, tagStart, first..<nodes.count)
                } else {
                    flushText(from: textStart, to: contentEnd)
                }
                open.append(OpenElement(kind: .parent, name: name, nodeIndex: nodes.count, position: tagStart,
                                        savedDedent: dedent, leadingWhitespace: leading))
                let (line, column) = location(of: tagStart)
                let partialTag = PartialTag(name: name, indent: standalone ? indent : [], line: line, column: column)
                nodes.append(.parent(partialTag, overrides: [], end: 0))
            case .section(let name, let inverted):
                flushText(from: textStart, to: contentEnd)
                open.append(OpenElement(kind: inverted ? .invertedSection : .section, name: name,
                                        nodeIndex: nodes.count, position: tagStart, savedDedent: dedent,
                                        leadingWhitespace: nil))
                nodes.append(.section(try makeName(name, at: tagStart), inverted: inverted, end: 0))
            case .partial(let name):
                flushText(from: textStart, to: contentEnd)
                let (line, column) = location(of: tagStart)
                nodes.append(.partial(PartialTag(name: name, indent: standalone ? indent : [],
                                                 line: line, column: column)))
            case .variable(let name, let escaped):
                flushText(from: textStart, to: tagStart)
                nodes.append(.variable(try makeName(name, at: tagStart), escaped: escaped))
            case .comment:
                flushText(from: textStart, to: contentEnd)
            case .delimiters(let newOpen, let newClose):
                flushText(from: textStart, to: contentEnd)
                openTag = newOpen
                closeTag = newClose
            }
            position = next
            textStart = next
        }
        flushText(from: textStart, to: source.count)
        if let element = open.last {
            let what = element.kind == .parent ? "parent" : element.kind == .block ? "block" : "section"
            throw error("unclosed \(what) \"\(element.name)\"", at: element.position)
        }
        return nodes
    }

    // MARK: - Sections

    private mutating func close(_ name: String, at position: Int, parentIndent: [UInt8]?) throws {
        guard let element = open.popLast() else {
            throw error("section end \"\(name)\" without an opening tag", at: position)
        }
        guard element.name == name else {
            throw error("section end \"\(name)\" does not match \"\(element.name)\"", at: position)
        }
        let end = nodes.count
        switch nodes[element.nodeIndex] {
        case .section(let sectionName, let inverted, _):
            nodes[element.nodeIndex] = .section(sectionName, inverted: inverted, end: end)
        case .block(let blockName, let indent, _):
            nodes[element.nodeIndex] = .block(name: blockName, indent: indent, end: end)
        case .parent(let tag, _, _):
            let resolvedTag = parentIndent.map {
                PartialTag(name: tag.name, indent: $0, line: tag.line, column: tag.column)
            } ?? tag
            nodes[element.nodeIndex] = .parent(resolvedTag, overrides: overrides(in: element.nodeIndex + 1, end),
                                               end: end)
        default:
            break
        }
        dedent = element.savedDedent
    }

    /// The blocks directly inside a parent tag; everything else there is ignored.
    private func overrides(in start: Int, _ end: Int) -> [BlockOverride] {
        var result: [BlockOverride] = []
        var index = start
        while index < end {
            switch nodes[index] {
            case .block(let name, _, let blockEnd):
                result.append(BlockOverride(name: name, start: index + 1, end: blockEnd))
                index = blockEnd
            case .section(_, _, let sectionEnd), .parent(_, _, let sectionEnd):
                index = sectionEnd
            default:
                index += 1
            }
        }
        return result
    }

    // MARK: - Text

    /// Appends literal text, removing `dedent` bytes of leading whitespace from each line inside blocks.
    private mutating func flushText(from start: Int, to end: Int) {
        guard start < end else { return }
        guard dedent > 0 else {
            nodes.append(.text(start: start, end: end))
            return
        }
        var lineStart = start
        while lineStart < end {
            var contentStart = lineStart
            if lineStart == 0 || source[lineStart - 1] == UInt8(ascii: "\n") {
                while contentStart < end, contentStart - lineStart < dedent, isBlank(source[contentStart]) {
                    contentStart += 1
                }
            }
            var lineEnd = contentStart
            while lineEnd < end, source[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd < end { lineEnd += 1 }
            if contentStart < lineEnd { nodes.append(.text(start: contentStart, end: lineEnd)) }
            lineStart = lineEnd
        }
    }

    /// The whitespace `start..<end` at a line start, less what the enclosing blocks remove.
    private func relativeIndent(_ start: Int, _ end: Int) -> [UInt8] {
        Array(source[min(start + dedent, end)..<end])
    }

    // MARK: - Tags

    private enum TagType {
        case variable(String, escaped: Bool)
        case section(String, inverted: Bool)
        case close(String)
        case partial(String)
        case parent(String)
        case block(String)
        case comment
        case delimiters([UInt8], [UInt8])
    }

    private struct Tag {
        let type: TagType
        let end: Int
        var canStandAlone: Bool {
            if case .variable = type { return false }
            return true
        }
    }

    private func readTag(at tagStart: Int) throws -> Tag {
        let contentStart = tagStart + openTag.count
        let sigil = contentStart < source.count ? source[contentStart] : 0
        let closing: [UInt8] = switch sigil {
        case UInt8(ascii: "{"): [UInt8(ascii: "}")] + closeTag
        case UInt8(ascii: "="): [UInt8(ascii: "=")] + closeTag
        default: closeTag
        }
        let searchFrom = sigil == UInt8(ascii: "{") || sigil == UInt8(ascii: "=") ? contentStart + 1 : contentStart
        guard let closingStart = find(closing, from: searchFrom) else {
            throw error("unclosed tag: missing \"\(String(decoding: closeTag, as: UTF8.self))\"", at: tagStart)
        }
        let end = closingStart + closing.count
        func content(droppingSigil: Bool) -> String {
            let start = droppingSigil ? min(contentStart + 1, closingStart) : contentStart
            return String(decoding: source[start..<closingStart], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let type: TagType
        switch sigil {
        case UInt8(ascii: "!"): type = .comment
        case UInt8(ascii: "{"): type = .variable(content(droppingSigil: true), escaped: false)
        case UInt8(ascii: "&"): type = .variable(content(droppingSigil: true), escaped: false)
        case UInt8(ascii: "#"): type = .section(content(droppingSigil: true), inverted: false)
        case UInt8(ascii: "^"): type = .section(content(droppingSigil: true), inverted: true)
        case UInt8(ascii: "/"): type = .close(content(droppingSigil: true))
        case UInt8(ascii: ">"): type = .partial(content(droppingSigil: true))
        case UInt8(ascii: "<"): type = .parent(content(droppingSigil: true))
        case UInt8(ascii: "$"): type = .block(content(droppingSigil: true))
        case UInt8(ascii: "="): type = try delimiters(content(droppingSigil: true), at: tagStart)
        default: type = .variable(content(droppingSigil: false), escaped: true)
        }
        switch type {
        case .variable(let name, _), .section(let name, _), .close(let name), .partial(let name),
             .parent(let name), .block(let name):
            if name.isEmpty { throw error("empty tag name", at: tagStart) }
        case .comment, .delimiters:
            break
        }
        return Tag(type: type, end: end)
    }

    private func delimiters(_ content: String, at position: Int) throws -> TagType {
        let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" })
        guard parts.count == 2, !parts.contains(where: { $0.contains("=") }) else {
            throw error("invalid delimiter change \"\(content)\": expected two delimiters like {{=<% %>=}}",
                        at: position)
        }
        return .delimiters(Array(parts[0].utf8), Array(parts[1].utf8))
    }

    private func makeName(_ text: String, at position: Int) throws -> Name {
        if text == "." { return Name(components: []) }
        let components = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if components.contains(where: \.isEmpty) {
            throw error("invalid name \"\(text)\"", at: position)
        }
        return Name(components: components)
    }

    // MARK: - Lines

    private struct LineLayout {
        /// Whether only whitespace (from this template text, not another tag) precedes the tag on its line.
        var startsLine: Bool
        var lineStart: Int
        /// Whether only whitespace follows the tag up to a newline or the end of the template.
        var endsLine: Bool
        var nextLine: Int
    }

    private func lineLayout(tagStart: Int, tagEnd: Int, textStart: Int) -> LineLayout {
        var lineStart = tagStart
        while lineStart > textStart, isBlank(source[lineStart - 1]) { lineStart -= 1 }
        let startsLine = lineStart == 0 || source[lineStart - 1] == UInt8(ascii: "\n")
        var after = tagEnd
        while after < source.count, isBlank(source[after]) { after += 1 }
        var endsLine = true
        var nextLine = after
        if after == source.count {
            nextLine = after
        } else if source[after] == UInt8(ascii: "\n") {
            nextLine = after + 1
        } else if source[after] == UInt8(ascii: "\r"), after + 1 < source.count,
                  source[after + 1] == UInt8(ascii: "\n") {
            nextLine = after + 2
        } else {
            endsLine = false
        }
        return LineLayout(startsLine: startsLine, lineStart: lineStart, endsLine: endsLine, nextLine: nextLine)
    }

    private func whitespaceRun(from start: Int) -> (start: Int, end: Int) {
        var end = start
        while end < source.count, isBlank(source[end]) { end += 1 }
        return (start, end)
    }

    private func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private func startsWith(_ pattern: [UInt8], at position: Int) -> Bool {
        guard position + pattern.count <= source.count else { return false }
        for offset in 0..<pattern.count where source[position + offset] != pattern[offset] { return false }
        return true
    }

    private func find(_ pattern: [UInt8], from start: Int) -> Int? {
        guard let first = pattern.first, pattern.count <= source.count else { return nil }
        var index = start
        let last = source.count - pattern.count
        while index <= last {
            if source[index] == first, startsWith(pattern, at: index) { return index }
            index += 1
        }
        return nil
    }

    // MARK: - Errors

    /// 1-based line and column (in Unicode scalars) of a byte offset.
    private func location(of position: Int) -> (line: Int, column: Int) {
        var line = 1
        var column = 1
        for byte in source[0..<min(position, source.count)] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    private func error(_ message: String, at position: Int) -> MustacheError {
        let (line, column) = location(of: position)
        return MustacheError(file: fileName, line: line, column: column, message: message)
    }
}
