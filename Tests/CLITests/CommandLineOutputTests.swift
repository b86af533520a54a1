import Foundation
import Testing
import TestSupport

/// Issue 17: what the command line prints agrees with what it does — help texts, the withdraw
/// forfeit, print's folder errors, `list` columns, the README tour against the demo.
struct CommandLineOutputTests {
    /// Before: 404 "unknown invoice" and 409 "currency mismatch, cancelled or already paid" while the
    /// receiver answers 202 unmatched and 200 credited (WebhookHandlerTests); plan --help said the
    /// credit balance is dropped on withdraw while it is kept (PlanCommandTests). Mutation (mutants.tsv serve-help-old-404):
    /// ServeCommand.swift: the old "404 unknown invoice number or path" line → this test fails.
    @Test func serveAndPlanHelpSayWhatTheyDo() throws {
        let directory = try TemporaryDirectory("help-truth")
        defer { directory.remove() }
        let cli = InvoiceCLI(database: directory.path("none.sqlite"))
        let serve = try cli.run("serve", "--help").stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(serve.contains("202 \"unmatched\": an unknown invoice number, or a currency other than the invoice's"))
        #expect(serve.contains("200 \"credited\" (a cancelled or already paid invoice"))
        #expect(serve.contains("409 an event id received before with a different payload"))
        #expect(!serve.contains("404 unknown invoice") && !serve.contains("409 currency"))
        let plan = try cli.run("plan", "--help").stdout.replacingOccurrences(of: "\n", with: " ")
            .split(separator: " ").joined(separator: " ")
        #expect(!plan.contains("dropped"), "withdraw keeps the credit balance")
        #expect(plan.contains("the customer's credit balance is kept"))
        #expect(plan.contains("today is the last day used"))
    }

    /// The issue's case: a month 03-01–03-31 paid with 99.00 net, withdrawn on 03-26. The booking ends
    /// 03-26 (a day used), so 5 of 31 days are forfeited: 15.97, not 6/31 = 19.16. Mutation (mutants.tsv withdraw-forfeit-from-today):
    /// Bookings.swift: `from: today` again → "19.16".
    @Test func withdrawForfeitsTheDaysAfterTheLastDayUsed() throws {
        let directory = try TemporaryDirectory("withdraw-day")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("w.sqlite"), today: "2027-03-01")
        try cli.ok("settings", "set", "company", "Desk AG")
        try cli.ok("catalog", "add-plan", "Business", "--currency", "CHF", "--monthly", "99.00", "--yearly", "990.00", "--vat", "8.1")
        let customer = try cli.ok("customer", "add", "--company", "Kunde AG", "--email", "ap@kunde.ch", "--country", "CH",
                                  "--currency", "CHF", "--language", "de")
        let booked = try #require(try cli.json("plan", customer, "activate", "Business", "--monthly") as? [String: Any])
        try cli.ok("pay", try #require(booked["invoice"] as? String), "--amount", "107.00")
        let later = InvoiceCLI(database: cli.database, today: "2027-03-26")
        let withdrawn = try #require(try later.json("plan", customer, "withdraw") as? [String: Any])
        #expect(withdrawn["end"] as? String == "2027-03-26")
        #expect((withdrawn["forfeited"] as? [[String: Any]])?.first?["amount"] as? String == "15.97")
        #expect(try later.ok("plan", customer, "show").contains("forfeited"))
    }

    /// Before: `Error Domain=NSCocoaErrorDomain Code=512 "(null)"UserInfo={…}`. Mutation (mutants.tsv print-folder-foundation-error): Printing.swift:
    /// `makeFolder` back to `FileManager.createDirectory` → the raw Foundation error is printed.
    @Test(.sqliteOnly("prints under the database file itself, a file only on SQLite"))
    func printIntoAFolderThatCannotBeMadeSaysWhyInOneLine() throws {
        let directory = try TemporaryDirectory("print-folder")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("p.sqlite"))
        try cli.ok("settings", "set", "company", "Desk AG")
        let customer = try cli.ok("customer", "add", "--company", "Kunde AG", "--email", "ap@kunde.ch", "--country", "CH",
                                  "--currency", "CHF", "--language", "de")
        try cli.ok("new", customer, "--line", "A;1;10.00;8.1", "--issue")
        let underFile = try cli.run("print", "--all", "--out", directory.path("p.sqlite") + "/docs")
        #expect(underFile.status == 1)
        #expect(underFile.stderr == "invoice: cannot print into \(directory.path("p.sqlite"))/docs: \(directory.path("p.sqlite")) is a file, not a folder\n")
        let proc = try cli.run("print", "--all", "--out", "/proc/invoices")
        #expect(proc.status == 1)
        #expect(proc.stderr.hasPrefix("invoice: cannot create the folder /proc/invoices for --out /proc/invoices: "), "\(proc.stderr)")
        #expect(!proc.stderr.contains("NSCocoaErrorDomain") && proc.stderr.split(separator: "\n").count == 1)
        // A missing folder (and its parents) is made.
        #expect(try cli.ok("print", "--all", "--format", "txt", "--out", directory.path("new/deep")).contains("printed 1 invoice"))
    }

    /// Before: a 株式会社 name took two cells a character and pushed TOTAL right; a 15-digit total ran
    /// into OPEN. Mutation (mutants.tsv display-width-count): String+DisplayWidth.swift: `displayWidth` as `count` → the CJK row's amounts
    /// end 6 cells further right than the header's.
    @Test func listColumnsAlignByDisplayWidthAndFitLongTotals() throws {
        let directory = try TemporaryDirectory("list-align")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("l.sqlite"))
        try cli.ok("settings", "set", "company", "Desk AG")
        for company in ["Kunde AG", "株式会社山田製作所東京本社営業部第一課", "Ünïcödé Gmbh"] {
            try cli.ok("customer", "add", "--company", company, "--email", "ap@kunde.ch", "--country", "CH",
                       "--currency", "CHF", "--language", "de")
        }
        try cli.ok("new", "1", "--line", "Big;10000;12345678901.23;0", "--issue")
        try cli.ok("new", "2", "--line", "Small;1;1.00;8.1", "--issue")
        try cli.ok("new", "3", "--line", "Small;1;10.00;8.1", "--issue")
        let lines = try cli.ok("list").split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        func cells(_ text: Substring) -> Int { text.reduce(0) { $0 + (("\u{3000}"..."\u{9FFF}").contains($1) ? 2 : 1) } }
        // Every row's TOTAL and OPEN end in the same terminal column as their headers.
        let header = lines[0]
        let totalEnd = cells(header[..<header.range(of: "TOTAL")!.upperBound])
        let openEnd = cells(Substring(header))
        #expect(header.hasSuffix("OPEN"))
        for row in lines.dropFirst() {
            let amounts = row.split(separator: " ")
            let total = try #require(amounts.dropLast().last), open = try #require(amounts.last)
            let totalRange = try #require(row.range(of: " " + total + " ", options: .backwards))
            #expect(cells(row[..<totalRange.upperBound]) - 1 == totalEnd, "\(row)")
            #expect(cells(Substring(row)) == openEnd, "\(row)")
            _ = open
        }
        #expect(lines[1].contains("123456789012300.00  123456789012300.00"), "\(lines[1])")
        #expect(lines[2].contains("株式会社山田製作所東京本社…"), "cut at 28 cells: \(lines[2])")
    }

    /// Before: "1 message wait in the outbox". Mutation (mutants.tsv mail-wait-grammar): MailCommands.swift: the old
    /// `message\(…"s") wait` → "1 message wait".
    @Test func mailRunCountsWaitingMessagesInGoodGrammar() throws {
        let directory = try TemporaryDirectory("mail-grammar")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("m.sqlite"))
        try cli.ok("settings", "set", "company", "Desk AG")
        try cli.ok("settings", "set", "email", "billing@desk.example")
        let customer = try cli.ok("customer", "add", "--company", "Kunde AG", "--email", "ap@kunde.ch", "--country", "CH",
                                  "--currency", "CHF", "--language", "de")
        #expect(try cli.ok("mail", "run").hasSuffix("0 messages wait in the outbox"))
        try cli.ok("send", try cli.ok("new", customer, "--line", "A;1;10.00;8.1", "--issue"))
        #expect(try cli.ok("mail", "run").hasSuffix("; 1 message waits in the outbox"))
        try cli.ok("send", try cli.ok("new", customer, "--line", "B;1;10.00;8.1", "--issue"))
        #expect(try cli.ok("mail", "run").hasSuffix("; 2 messages wait in the outbox"))
    }

    /// The README's tour, run as written against `invoice --date 2026-11-25 demo`: every command
    /// succeeds and the ids and numbers it names are the ones printed. Before: `new 13 …` printed 30
    /// where the README said 29. Mutation (mutants.tsv readme-tour-wrong-id): README.md: "(29)" for the draft → this test fails naming it.
    @Test func theReadmeTourRunsAgainstTheDemoWithTheIdsItNames() throws {
        let directory = try TemporaryDirectory("readme-tour")
        defer { directory.remove() }
        let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let tour = try #require(readme.range(of: "## A tour").map { readme[$0.upperBound...] })
        let block = try #require(tour.range(of: "```sh\n").flatMap { start in
            tour[start.upperBound...].range(of: "```").map { tour[start.upperBound..<$0.lowerBound] } })
        let cli = InvoiceCLI(database: directory.path("invoice.sqlite"), today: "2026-11-25")
        var ran = 0
        for line in block.split(separator: "\n") where line.hasPrefix("invoice ") {
            let command = line.components(separatedBy: "   #").first!.trimmingCharacters(in: .whitespaces)
            let comment = line.components(separatedBy: "   #").dropFirst().joined()
            // Mail needs a server and stdout redirection a shell: the rest runs as written.
            if command.contains("smtp") || command.contains(">") || command.contains("mail run") { continue }
            let arguments = try Self.words(String(command.dropFirst("invoice ".count)))
            let result = try cli.run(arguments)
            #expect(result.status == 0, "\(command): \(result.stderr)")
            ran += 1
            // "prints its id (29)", "(CW-2026-00027)": what the comment promises is what was printed.
            for promised in Self.parenthesized(comment) where promised.allSatisfy(\.isNumber) || promised.hasPrefix("CW-") {
                #expect(result.stdout.contains(promised), "\(command) printed \(result.stdout), the README says (\(promised))")
            }
        }
        #expect(ran >= 20)
    }

    /// Splits a command line as a shell would for the tour's forms: spaces, and double quotes around words.
    static func words(_ line: String) throws -> [String] {
        var words: [String] = [], current = "", quoted = false, started = false
        for character in line {
            if character == "\"" { quoted.toggle(); started = true; continue }
            if character == " " && !quoted {
                if started { words.append(current) }
                current = ""; started = false
                continue
            }
            current.append(character); started = true
        }
        if started { words.append(current) }
        return words
    }

    static func parenthesized(_ text: String) -> [String] {
        text.split(separator: "(").dropFirst().compactMap { $0.split(separator: ")").first.map(String.init) }
    }
}
