import Foundation
import Testing
import TestSupport
@testable import invoice

/// The command grammar: one declaration per command, from which parsing, help and completion come.
/// The process tests run the real executable; the declaration walks read `Commands.all` itself, so a
/// command added there is checked here without touching this file.
@Suite(.serialized)
struct CommandGrammarTests {
    let dir: TemporaryDirectory
    let cli: InvoiceCLI
    let customer: String

    init() throws {
        dir = try TemporaryDirectory("grammar")
        cli = try InvoiceCLI.creating(database: dir.path("billing.sqlite"))
        customer = try cli.ok("customer", "add", "--company", "Acme AG", "--email", "ap@acme.example", "--country", "CH",
                              "--currency", "CHF", "--language", "de")
    }

    /// Every command path below the root, with the commands along it.
    static func paths(_ command: Command = Grammar.root, prefix: [Command] = []) -> [[Command]] {
        command.subcommands.flatMap { sub in [prefix + [sub]] + paths(sub, prefix: prefix + [sub]) }
    }

    /// The words a user types to reach `path`, with "1" for each argument of the commands before the last.
    static func words(_ path: [Command]) -> [String] {
        path.enumerated().flatMap { index, command in
            [command.name] + (index < path.count - 1 ? command.arguments.map { _ in "1" } : [])
        }
    }

    func title(of id: String) throws -> String? {
        (try cli.json("show", id) as? [String: Any])?["title"] as? String
    }

    // MARK: Parsing rules (each was a bug of the hand-written parsers)

    // Mutation (mutants.tsv parser-refuses-dash-value): in Parser, refuse a value that starts with "-" ("--title needs a value") → this test fails.
    @Test func anOptionsValueIsTakenAsGiven() throws {
        let spaced = try cli.ok("new", customer, "--title", "--json", "--line", "X;1;10.00;8.1")
        #expect(try title(of: spaced) == "--json")
        let joined = try cli.ok("new", customer, "--title=--json", "--line", "X;1;10.00;8.1")
        #expect(try title(of: joined) == "--json")
        let empty = try cli.ok("new", customer, "--title=", "--line", "X;1;10.00;8.1")
        #expect(try title(of: empty) == "")
    }

    // Mutation (mutants.tsv parser-help-anywhere): look for -h/--help across the whole line before parsing (as the old Runner did) → this test fails.
    @Test func aValueThatLooksLikeHelpIsAValue() throws {
        let result = try cli.run("new", customer, "--notes", "-h", "--line", "X;1;10.00;8.1")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("Usage:"))
        let id = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let draft = try #require(try cli.json("show", id) as? [String: Any])
        #expect(draft["notes"] as? String == "-h")
    }

    // Mutation (mutants.tsv grammar-double-dash): Parser compares with "---" instead of "--" → "--" is an unknown option and this test fails.
    @Test func doubleDashEndsTheOptions() throws {
        let number = try cli.ok("new", customer, "--line", "X;1;10.00;8.1", "--issue")
        #expect(try cli.ok("show", "--", number).contains(number))
        let before = try cli.dump()
        let result = try cli.run("edit", number, "--title", "T", "--", "--json")
        #expect(result.status == 64)
        #expect(result.stderr == "invoice: unexpected argument '--json' (see: invoice edit --help)\n")
        #expect(try cli.dump() == before)
    }

    // Mutation (mutants.tsv grammar-no-suggestion): Parser.suggestion never suggests (`best.1 < 0`) → the "did you mean" part is missing and this test fails.
    @Test func anUnknownOptionIsRefusedWithTheNearestSuggested() throws {
        let before = try cli.dump()
        let result = try cli.run("new", customer, "--titel", "X", "--line", "X;1;10.00;8.1")
        #expect(result.status == 64)
        #expect(result.stderr == "invoice: unknown option '--titel' (did you mean '--title'?) (see: invoice new --help)\n")
        #expect(try cli.dump() == before)
        let command = try cli.run("lsit")
        #expect(command.status == 64)
        #expect(command.stderr == "invoice: unknown command 'lsit' (did you mean 'list'?) (see: invoice --help)\n")
        let action = try cli.run("customer", "shw", customer)
        #expect(action.stderr == "invoice: unknown action 'shw' (did you mean 'show'?) (see: invoice customer --help)\n")
        let far = try cli.run("list", "--zzzzzzzz")
        #expect(far.stderr == "invoice: unknown option '--zzzzzzzz' (see: invoice list --help)\n")
    }

    // Mutation (mutants.tsv parser-no-globals-after): only look up the leaf's own options (not Grammar.globals) after the command → this test fails.
    @Test func globalOptionsGoBeforeOrAfterTheCommand() throws {
        let executable = Paths.invoiceExecutable
        let before = try ProcessRunner.run(executable, ["--db", cli.database, "--json", "customer", "list"])
        let after = try ProcessRunner.run(executable, ["customer", "list", "--json", "--db", cli.database])
        #expect(before.status == 0)
        #expect(after.status == 0)
        #expect(before.stdout == after.stdout)
        #expect(before.stdout.contains("\"company\": \"Acme AG\""))
    }

    @Test func aFlagGivenAValueAndAValueOptionAtTheEndAreUsageErrors() throws {
        let flag = try cli.run("customer", "list", "--all=yes")
        #expect(flag.status == 64)
        #expect(flag.stderr == "invoice: --all takes no value (see: invoice customer list --help)\n")
        let value = try cli.run("list", "--status")
        #expect(value.status == 64)
        #expect(value.stderr == "invoice: --status needs a value (see: invoice list --help)\n")
    }

    // Mutation (mutants.tsv grammar-exclusive-groups): Parser.validate checks only required groups (drops `given.count > 1 ||`) → --gross with --exempt
    // is accepted and this test fails.
    @Test func exclusiveAndRequiredOptionsAreCheckedFromTheDeclaration() throws {
        let both = try cli.run("new", customer, "--gross", "--exempt", "reverse charge")
        #expect(both.status == 64)
        #expect(both.stderr.contains("choose one of --gross, --net, --exempt NOTE"))
        let none = try cli.run("plan", customer, "activate", "Business")
        #expect(none.status == 64)
        #expect(none.stderr.contains("activate needs exactly one of --free, --trial, --monthly, --yearly"))
        let missing = try cli.run("pay", "X-1")
        #expect(missing.status == 64)
        #expect(missing.stderr == "invoice: pay needs --amount A (see: invoice pay --help)\n")
    }

    // MARK: Help, derived from the declarations

    // Mutation (mutants.tsv help-flags-only): HelpPage.text lists only `command.options.filter { !$0.takesValue }` → this test fails
    // (as it did for the hand-written pages, which missed --no-mail, --rename, --templates, list --limit, new --language).
    @Test func everyCommandAndActionHasAHelpPageListingEachOfItsOptions() throws {
        let paths = Self.paths()
        #expect(paths.count > 40)
        for path in paths {
            let command = path[path.count - 1]
            let names = path.map(\.name)
            let result = try cli.run(Self.words(path) + ["--help"])
            #expect(result.status == 0, "\(names) --help")
            let page = result.stdout
            #expect(page == (try cli.run(["help"] + names)).stdout, "invoice help \(names.joined(separator: " "))")
            #expect(page.hasPrefix("Usage: invoice \(names.first ?? "")"), "usage of \(names)")
            for name in names { #expect(page.contains(name), "\(names): names \(name)") }
            for option in command.options {
                #expect(page.contains(option.synopsis), "\(names) --help lists \(option.synopsis)")
                for alias in option.aliases { #expect(page.contains(alias), "\(names) --help lists \(alias)") }
            }
            for name in command.featuredGlobals { #expect(page.contains(name), "\(names) --help lists \(name)") }
            for argument in path.flatMap(\.arguments) { #expect(page.contains(argument.name), "\(names) --help names \(argument.name)") }
            for sub in command.subcommands { #expect(page.contains(sub.name), "\(names) --help lists \(sub.name)") }
            for global in Grammar.globals { #expect(page.contains(global.synopsis), "\(names) --help mentions \(global.name)") }
        }
        let overview = try cli.ok("--help")
        for command in Commands.all {
            #expect(overview.contains("  \(command.name)"), "invoice --help lists \(command.name)")
            #expect(overview.contains(command.summary), "invoice --help has the summary of \(command.name)")
        }
        for global in Grammar.globals { #expect(overview.contains(global.synopsis)) }
    }

    @Test func theOptionsOnceMissingFromHelpAreThere() throws {
        #expect(try cli.ok("run", "--help").contains("--no-mail"))
        #expect(try cli.ok("catalog", "edit", "--help").contains("--rename NAME"))
        #expect(try cli.ok("--help").contains("--templates DIR"))
        #expect(try cli.ok("list", "--help").contains("--limit N"))
        #expect(try cli.ok("new", "--help").contains("--language LL"))
        #expect(try cli.ok("serve", "--help").contains("--port P"))
    }

    @Test func noCommandPrintsTheOverviewAsAUsageError() throws {
        let result = try ProcessRunner.run(Paths.invoiceExecutable, [])
        #expect(result.status == 64)
        #expect(result.stdout.contains("Commands:"))
        #expect(try ProcessRunner.run(Paths.invoiceExecutable, ["--help"]).status == 0)
    }

    /// The declarations themselves: what the parser and the pages rely on.
    // Mutation (mutants.tsv grammar-duplicate-all): declare "--all" twice for `customer list` → this test fails.
    @Test func declarationsAreConsistent() {
        for path in Self.paths() {
            let command = path[path.count - 1]
            let names = path.map(\.name).joined(separator: " ")
            #expect((command.run == nil) == !command.subcommands.isEmpty, "\(names): a leaf runs, a parent does not")
            let optionNames = command.options.flatMap { [$0.name] + $0.aliases } + Grammar.globals.map(\.name)
            #expect(Set(optionNames).count == optionNames.count, "\(names): option names are distinct from each other and the globals")
            #expect(optionNames.allSatisfy { $0.hasPrefix("--") && !$0.contains("=") && Parser.isOption($0) }, "\(names): option names")
            #expect(Set(command.subcommands.map(\.name)).count == command.subcommands.count, "\(names): action names")
            let arguments = command.arguments
            #expect(arguments.dropLast().allSatisfy { !$0.isVariadic }, "\(names): only the last argument is variadic")
            if !command.subcommands.isEmpty { #expect(arguments.allSatisfy { !$0.isOptional }, "\(names): a parent's arguments are required") }
            for group in command.exclusive {
                #expect(group.members.allSatisfy { command.option(named: $0) != nil }, "\(names): exclusive members are declared")
            }
            for name in command.featuredGlobals { #expect(Grammar.globals.contains { $0.name == name }, "\(names): \(name) is global") }
        }
    }

    // MARK: Shell completion

    func completionScript(_ shell: String) throws -> String {
        let path = dir.path("invoice.\(shell)")
        let script = try cli.run("completion", shell)
        #expect(script.status == 0)
        try Data(script.stdout.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// What bash offers after `line` (the last word is the one being completed).
    func bashCompletes(_ words: [String], script: String) throws -> [String] {
        let quoted = words.map { "'\($0)'" }.joined(separator: " ")
        let result = try ProcessRunner.shell("""
            bash -c 'source "$1"; COMP_WORDS=(\(quoted.replacingOccurrences(of: "'", with: "'\\''"))); COMP_CWORD=\(words.count - 1); _invoice; printf "%s\\n" "${COMPREPLY[@]}"' _ '\(script)'
            """)
        #expect(result.status == 0, "bash: \(result.stderr)")
        return result.stdout.split(separator: "\n").map(String.init)
    }

    // Mutation (mutants.tsv completion-root-only): CompletionScript.tables skips subcommands (visit only the root) → this test fails.
    @Test func bashCompletionIsGeneratedFromTheDeclarations() throws {
        let loaded = try ProcessRunner.shell("bash -c 'source <(\"$0\" completion bash); complete -p invoice' '\(Paths.invoiceExecutable.path)'")
        #expect(loaded.status == 0, "\(loaded.stderr)")
        #expect(loaded.stdout == "complete -F _invoice invoice\n")
        let script = try completionScript("bash")
        let text = try String(contentsOfFile: script, encoding: .utf8)
        for path in Self.paths() { #expect(text.contains("'\(path.map(\.name).joined(separator: " "))')"), "script names \(path.map(\.name))") }
        #expect(try bashCompletes(["invoice", "cu"], script: script) == ["customer"])
        #expect(try bashCompletes(["invoice", "plan", "3", "ac"], script: script) == ["activate"])
        #expect(try bashCompletes(["invoice", "--db", "x.sqlite", "plan", "3", "activate", "Business", "--mo"], script: script) == ["--monthly"])
        #expect(try bashCompletes(["invoice", "list", "--status", "p"], script: script) == ["partially_paid", "paid"])
        #expect(try bashCompletes(["invoice", "new", "1", "--ti"], script: script) == ["--title"])
        #expect(try bashCompletes(["invoice", "new", "1", "--title", "--"], script: script) == [])
        #expect(try bashCompletes(["invoice", "settings", "set", "number_f"], script: script) == ["number_format"])
        #expect(try bashCompletes(["invoice", "completion", ""], script: script) == ["bash", "zsh"])
    }

    // Mutation (mutants.tsv completion-compdef): drop `compdef _invoice invoice` from CompletionScript.zsh → this test fails.
    @Test func zshCompletionIsGeneratedFromTheDeclarations() throws {
        let script = try completionScript("zsh")
        let text = try String(contentsOfFile: script, encoding: .utf8)
        for command in Commands.all { #expect(text.contains("'\(command.name)"), "script names \(command.name)") }
        // compadd is replaced by a stub that prints what would be offered (zsh filters by prefix itself).
        let result = try ProcessRunner.shell("""
            zsh -f -c 'autoload -U compinit && compinit -u -d "$2/zcompdump" && source "$1" && print -r -- "loaded:$_comps[invoice]"; \
            compadd() { print -r -- "$@" }; words=(invoice plan 3 ac); CURRENT=4; _invoice; \
            words=(invoice list --status p); CURRENT=4; _invoice' _ '\(script)' '\(dir.path(""))'
            """)
        #expect(result.status == 0, "zsh: \(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "loaded:_invoice")
        #expect(lines.count == 3)
        #expect(lines.dropFirst().first?.contains("activate") == true)
        #expect(lines.last?.contains("partially_paid") == true)
    }

    // MARK: The database file

    // Mutation (mutants.tsv require-database): Context.requireDatabase() always passes (`guard true || fileExists…`) → `settings show`
    // and most others create an empty file and this test fails.
    @Test func everyCommandButInitAndDemoRefusesADatabaseThatDoesNotExist() throws {
        let creators = Self.paths().filter { $0.last?.database == .creates }.map { $0.map(\.name).joined(separator: " ") }
        #expect(creators.sorted() == ["demo", "init"])
        let missing = dir.path("typo.sqlite")
        for path in Self.paths() {
            guard let command = path.last, command.run != nil, command.database == .existing else { continue }
            var words = Self.words(path) + command.arguments.filter { !$0.isOptional }.map { _ in "1" }
            for option in command.options where option.isRequired { words += [option.name, "1"] }
            for group in command.exclusive where group.isRequired { words.append(group.members[0]) }
            let result = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", missing] + words)
            #expect(result.status == 1, "\(words)")
            #expect(result.stderr == "invoice: no database at \(missing); create one with: invoice --db \(missing) init\n", "\(words)")
            #expect(!FileManager.default.fileExists(atPath: missing), "\(words) created the file")
        }
    }

    @Test func initCreatesAnEmptyDatabaseOnceAndSaysWhere() throws {
        let path = dir.path("new.sqlite")
        let created = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", path, "init"])
        #expect(created.status == 0)
        #expect(created.stdout.hasPrefix("created an empty invoice database at \(path)\n"))
        let fresh = InvoiceCLI(database: path)
        #expect(try fresh.ok("customer", "list") == "ID    COMPANY                          COUNTRY CUR LANG EMAIL")
        let before = try fresh.dump()
        let again = try fresh.run("init")
        #expect(again.status == 1)
        #expect(again.stderr == "invoice: \(path) already exists; nothing changed\n")
        #expect(try fresh.dump() == before)
    }

    // MARK: Text that is not UTF-8

    // Mutation (mutants.tsv main-lossy-arguments): main.swift reads CommandLine.arguments (which repairs bytes to U+FFFD) → the customer is
    // stored as "M\u{FFFD}ller AG" and this test fails.
    @Test func anArgumentThatIsNotUTF8IsRefused() throws {
        let before = try cli.dump()
        let result = try ProcessRunner.shell("""
            "$0" --db '\(cli.database)' customer add --company "$(printf 'M\\374ller AG')" --email m@example.com --country CH --currency CHF
            """.replacingOccurrences(of: "\"$0\"", with: "'\(Paths.invoiceExecutable.path)'"))
        #expect(result.status == 64)
        #expect(result.stderr == "invoice: argument 6 is not valid UTF-8 (M\u{FFFD}ller AG); use UTF-8 text\n")
        #expect(try cli.dump() == before)
    }

    @Test func utf8DecodingRefusesStrayOverlongAndSurrogateBytes() {
        #expect(RawArguments.decode(Array("Müller & Søn 日本".utf8)) == "Müller & Søn 日本")
        #expect(RawArguments.decode([0x4D, 0xFC]) == nil)              // Latin-1 ü
        #expect(RawArguments.decode([0xC0, 0xAF]) == nil)              // overlong "/"
        #expect(RawArguments.decode([0xED, 0xA0, 0x80]) == nil)        // a UTF-16 surrogate
        #expect(RawArguments.decode([0xE6, 0x97]) == nil)              // truncated
    }
}

struct EditDistanceTests {
    // Mutation (mutants.tsv edit-distance-no-transposition): drop the transposition case in EditDistance → "lsit" is 2 from "list" (and from "init") and this test fails.
    @Test func neighboursSwappedCountOnce() {
        #expect(EditDistance.between("lsit", "list") == 1)
        #expect(EditDistance.between("--titel", "--title") == 1)
        #expect(EditDistance.between("kitten", "sitting") == 3)
        #expect(EditDistance.between("", "abc") == 3)
        #expect(Parser.suggestion(for: "--titel", among: ["--notes", "--title", "--line"]) == " (did you mean '--title'?)")
        #expect(Parser.suggestion(for: "--frobnicate", among: ["--title", "--line"]) == "")
    }
}
