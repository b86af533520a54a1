/// `--help` pages, generated from the declarations.
enum HelpPage {
    /// The page of the last command of `path` (the overview for the root).
    static func text(for path: [Command]) -> String {
        guard path.count > 1 else { return overview(Grammar.root) }
        let command = path[path.count - 1]
        let words = path.dropFirst().map(\.name)
        var lines: [String] = []
        let usages = usageLines(of: command, prefix: prefix(for: path))
        lines.append("Usage: " + (usages.first ?? ""))
        lines += usages.dropFirst().map { "       " + $0 }
        lines.append("")
        lines.append(sentence(command.summary))
        if !command.discussion.isEmpty {
            lines.append("")
            lines.append(command.discussion)
        }
        let arguments = path.dropFirst().flatMap(\.arguments)
        if !arguments.isEmpty {
            lines.append("")
            lines.append("Arguments:")
            lines += table(arguments.map { ($0.name + ($0.isVariadic ? "..." : ""), $0.help) })
        }
        if !command.subcommands.isEmpty {
            lines.append("")
            lines.append("Actions (invoice \(words.joined(separator: " ")) ACTION --help for each):")
            lines += table(command.subcommands.map { ($0.name, $0.summary) })
        }
        let featured = Grammar.globals.filter { command.featuredGlobals.contains($0.name) }
        let options = command.options + featured
        if !options.isEmpty {
            lines.append("")
            lines.append("Options:")
            lines += table(options.map { option in (option.synopsis, describe(option, in: command)) })
        }
        if !command.examples.isEmpty {
            lines.append("")
            lines += command.examples.map { "Example: \($0)" }
        }
        lines.append("")
        lines.append("Global options: " + Grammar.globals.map(\.synopsis).joined(separator: ", ") + " (see invoice --help).")
        return lines.joined(separator: "\n")
    }

    /// `invoice --help`: every command with its summary, the global options, the exit status.
    static func overview(_ root: Command) -> String {
        var lines = ["invoice — \(root.summary)", "",
                     "Usage: invoice [--db PATH] [--json] [--date YYYY-MM-DD] COMMAND ...", "", "Commands:"]
        lines += table(root.subcommands.map { command in
            let actions = command.subcommands.isEmpty ? "" : " " + command.subcommands.map(\.name).joined(separator: "|")
            let arguments = command.arguments.filter { !$0.isOptional || command.subcommands.isEmpty }.map(\.usage)
            return ([command.name] + arguments).joined(separator: " ") + actions
        }.enumerated().map { ($0.element, sentence(root.subcommands[$0.offset].summary, period: false)) })
        lines += ["", "Global options (before or after the command):"]
        lines += table(Grammar.globals.map { ($0.synopsis, $0.help) })
        lines += ["", "Every command has --help (invoice COMMAND --help, or invoice help COMMAND).",
                  "Exit status: 0 success, 1 the operation was refused or failed, 64 wrong usage."]
        return lines.joined(separator: "\n")
    }

    /// `invoice plan CUSTOMER` for the path to `plan activate`: the words and arguments before the last command.
    private static func prefix(for path: [Command]) -> String {
        (["invoice"] + path.dropFirst().dropLast().flatMap { [$0.name] + $0.arguments.map(\.usage) }).joined(separator: " ")
    }

    /// One line per leaf below `command`: `invoice plan CUSTOMER activate PLAN --free|--trial|--monthly|--yearly`.
    static func usageLines(of command: Command, prefix: String) -> [String] {
        let head = ([prefix, command.name] + command.arguments.map(\.usage)).joined(separator: " ")
        if !command.subcommands.isEmpty {
            return command.subcommands.flatMap { usageLines(of: $0, prefix: head) }
        }
        var parts = [head]
        var shown = Set<String>()
        for group in command.exclusive where group.isRequired {
            parts.append(group.members.map { command.option(named: $0)?.synopsis ?? $0 }.joined(separator: "|"))
            shown.formUnion(group.members)
        }
        for option in command.options where option.isRequired && !shown.contains(option.name) {
            parts.append(option.synopsis)
            shown.insert(option.name)
        }
        let optional = command.options.filter { !shown.contains($0.name) }
        let featured = command.featuredGlobals.compactMap { name in Grammar.globals.first { $0.name == name } }
        if optional.count + featured.count <= 3 {
            parts += (optional + featured).map { "[\($0.synopsis)\(isRepeatable($0) ? "..." : "")]" }
        } else {
            parts.append("[options]")
        }
        return [parts.joined(separator: " ")]
    }

    private static func isRepeatable(_ option: Option) -> Bool {
        if case .repeatable = option.kind { return true }
        return false
    }

    private static func describe(_ option: Option, in command: Command) -> String {
        var text = option.help
        if option.isRequired { text += " (required)" }
        if isRepeatable(option) { text += " (repeatable)" }
        if !option.aliases.isEmpty { text += " (also \(option.aliases.joined(separator: ", ")))" }
        if case .choices(let values) = option.completion, !option.help.contains(values.joined(separator: "|")) {
            text += ": \(values.joined(separator: ", "))"
        }
        if let group = command.exclusive.first(where: { $0.members.contains(option.name) }) {
            let others = group.members.filter { $0 != option.name }
            text += group.isRequired ? " (exactly one of this and \(others.joined(separator: ", ")))"
                                     : " (not with \(others.joined(separator: ", ")))"
        }
        return text
    }

    private static func sentence(_ text: String, period: Bool = true) -> String {
        guard let first = text.first else { return text }
        let capitalised = period ? first.uppercased() + text.dropFirst() : text
        return period && !capitalised.hasSuffix(".") ? capitalised + "." : capitalised
    }

    /// Two columns, the second aligned (wrapped under itself when the first is long).
    private static func table(_ rows: [(String, String)]) -> [String] {
        let width = min(max(rows.map(\.0.count).max() ?? 0, 12), 30) + 2
        return rows.map { left, right in
            left.count + 2 > width ? "  \(left)\n  \(String(repeating: " ", count: width))\(right)"
                                   : "  \(left.padding(width))\(right)"
        }
    }
}
