import Foundation
import Testing
import TestSupport

/// Invoice numbers are gapless and unique, whatever runs at the same time and whatever gets killed.
struct NumberingTests {
    func numbers(_ cli: InvoiceCLI) throws -> [String] {
        let listed = try #require(try cli.json("list") as? [[String: Any]])
        return listed.compactMap { $0["number"] as? String }.sorted()
    }

    func setUp(_ label: String) throws -> (InvoiceCLI, String, TemporaryDirectory) {
        let dir = try TemporaryDirectory(label)
        let cli = try InvoiceCLI.creating(database: dir.path("billing.sqlite"))
        try cli.ok("settings", "set", "number_format", "N-{YYYY}-{SEQ:4}")
        let customer = try cli.ok("customer", "add", "--company", "Bäckerei Kühn GmbH", "--email", "r@kuehn.de",
                                  "--country", "DE", "--currency", "EUR", "--language", "de")
        return (cli, customer, dir)
    }

    @Test func fourProcessesIssuingAtOnceGetUniqueGaplessNumbers() throws {
        let (cli, customer, dir) = try setUp("numbering-race")
        let script = """
            for i in $(seq 1 15); do "\(Paths.invoiceExecutable.path)" --db "\(cli.database)" --date 2026-11-25 \
              new \(customer) --line "Brot;$i;2.50;7" --issue >/dev/null || echo FAIL; done
            """
        let processes = try (0..<4).map { _ -> Process in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            return p
        }
        for p in processes { p.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let expected = (1...60).map { String(format: "N-2026-%04d", $0) }
        #expect(try numbers(cli) == expected)
        dir.remove()
    }

    @Test func aProcessKilledWhileIssuingLeavesNoHalfInvoiceAndNoGap() throws {
        let (cli, customer, dir) = try setUp("numbering-kill")
        let lines = (1...300).map { #"{"title": "Position \#($0)", "quantity": "1", "unit_price": "1.00", "vat_rate": "19"}"# }
        let file = dir.path("big.json")
        try Data(#"{"title": "Big", "lines": [\#(lines.joined(separator: ","))]}"#.utf8).write(to: URL(fileURLWithPath: file))
        var killed = 0
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<25 {
            let p = Process()
            p.executableURL = Paths.invoiceExecutable
            p.arguments = ["--db", cli.database, "--date", "2026-11-25", "new", customer, "--from", file, "--issue"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 5_000...60_000, using: &generator))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); killed += 1 }
            p.waitUntilExit()
        }
        let issued = try numbers(cli)
        #expect(killed > 0, "the test must actually kill some processes")
        #expect(issued == (0..<issued.count).map { String(format: "N-2026-%04d", $0 + 1) }, "gapless after \(killed) kills")
        let all = try #require(try cli.json("list") as? [[String: Any]])
        #expect(all.allSatisfy { $0["status"] as? String == "open" }, "no draft or half state left behind")
        #expect(all.allSatisfy { $0["total"] as? String == "357.00" }, "every invoice complete: 300 × 1.00 + 19 %")
        // The next issue continues the sequence.
        let next = try cli.ok("new", customer, "--line", "Brot;1;2.50;7", "--issue")
        #expect(next == String(format: "N-2026-%04d", issued.count + 1))
        let integrity = try ProcessRunner.shell("sqlite3 '\(cli.database)' 'PRAGMA integrity_check'")
        #expect(integrity.stdout == "ok\n")
        dir.remove()
    }

    @Test func theCounterStartsAgainEachYearWhenSetToReset() throws {
        let (cli, customer, dir) = try setUp("numbering-year")
        try cli.ok("new", customer, "--line", "A;1;1.00;7", "--issue")
        let nextYear = InvoiceCLI(database: cli.database, today: "2027-01-02")
        #expect(try nextYear.ok("new", customer, "--line", "A;1;1.00;7", "--issue") == "N-2027-0001")
        try cli.ok("settings", "set", "number_reset", "never")
        try cli.ok("settings", "set", "number_format", "R{SEQ:6}")
        #expect(try nextYear.ok("new", customer, "--line", "A;1;1.00;7", "--issue") == "R000001")
        dir.remove()
    }
}
