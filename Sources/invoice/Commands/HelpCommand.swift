import Foundation

/// `invoice help [COMMAND [ACTION]]`: the same pages as `--help`.
enum HelpCommand {
    static let command = Command(
        name: "help", summary: "the help page of a command (the same as COMMAND --help)",
        arguments: [Argument("COMMAND", "a command and its action, e.g. customer add", variadic: true)],
        database: .none,
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        var path = [Grammar.root]
        for word in args.allPositionals("COMMAND") {
            let current = path[path.count - 1]
            if let sub = current.subcommand(named: word) {
                path.append(sub)
            } else if current.arguments.isEmpty || current.subcommands.isEmpty {
                // `help plan activate`: the customer argument may be left out; anything else is unknown.
                throw args.usageError((path.count == 1 ? "unknown command '\(word)'" : "unknown action '\(word)'")
                    + Parser.suggestion(for: word, among: current.subcommands.map(\.name)))
            }
        }
        Context.writeOut(Data((HelpPage.text(for: path) + "\n").utf8))
    }
}
