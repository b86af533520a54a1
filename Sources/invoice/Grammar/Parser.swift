/// The grammar of the whole command line: the global options and the command tree.
enum Grammar {
    /// Options every command accepts, before or after the command's name.
    static let globals: [Option] = [
        .value("--db", "PATH", "the SQLite file (default ./invoice.sqlite, env INVOICE_DB)", completion: .file),
        .flag("--json", "machine-readable output"),
        .value("--date", "YYYY-MM-DD", "make that day \"today\" (env INVOICE_TODAY), for replays and tests"),
        .value("--templates", "DIR", "an operator's template folder, searched before the shipped Templates/ (env INVOICE_TEMPLATES)",
               completion: .directory),
    ]

    static let helpNames: Set<String> = ["--help", "-h"]

    /// The root: `invoice` itself, whose subcommands are the commands.
    static var root: Command {
        Command(name: "invoice", summary: "billing for SaaS operators: customers, plans and modules, invoices, documents, mail.",
                subcommands: Commands.all)
    }
}

/// What the command line asks for.
enum Invocation {
    /// Run the last command of the path.
    case run(Arguments)
    /// Print the help page of the last command of the path.
    case help([Command])
}

/// Reads a command line against the declarations, left to right, like swift-argument-parser:
/// `--` ends the options; an option's value is taken as given (`--title --json` sets the title);
/// `-h`/`--help` anywhere else asks for help; global options are accepted at any level; an unknown
/// option is refused with the nearest declared one suggested.
struct Parser {
    let root: Command

    init(root: Command = Grammar.root) { self.root = root }

    func parse(_ tokens: [String]) throws -> Invocation {
        var arguments = Arguments(path: [root])
        var wantsHelp = false
        var optionsEnded = false
        var filled = 0  // positional arguments of the current command read so far
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            let command = arguments.command
            if !optionsEnded && token == "--" {
                optionsEnded = true
                continue
            }
            if !optionsEnded && Self.isOption(token) {
                if Grammar.helpNames.contains(token) {
                    wantsHelp = true
                    continue
                }
                let (name, inline) = Self.split(token)
                guard let option = command.option(named: name) ?? Grammar.globals.first(where: { $0.name == name }) else {
                    if wantsHelp { continue }
                    throw UsageError(unknownOption(name, in: command), command: arguments.commandName)
                }
                if option.takesValue {
                    if let inline {
                        arguments.set(option, value: inline)
                    } else if index < tokens.count {
                        arguments.set(option, value: tokens[index])
                        index += 1
                    } else {
                        throw UsageError("\(name) needs a value", command: arguments.commandName)
                    }
                } else {
                    guard inline == nil else { throw UsageError("\(name) takes no value", command: arguments.commandName) }
                    arguments.set(option, value: nil)
                }
                continue
            }
            // A positional word: the current command's next argument, else the name of a subcommand.
            if filled < command.arguments.count {
                let argument = command.arguments[filled]
                arguments.append(positional: token, to: argument.name)
                if !argument.isVariadic { filled += 1 }
                continue
            }
            if !command.subcommands.isEmpty {
                guard let sub = command.subcommand(named: token) else {
                    if wantsHelp { break }
                    throw UsageError(unknownSubcommand(token, of: command, path: arguments.commandName),
                                     command: arguments.commandName)
                }
                arguments = arguments.descending(into: sub)
                filled = 0
                continue
            }
            if wantsHelp { continue }
            throw UsageError("unexpected argument '\(token)'", command: arguments.commandName)
        }
        if wantsHelp { return .help(arguments.path) }
        try validate(arguments, filled: filled)
        return .run(arguments)
    }

    /// Checks what only the whole line can tell: required arguments and options, exclusive groups.
    private func validate(_ arguments: Arguments, filled: Int) throws {
        let command = arguments.command
        let name = arguments.commandName
        if command.run == nil {
            if arguments.path.count == 1 { return }  // `invoice` alone: the overview
            let names = command.subcommands.map(\.name)
            throw UsageError("missing action (\(Self.list(names, conjunction: "or")))", command: name)
        }
        for argument in command.arguments.dropFirst(filled) where !argument.isOptional {
            throw UsageError("missing \(argument.name)", command: name)
        }
        for option in command.options where option.isRequired && arguments.values[option.name] == nil {
            throw UsageError("\(name) needs \(option.synopsis)", command: name)
        }
        for group in command.exclusive {
            let given = group.members.filter { member in
                arguments.flags.contains(member) || arguments.values[member] != nil
            }
            let synopses = group.members.map { command.option(named: $0)?.synopsis ?? $0 }
            if given.count > 1 || (group.isRequired && given.isEmpty) {
                throw UsageError(group.isRequired ? "\(command.name) needs exactly one of \(synopses.joined(separator: ", "))"
                                                  : "choose one of \(synopses.joined(separator: ", "))", command: name)
            }
        }
    }

    /// `-x`, `--name`, `--name=value`; but not `-` (stdin) nor a negative number (`-5`, `-0.50`).
    static func isOption(_ token: String) -> Bool {
        guard token.hasPrefix("-"), token.count > 1 else { return false }
        let second = token.utf8.dropFirst().first ?? 0
        return !(48...57).contains(second) && second != UInt8(ascii: ".")
    }

    /// `--name=value` → ("--name", "value"); `--name` → ("--name", nil).
    static func split(_ token: String) -> (String, String?) {
        guard token.hasPrefix("--"), let equals = token.firstIndex(of: "=") else { return (token, nil) }
        return (String(token[..<equals]), String(token[token.index(after: equals)...]))
    }

    private func unknownOption(_ name: String, in command: Command) -> String {
        let known = (command.options.flatMap { [$0.name] + $0.aliases } + Grammar.globals.map(\.name) + ["--help"])
        return "unknown option '\(name)'" + Self.suggestion(for: name, among: known)
    }

    private func unknownSubcommand(_ word: String, of command: Command, path: String) -> String {
        let names = command.subcommands.map(\.name)
        if path.isEmpty { return "unknown command '\(word)'" + Self.suggestion(for: word, among: names) }
        return "unknown action '\(word)'" + Self.suggestion(for: word, among: names)
            + (Self.suggestion(for: word, among: names).isEmpty ? "; use \(Self.list(names, conjunction: "or"))" : "")
    }

    /// ` (did you mean '--title'?)` when one known name is near enough, else "".
    static func suggestion(for word: String, among known: [String]) -> String {
        let scored = known.map { ($0, EditDistance.between(word, $0)) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
        let limit = max(2, best.0.count / 3)
        return best.1 <= limit ? " (did you mean '\(best.0)'?)" : ""
    }

    /// "a, b or c".
    static func list(_ words: [String], conjunction: String) -> String {
        guard words.count > 1 else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " \(conjunction) " + (words.last ?? "")
    }
}

/// Edit distance for "did you mean": insertions, deletions, substitutions and swaps of two
/// neighbours ("lsit" is one step from "list"), each counting one (optimal string alignment).
enum EditDistance {
    static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
