/// Renders compiled nodes into one growing UTF-8 buffer.
struct Renderer {
    private var buffer: [UInt8] = []
    /// The context stack, innermost last; entries share storage with the caller's data.
    private var contexts: [TemplateValue]
    /// Added before each line of template text inside indented partials and blocks.
    private var indent: [UInt8] = []
    private var atLineStart = true
    /// Block overrides of the parents being rendered, outermost first (outer ones win).
    private var overrides: [(template: Template, blocks: [BlockOverride])] = []
    private var depth = 0
    /// Partials, parents and block overrides entered so far (all levels together).
    private var inclusions = 0
    private let limits: RenderLimits
    private let missingPartials: MissingPartialBehavior
    private let resolve: (String, Template) throws -> Template?

    init(data: TemplateValue, capacity: Int, limits: RenderLimits, missingPartials: MissingPartialBehavior,
         resolve: @escaping (String, Template) throws -> Template?) {
        self.limits = limits
        contexts = [data]
        contexts.reserveCapacity(16)
        buffer.reserveCapacity(capacity)
        self.missingPartials = missingPartials
        self.resolve = resolve
    }

    func output() -> String {
        String(decoding: buffer, as: UTF8.self)
    }

    /// The output as UTF-8 (valid when the template source is: values are Strings).
    consuming func outputBytes() -> [UInt8] {
        buffer
    }

    mutating func render(_ template: Template, from start: Int, to end: Int) throws {
        var index = start
        while index < end {
            // One comparison a node: the output can only pass the budget by at most one value.
            if buffer.count > limits.outputBytes {
                throw MustacheError(file: template.name, message: "the output passed its budget of "
                    + "\(limits.outputBytes) bytes; does a section or partial repeat without end?")
            }
            switch template.nodes[index] {
            case .text(let textStart, let textEnd):
                writeText(template.source, textStart, textEnd)
                index += 1
            case .variable(let name, let escaped):
                write(lookUp(name), escaped: escaped)
                index += 1
            case .section(let name, let inverted, let sectionEnd):
                let value = lookUp(name)
                if inverted {
                    if !value.isTruthy { try render(template, from: index + 1, to: sectionEnd) }
                } else if case .array(let elements) = value {
                    for element in elements {
                        contexts.append(element)
                        try render(template, from: index + 1, to: sectionEnd)
                        contexts.removeLast()
                    }
                } else if value.isTruthy {
                    contexts.append(value)
                    try render(template, from: index + 1, to: sectionEnd)
                    contexts.removeLast()
                }
                index = sectionEnd
            case .partial(let tag):
                if let partial = try find(tag, in: template) {
                    try renderIncluded(partial, indent: tag.indent)
                }
                index += 1
            case .parent(let tag, let blocks, let parentEnd):
                if let parent = try find(tag, in: template) {
                    overrides.append((template, blocks))
                    try renderIncluded(parent, indent: tag.indent)
                    overrides.removeLast()
                }
                index = parentEnd
            case .block(let name, let blockIndent, let blockEnd):
                let saved = indent
                indent += blockIndent
                if let (source, block) = override(named: name) {
                    try nested(in: source.name) { try $0.render(source, from: block.start, to: block.end) }
                } else {
                    try render(template, from: index + 1, to: blockEnd)
                }
                indent = saved
                index = blockEnd
            }
        }
    }

    private mutating func renderIncluded(_ template: Template, indent extra: [UInt8]) throws {
        let saved = indent
        indent += extra
        try nested(in: template.name) { try $0.render(template, from: 0, to: template.nodes.count) }
        indent = saved
    }

    /// Runs `body` one level deeper, refusing runaway recursion through partials and blocks, and
    /// partials that include each other so often that rendering would not end (each level twice:
    /// 2^depth inclusions, even when they write nothing).
    private mutating func nested(in file: String, _ body: (inout Renderer) throws -> Void) throws {
        guard depth < limits.depth else {
            throw MustacheError(file: file, message: "partials nested deeper than \(limits.depth) levels")
        }
        guard inclusions < limits.inclusions else {
            throw MustacheError(file: file, message: "more than \(limits.inclusions) partials included; "
                + "do partials include each other without end?")
        }
        inclusions += 1
        depth += 1
        defer { depth -= 1 }
        try body(&self)
    }

    private func find(_ tag: PartialTag, in template: Template) throws -> Template? {
        if let found = try resolve(tag.name, template) { return found }
        switch missingPartials {
        case .renderEmpty:
            return nil
        case .fail:
            throw MustacheError(file: template.name, line: tag.line, column: tag.column,
                                message: "partial \"\(tag.name)\" not found")
        }
    }

    private func override(named name: String) -> (Template, BlockOverride)? {
        for frame in overrides {
            for block in frame.blocks where block.name == name { return (frame.template, block) }
        }
        return nil
    }

    // MARK: - Lookup

    /// Resolves a dotted name: the first component up the context stack, the rest inside what it found.
    private func lookUp(_ name: Name) -> TemplateValue {
        let components = name.components
        guard let first = components.first else { return contexts[contexts.count - 1] }
        var found: TemplateValue?
        for context in contexts.reversed() {
            if case .object(let object) = context, let value = object[first] {
                found = value
                break
            }
        }
        guard var value = found else { return .null }
        for component in components.dropFirst() {
            guard case .object(let object) = value, let next = object[component] else { return .null }
            value = next
        }
        return value
    }

    // MARK: - Output

    private mutating func writeText(_ source: [UInt8], _ start: Int, _ end: Int) {
        guard start < end else { return }
        if indent.isEmpty {
            buffer.append(contentsOf: source[start..<end])
            atLineStart = source[end - 1] == UInt8(ascii: "\n")
            return
        }
        var lineStart = start
        while lineStart < end {
            if atLineStart { buffer.append(contentsOf: indent) }
            var lineEnd = lineStart
            while lineEnd < end, source[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            if lineEnd < end {
                lineEnd += 1
                atLineStart = true
            } else {
                atLineStart = false
            }
            buffer.append(contentsOf: source[lineStart..<lineEnd])
            lineStart = lineEnd
        }
    }

    private mutating func write(_ value: TemplateValue, escaped: Bool) {
        switch value {
        case .string(let string):
            write(string, escaped: escaped)
        case .number(let text):
            write(text, escaped: escaped)
        case .bool(let flag):
            write(flag ? "true" : "false", escaped: false)
        case .null, .array, .object:
            break
        }
    }

    private mutating func write(_ string: String, escaped: Bool) {
        guard !string.isEmpty else { return }
        if atLineStart {
            buffer.append(contentsOf: indent)
            atLineStart = false
        }
        let done: Void? = string.utf8.withContiguousStorageIfAvailable { bytes in
            if escaped { appendEscaped(bytes) } else { buffer.append(contentsOf: bytes) }
        }
        if done == nil {
            let bytes = Array(string.utf8)
            bytes.withUnsafeBufferPointer { escaped ? appendEscaped($0) : buffer.append(contentsOf: $0) }
        }
    }

    /// HTML-escapes `& < > " '` in one pass, copying unescaped runs whole.
    private mutating func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<bytes.count {
            let replacement: StaticString
            switch bytes[index] {
            case UInt8(ascii: "&"): replacement = "&amp;"
            case UInt8(ascii: "<"): replacement = "&lt;"
            case UInt8(ascii: ">"): replacement = "&gt;"
            case UInt8(ascii: "\""): replacement = "&quot;"
            case UInt8(ascii: "'"): replacement = "&#39;"
            default: continue
            }
            if runStart < index { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            buffer.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start,
                                                          count: replacement.utf8CodeUnitCount))
            runStart = index + 1
        }
        if runStart < bytes.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...])) }
    }
}
