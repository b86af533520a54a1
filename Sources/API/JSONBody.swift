import Foundation

/// A request body's JSON, read without losing what Foundation's dictionaries blur: booleans stay
/// booleans, numbers stay apart from strings (money must be a string, so it stays exact).
indirect enum JSONBody: Sendable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONBody])
    case object([String: JSONBody])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let value = try? container.decode(Bool.self) { self = .bool(value); return }
        if let value = try? container.decode(String.self) { self = .string(value); return }
        if let value = try? container.decode(Double.self) { self = .number(value); return }
        if let value = try? container.decode([JSONBody].self) { self = .array(value); return }
        self = .object(try container.decode([String: JSONBody].self))
    }

    var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }
}

/// The fields of one JSON object in a request, read by name with the type the route expects; a field
/// of another type (null too: leave a field out to leave it as it is), a missing required one or one the
/// route does not know is a 400 naming it.
struct BodyFields {
    let fields: [String: JSONBody]
    /// Where these fields are, for messages and `param` (`lines[2].`).
    let prefix: String

    init(_ fields: [String: JSONBody], prefix: String = "") {
        self.fields = fields
        self.prefix = prefix
    }

    func refuseUnknown(_ known: Set<String>) throws {
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.badRequest("unknown field \"\(prefix)\(unknown)\"", param: prefix + unknown)
        }
    }

    func string(_ name: String) throws -> String? {
        switch fields[name] {
        case nil: return nil
        case .string(let text)?: return text
        case let other?:
            let hint = other.kindName == "a number" ? " (write amounts and numbers as strings, e.g. \"12.50\", so they stay exact)" : ""
            throw APIError.badRequest("\"\(prefix)\(name)\" must be a string, not \(other.kindName)\(hint)", param: prefix + name)
        }
    }

    func required(_ name: String) throws -> String {
        guard let value = try string(name) else {
            throw APIError.badRequest("\"\(prefix)\(name)\" is required", param: prefix + name)
        }
        return value
    }

    func bool(_ name: String) throws -> Bool? {
        switch fields[name] {
        case nil: return nil
        case .bool(let value)?: return value
        case let other?: throw APIError.badRequest("\"\(prefix)\(name)\" must be true or false, not \(other.kindName)", param: prefix + name)
        }
    }

    func objects(_ name: String) throws -> [BodyFields]? {
        switch fields[name] {
        case nil: return nil
        case .array(let items)?:
            return try items.enumerated().map { index, item in
                guard case .object(let fields) = item else {
                    throw APIError.badRequest("\"\(prefix)\(name)[\(index)]\" must be an object", param: "\(prefix)\(name)[\(index)]")
                }
                return BodyFields(fields, prefix: "\(prefix)\(name)[\(index)].")
            }
        case let other?: throw APIError.badRequest("\"\(prefix)\(name)\" must be a list, not \(other.kindName)", param: prefix + name)
        }
    }
}
