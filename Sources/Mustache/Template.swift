/// A parsed, immutable Mustache template: parse once, render many times, from any thread.
public struct Template: Sendable {
    /// The file name used in error messages and to find partials with the same extension.
    public let name: String
    let source: [UInt8]
    let nodes: [Node]

    /// Parses `source`; throws a `MustacheError` at the first syntax error.
    public init(_ source: String, name: String = "template") throws {
        try self.init(bytes: Array(source.utf8), name: name)
    }

    init(bytes: [UInt8], name: String) throws {
        self.name = name
        self.source = bytes
        var parser = Parser(source: bytes, fileName: name)
        self.nodes = try parser.parse()
    }

    /// Renders with partials taken from `partials` by name.
    ///
    /// `{{x}}` is HTML-escaped; `{{{x}}}` and `{{&x}}` are not. A partial missing from
    /// `partials` throws unless `missingPartials` is `.renderEmpty`.
    public func render(
        _ data: TemplateValue,
        partials: [String: Template] = [:],
        missingPartials: MissingPartialBehavior = .fail,
        limits: RenderLimits = RenderLimits()
    ) throws -> String {
        try render(data, limits: limits, missingPartials: missingPartials) { name, _ in partials[name] }
    }

    func render(
        _ data: TemplateValue,
        limits: RenderLimits = RenderLimits(),
        missingPartials: MissingPartialBehavior,
        resolve: @escaping (String, Template) throws -> Template?
    ) throws -> String {
        var renderer = Renderer(data: data, capacity: min(source.count * 2, limits.outputBytes), limits: limits,
                                missingPartials: missingPartials, resolve: resolve)
        try renderer.render(self, from: 0, to: nodes.count)
        return renderer.output()
    }

    /// `render` as UTF-8 bytes, for output written to a file: no String is made of it. Valid UTF-8
    /// when `source` is (`TemplateLibrary` repairs files when it loads them).
    func renderUTF8(
        _ data: TemplateValue,
        limits: RenderLimits = RenderLimits(),
        missingPartials: MissingPartialBehavior,
        resolve: @escaping (String, Template) throws -> Template?
    ) throws -> [UInt8] {
        var renderer = Renderer(data: data, capacity: min(source.count * 2, limits.outputBytes), limits: limits,
                                missingPartials: missingPartials, resolve: resolve)
        try renderer.render(self, from: 0, to: nodes.count)
        return renderer.outputBytes()
    }
}
