/// The data a template renders: a JSON-like tree.
///
/// Falsey values for sections are `null`, `false`, the empty string and the empty array;
/// numbers, including zero, are truthy, so `{{#qty}}{{qty}}{{/qty}}` prints `0`.
public enum TemplateValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case string(String)
    /// A number in its textual form, rendered verbatim: JSON `1.21` renders "1.21", `85` renders "85".
    case number(String)
    case array([TemplateValue])
    case object([String: TemplateValue])

    public init(_ value: Int) { self = .number(String(value)) }

    public init(_ value: Double) {
        if value.rounded() == value, abs(value) < 1e15 {
            self = .number(String(Int64(value)))
        } else {
            self = .number(String(value))
        }
    }

    /// Whether a section shows its content once (or per element, for a non-empty array).
    var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .string(let value): !value.isEmpty
        case .number: true
        case .array(let elements): !elements.isEmpty
        case .object: true
        }
    }
}

extension TemplateValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(value) }
}

extension TemplateValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self.init(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
