/// One command of the command line, declared once: parsing, `--help`, the command list, shell
/// completion and the help test are all derived from this value (modelled on swift-argument-parser's
/// `CommandConfiguration`, without the package).
struct Command: Sendable {
    typealias Run = @Sendable (Arguments, Context) throws -> Void

    /// What the command does with the database file named by `--db`.
    enum DatabaseUse: Sendable {
        /// The file must exist (a mistyped `--db` must not silently create an empty database).
        case existing
        /// The command may create it (`init`, `demo`).
        case creates
        /// The command does not touch it (`completion`, `help`).
        case none
    }

    let name: String
    /// One line for the command list.
    let summary: String
    /// Paragraphs for the help page, after the usage lines.
    var discussion: String = ""
    /// Positional arguments, in order. A command with subcommands reads its own arguments first
    /// (`plan CUSTOMER activate PLAN`).
    var arguments: [Argument] = []
    var options: [Option] = []
    /// Options of which at most one (or, if `required`, exactly one) may be given.
    var exclusive: [ExclusiveGroup] = []
    /// Global options this command gives a meaning of its own; listed on its help page.
    var featuredGlobals: [String] = []
    var subcommands: [Command] = []
    var database: DatabaseUse = .existing
    /// Example lines for the help page.
    var examples: [String] = []
    /// Leaves run; a command with subcommands has none.
    var run: Run?

    func subcommand(named name: String) -> Command? { subcommands.first { $0.name == name } }

    /// The declared option called `name` (or one of its aliases).
    func option(named name: String) -> Option? { options.first { $0.name == name || $0.aliases.contains(name) } }
}

/// A positional argument.
struct Argument: Sendable {
    let name: String
    let help: String
    var isOptional = false
    /// Takes every remaining positional argument (zero or more).
    var isVariadic = false
    var completion: Completion = .none

    init(_ name: String, _ help: String, optional: Bool = false, variadic: Bool = false, completion: Completion = .none) {
        self.name = name
        self.help = help
        self.isOptional = optional || variadic
        self.isVariadic = variadic
        self.completion = completion
    }

    var usage: String {
        if isVariadic { return "[\(name)...]" }
        return isOptional ? "[\(name)]" : name
    }
}

/// An option: a flag (`--issue`), a value option (`--title T`) or a repeatable one (`--line SPEC`...).
struct Option: Sendable {
    enum Kind: Sendable, Equatable {
        case flag
        case value(placeholder: String)
        case repeatable(placeholder: String)
    }

    let name: String
    let kind: Kind
    let help: String
    var aliases: [String] = []
    var isRequired = false
    var completion: Completion = .none

    static func flag(_ name: String, _ help: String, aliases: [String] = []) -> Option {
        Option(name: name, kind: .flag, help: help, aliases: aliases)
    }

    static func value(_ name: String, _ placeholder: String, _ help: String, required: Bool = false,
                      completion: Completion = .none) -> Option {
        Option(name: name, kind: .value(placeholder: placeholder), help: help, isRequired: required, completion: completion)
    }

    static func repeatable(_ name: String, _ placeholder: String, _ help: String, completion: Completion = .none) -> Option {
        Option(name: name, kind: .repeatable(placeholder: placeholder), help: help, completion: completion)
    }

    var takesValue: Bool { kind != .flag }

    var placeholder: String? {
        switch kind {
        case .flag: nil
        case .value(let p), .repeatable(let p): p
        }
    }

    /// `--title T`, `--issue`.
    var synopsis: String { placeholder.map { "\(name) \($0)" } ?? name }
}

/// At most one of these options; with `required`, exactly one.
struct ExclusiveGroup: Sendable {
    let members: [String]
    var isRequired = false

    init(_ members: [String], required: Bool = false) {
        self.members = members
        self.isRequired = required
    }
}

/// What a shell may offer for a value.
enum Completion: Sendable, Equatable {
    case none
    case file
    case directory
    case choices([String])
}
