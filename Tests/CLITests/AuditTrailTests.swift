import Foundation
import Synchronization
import Testing
import TestSupport

/// The audit trail (issue 22) as an operator meets it: `invoice audit list` and `invoice audit verify`
/// after the README's tour, a row altered behind the program's back, and commands that fail or only read.
@Suite struct AuditTrailTests {
    /// The `invoice …` lines of the README's tour (the first ```sh block after "## A tour"), as words;
    /// a line that redirects output (`> invoice.pdf`) loses the redirection, lines that start with an
    /// environment assignment (the mailing run needs a server) are left out.
    static func tour() throws -> [[String]] {
        let readme = try String(contentsOf: Paths.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "## A tour"))
        let block = try #require(readme[start.upperBound...].components(separatedBy: "```sh\n").dropFirst().first?
            .components(separatedBy: "```").first)
        var commands: [[String]] = []
        for line in block.split(separator: "\n") where line.hasPrefix("invoice ") {
            var words = try ReadmeEInvoiceRecipeTests.words(String(line))
            if let redirect = words.firstIndex(of: ">") { words.removeSubrange(redirect...) }
            commands.append(Array(words.dropFirst()))
        }
        return commands
    }

    /// The command path `Context` records as the action: the words that name commands, not their
    /// arguments (`plan 13 activate Business --trial` → `invoice plan activate`).
    static func action(_ words: [String]) -> String {
        let names: Set<String> = ["demo", "list", "show", "settings", "set", "customer", "add", "user", "catalog",
                                  "add-plan", "reprice", "new", "issue", "pay", "cancel", "plan", "module", "activate",
                                  "withdraw", "run", "print", "send", "outbox", "mail", "edit", "revoke", "period"]
        return (["invoice"] + words.filter { names.contains($0) && !$0.hasPrefix("-") }.prefix(2)).joined(separator: " ")
    }

    /// Commands of the tour that only read the database.
    static let readOnly: Set<String> = ["invoice list", "invoice show", "invoice settings show", "invoice plan show",
                                        "invoice outbox list", "invoice print"]

    /// What a forger with the database's password does first: drops the triggers that refuse UPDATE
    /// and DELETE of entries (each engine names them its way, migration 14).
    func dropAppendOnlyTriggers(_ cli: InvoiceCLI) throws {
        switch TestEngine.current {
        case .sqlite:
            try cli.sql("DROP TRIGGER audit_entries_no_update; DROP TRIGGER audit_entries_no_delete; DROP TRIGGER audit_objects_no_delete")
        case .postgres:
            try cli.sql("DROP TRIGGER audit_entries_append_only ON audit_entries; DROP TRIGGER audit_objects_append_only ON audit_objects")
        }
    }

    func entries(_ cli: InvoiceCLI, _ extra: String...) throws -> [[String: Any]] {
        try #require(try cli.json(["audit", "list"] + extra) as? [[String: Any]])
    }

    // Mutation (mutants.tsv audit-no-append): the write transaction no longer appends its entry → the
    // tour's changing commands leave none; this test fails.
    @Test func everyChangingCommandOfTheTourLeavesOneEntryAndEveryReadingOneNone() throws {
        let directory = try TemporaryDirectory("audit-tour")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        let commands = try Self.tour()
        #expect(commands.count >= 25, "\(commands)")
        let user = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/id"), ["-un"], environment: [:], currentDirectory: directory.url, timeout: 10)
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!user.isEmpty)
        var seen = 0
        for command in commands {
            let result = try cli.run(command)
            #expect(result.status == 0, "invoice \(command.joined(separator: " ")): \(result.stderr)")
            let all = try entries(cli)
            let action = Self.action(command)
            if Self.readOnly.contains(action) {
                #expect(all.count == seen, "\(action) only reads, yet wrote \(all.dropFirst(seen))")
                continue
            }
            // The tour's run is on the demo's own day: nothing is due yet (a later run follows below).
            if action == "invoice run" && all.count == seen { continue }
            #expect(all.count == seen + 1, "\(command.joined(separator: " ")): \(all.count - seen) entries")
            guard let last = all.last, all.count == seen + 1 else { seen = all.count; continue }
            seen = all.count
            #expect(last["seq"] as? Int == seen)
            #expect(last["action"] as? String == action, "\(last)")
            #expect(last["actor"] as? String == (action == "invoice run" ? "run" : user), "\(last)")
        }
        // The scheduled run weeks later renews and reminds, one transaction per step and booking (so one
        // failing booking cannot undo the others): every entry it leaves names the actor `run`.
        try InvoiceCLI(database: cli.database, today: "2027-01-10").ok("run")
        let run = try entries(cli).dropFirst(seen)
        #expect(!run.isEmpty)
        #expect(run.allSatisfy { $0["actor"] as? String == "run" && $0["action"] as? String == "invoice run" }, "\(run)")
        #expect(run.contains { ($0["objects"] as? [String] ?? []).contains { $0.hasPrefix("invoice:") } }, "\(run)")
        seen += run.count
        // The objects are findable: the invoice the tour issued and paid, the customer it added.
        let invoice = try entries(cli, "--object", "invoice:CW-2026-00027").map { $0["action"] as? String ?? "" }
        #expect(invoice == ["invoice issue", "invoice pay"])
        let customer = try entries(cli, "--object", "customer:13").compactMap { $0["action"] as? String }
        #expect(customer.starts(with: ["invoice customer add", "invoice user add", "invoice new"]), "\(customer)")
        #expect(try cli.ok("audit", "verify") == "audit trail intact: \(seen) entries, each linked to the one before")
    }

    // Mutation (mutants.tsv audit-verify-skips-hash): verify no longer recomputes each entry's hash → an
    // altered actor passes; this test fails.
    @Test func alteringARowMakesVerifyNameItAndExitOne() throws {
        let directory = try TemporaryDirectory("audit-tamper")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        try cli.ok("customer", "add", "--company", "Acme AG", "--email", "ap@acme.ch", "--country", "CH", "--currency", "CHF")
        try cli.ok("customer", "edit", "1", "--company", "Acme Holding AG")
        try cli.ok("new", "1", "--line", "Consulting;2;150.00;8.1", "--issue")
        #expect(try cli.ok("audit", "verify") == "audit trail intact: 3 entries, each linked to the one before")
        // The database refuses the edit itself…
        #expect(throws: (any Error).self) { try cli.sql("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2") }
        #expect(throws: (any Error).self) { try cli.sql("DELETE FROM audit_entries WHERE seq = 3") }
        // …so the forger drops the trigger first; verify finds the entry anyway.
        try dropAppendOnlyTriggers(cli)
        try cli.sql("UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2")
        let altered = try cli.run("audit", "verify")
        #expect(altered.status == 1)
        #expect(altered.stderr == "invoice: audit trail broken at entry 2: entry 2 was altered: its hash does not match its contents\n")
        #expect(altered.stdout.isEmpty)
    }

    // Mutation (mutants.tsv audit-verify-ignores-head): verify no longer compares the chain's end with its
    // head row → a removed last entry passes; this test fails.
    @Test func removingTheLastEntryOrRehashingOneIsNamedToo() throws {
        let directory = try TemporaryDirectory("audit-tail")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        for name in ["Acme AG", "Beta GmbH", "Gamma SA"] {
            try cli.ok("customer", "add", "--company", name, "--email", "ap@example.ch", "--country", "CH", "--currency", "CHF")
        }
        // Rewriting entry 2 with a hash that fits its new contents breaks the link of entry 3.
        let first = try cli.sql("SELECT hash FROM audit_entries WHERE seq = 1").trimmingCharacters(in: .newlines)
        try dropAppendOnlyTriggers(cli)
        try cli.sql("UPDATE audit_entries SET hash = '\(String(repeating: "a", count: 64))', previous_hash = '\(first)' WHERE seq = 2")
        let relinked = try cli.run("audit", "verify")
        #expect(relinked.status == 1)
        #expect(relinked.stderr.contains("broken at entry 2: entry 2 was altered"), "\(relinked.stderr)")
        try cli.sql("DELETE FROM audit_objects WHERE seq >= 2; DELETE FROM audit_entries WHERE seq >= 2")
        let cut = try cli.run("audit", "verify")
        #expect(cut.status == 1)
        #expect(cut.stderr == "invoice: audit trail broken at entry 2: the chain ends at entry 1 but its head names entry 3: entries after 1 were removed\n")
    }

    // Mutation (mutants.tsv audit-counts-idle-writes): a write transaction that changed nothing appends an
    // entry anyway → the idle scheduled run leaves entries; this test fails. (A refused command leaves none because the
    // entry is written inside the transaction it records.)
    @Test func aFailedOrIdleCommandLeavesNoEntryAndNothingElse() throws {
        let directory = try TemporaryDirectory("audit-failed")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        try cli.ok("customer", "add", "--company", "Acme AG", "--email", "ap@acme.ch", "--country", "CH", "--currency", "CHF")
        let number = try cli.ok("new", "1", "--line", "Consulting;2;150.00;8.1", "--issue")
        let before = try cli.dump()
        // Refused before any write, and refused inside the write transaction (more than is left to credit).
        for command in [["pay", "NOPE-1", "--amount", "1.00"], ["customer", "delete", "1"],
                        ["credit-note", number, "--amount", "9999.00"]] {
            let result = try cli.run(command)
            #expect(result.status == 1, "\(command): \(result.stdout)")
        }
        #expect(try cli.dump() == before)
        #expect(try entries(cli).count == 2)
        // The scheduled run queues the invoice's mail; run again the same day it opens its write
        // transactions, finds nothing due and changes nothing: no entry either.
        try cli.ok("run")
        let afterRun = try cli.dump()
        let count = try entries(cli).count
        #expect(count > 2)
        try cli.ok("run")
        #expect(try cli.dump() == afterRun)
        #expect(try entries(cli).count == count)
    }

    // Mutation (mutants.tsv audit-head-not-locked): the head row is read instead of updated (no row lock,
    // the number never advances) → entries collide; this test fails. (On PostgreSQL the update's row lock
    // is what lines concurrent writers up; this suite runs in the PostgreSQL pass too.)
    @Test func concurrentWritersKeepOneLinearChain() throws {
        let directory = try TemporaryDirectory("audit-concurrent")
        defer { directory.remove() }
        let cli = try InvoiceCLI.creating(database: directory.path("desk.sqlite"))
        let writers = 6, each = 3
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            for step in 0..<each {
                do {
                    let result = try cli.run("customer", "add", "--company", "Writer \(writer) step \(step)", "--email",
                                             "w\(writer)@example.ch", "--country", "CH", "--currency", "CHF")
                    if result.status != 0 { failures.withLock { $0.append(result.stderr) } }
                } catch {
                    failures.withLock { $0.append("\(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty, "\(failures.withLock { $0 })")
        let all = try entries(cli)
        #expect(all.map { $0["seq"] as? Int ?? 0 } == Array(1...(writers * each)))
        #expect(Set(all.flatMap { $0["objects"] as? [String] ?? [] }).count == writers * each)
        #expect(try cli.ok("audit", "verify") == "audit trail intact: \(writers * each) entries, each linked to the one before")
    }
}
