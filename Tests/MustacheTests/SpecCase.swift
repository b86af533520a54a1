import Foundation
import Mustache
import TestSupport

/// One case from the official Mustache specification's JSON files.
struct SpecCase: Decodable, Sendable, CustomStringConvertible {
    let name: String
    let desc: String
    let data: TemplateValue
    let template: String
    let partials: [String: String]?
    let expected: String
    var file = ""

    private enum CodingKeys: String, CodingKey {
        case name, desc, data, template, partials, expected
    }

    var description: String { "\(file): \(name)" }

    /// The files the engine must pass; lambdas and dynamic names are out of scope.
    static let files = [
        "comments.json", "delimiters.json", "interpolation.json", "inverted.json",
        "partials.json", "sections.json", "~inheritance.json",
    ]

    static func load(_ file: String) throws -> [SpecCase] {
        struct SpecFile: Decodable { let tests: [SpecCase] }
        let url = Paths.packageRoot.appendingPathComponent("Tests/MustacheTests/Fixtures/mustache-spec/\(file)")
        let cases = try JSONDecoder().decode(SpecFile.self, from: Data(contentsOf: url)).tests
        return cases.map { var specCase = $0; specCase.file = file; return specCase }
    }

    /// Renders the case as the specification asks: partials from its map, missing ones empty.
    func render() throws -> String {
        var partialTemplates: [String: Template] = [:]
        for (partialName, source) in partials ?? [:] {
            partialTemplates[partialName] = try Template(source, name: partialName)
        }
        return try Template(template, name: name)
            .render(data, partials: partialTemplates, missingPartials: .renderEmpty)
    }
}
