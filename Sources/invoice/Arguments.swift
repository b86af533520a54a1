/// A command's arguments, consumed as the command reads them; whatever is left is an error.
struct Arguments {
    private(set) var items: [String]
    let command: String

    init(_ items: [String], command: String) {
        self.items = items
        self.command = command
    }

    /// The value of `--name VALUE` or `--name=VALUE` (the last one if repeated).
    mutating func option(_ name: String) throws -> String? { try options(name).last }

    /// Every value of a repeatable option, in order.
    mutating func options(_ name: String) throws -> [String] {
        var values: [String] = []
        var index = 0
        while index < items.count {
            let item = items[index]
            if item == name {
                guard index + 1 < items.count else { throw UsageError("\(name) needs a value", command: command) }
                values.append(items[index + 1])
                items.removeSubrange(index...(index + 1))
            } else if item.hasPrefix(name + "=") {
                values.append(String(item.dropFirst(name.count + 1)))
                items.remove(at: index)
            } else {
                index += 1
            }
        }
        return values
    }

    mutating func flag(_ name: String) -> Bool {
        let before = items.count
        items.removeAll { $0 == name }
        return items.count != before
    }

    /// The next positional argument, required.
    mutating func positional(_ what: String) throws -> String {
        guard let value = optionalPositional() else { throw UsageError("missing \(what)", command: command) }
        return value
    }

    mutating func optionalPositional() -> String? {
        guard let index = items.firstIndex(where: { !$0.hasPrefix("--") || $0 == "--" }) else { return nil }
        return items.remove(at: index)
    }

    mutating func remainingPositionals() -> [String] {
        var out: [String] = []
        while let next = optionalPositional() { out.append(next) }
        return out
    }

    /// Fails on anything the command did not read.
    func finish() throws {
        if let unknown = items.first {
            throw UsageError(unknown.hasPrefix("-") ? "unknown option \(unknown)" : "unexpected argument '\(unknown)'",
                             command: command)
        }
    }
}

/// The command line was not understood: the message and the command whose help explains it.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    let command: String

    init(_ message: String, command: String) {
        self.message = message
        self.command = command
    }

    var description: String { "\(message) (see: invoice \(command) --help)" }
}
