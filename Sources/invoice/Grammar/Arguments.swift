/// A command's parsed arguments: read by name, as declared. Reading a name the command did not
/// declare is a programming error and stops at once (the declaration and the code must agree).
struct Arguments: Sendable {
    /// The commands from the root to the one that runs (`["customer", "add"]`).
    let path: [Command]
    private(set) var values: [String: [String]]
    private(set) var flags: Set<String>
    private(set) var positionals: [String: [String]]

    init(path: [Command], values: [String: [String]] = [:], flags: Set<String> = [], positionals: [String: [String]] = [:]) {
        self.path = path
        self.values = values
        self.flags = flags
        self.positionals = positionals
    }

    var command: Command { path[path.count - 1] }

    /// `customer add`: the words a user types, for messages.
    var commandName: String { path.dropFirst().map(\.name).joined(separator: " ") }

    /// The value of `--name VALUE` or `--name=VALUE` (the last one if given more than once).
    func option(_ name: String) throws -> String? { try options(name).last }

    /// Every value of a repeatable option, in order.
    func options(_ name: String) throws -> [String] {
        let option = declared(name)
        precondition(option.takesValue, "invoice \(commandName): \(name) is a flag")
        return values[option.name] ?? []
    }

    func flag(_ name: String) -> Bool {
        let option = declared(name)
        precondition(!option.takesValue, "invoice \(commandName): \(name) takes a value")
        return flags.contains(option.name)
    }

    /// A positional argument, by its declared name; missing ones are a usage error.
    func positional(_ name: String) throws -> String {
        guard let value = optionalPositional(name) else { throw usageError("missing \(name)") }
        return value
    }

    func optionalPositional(_ name: String) -> String? { allPositionals(name).first }

    /// The values of a variadic argument.
    func allPositionals(_ name: String) -> [String] {
        precondition(path.contains { command in command.arguments.contains { $0.name == name } },
                     "invoice \(commandName) reads argument \(name), which it does not declare")
        return positionals[name] ?? []
    }

    /// A usage error pointing at this command's help page.
    func usageError(_ message: String) -> UsageError { UsageError(message, command: commandName) }

    private func declared(_ name: String) -> Option {
        if let option = command.option(named: name) ?? Grammar.globals.first(where: { $0.name == name }) { return option }
        preconditionFailure("invoice \(commandName) reads \(name), which it does not declare")
    }

    mutating func set(_ option: Option, value: String?) {
        if let value { values[option.name, default: []].append(value) } else { flags.insert(option.name) }
    }

    mutating func append(positional value: String, to argument: String) {
        positionals[argument, default: []].append(value)
    }

    func descending(into command: Command) -> Arguments {
        Arguments(path: path + [command], values: values, flags: flags, positionals: positionals)
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

    var description: String { "\(message) (see: invoice \(command.isEmpty ? "" : command + " ")--help)" }
}
