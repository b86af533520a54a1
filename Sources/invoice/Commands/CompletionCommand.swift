import Foundation

/// `invoice completion bash|zsh`: a completion script generated from the declarations.
enum CompletionCommand {
    static let command = Command(
        name: "completion", summary: "a shell completion script (bash or zsh)",
        discussion: """
            Prints a completion script for commands, actions, options and their values, generated from
            the same declarations as the parser and these help pages. Load it in the shell's start file:
              bash: source <(invoice completion bash)          (in ~/.bashrc)
              zsh:  source <(invoice completion zsh)           (in ~/.zshrc, after compinit)
            """,
        arguments: [Argument("SHELL", "bash or zsh", completion: .choices(["bash", "zsh"]))],
        database: .none,
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        let shell = try args.positional("SHELL")
        switch shell {
        case "bash": Context.writeOut(Data(CompletionScript.bash(Grammar.root).utf8))
        case "zsh": Context.writeOut(Data(CompletionScript.zsh(Grammar.root).utf8))
        default: throw args.usageError("unknown shell '\(shell)'; use bash or zsh")
        }
    }
}
