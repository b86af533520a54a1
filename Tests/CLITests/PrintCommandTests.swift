import Foundation
import Testing
import TestSupport

struct PrintCommandTests {
    /// A demo database in a fresh directory, seeded on 2026-11-25.
    func demo() throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory("print-cli")
        let seeded = try ProcessRunner.run(Paths.invoiceExecutable,
                                           ["--db", directory.path("demo.sqlite"), "--date", "2026-11-25", "demo"],
                                           currentDirectory: directory.url)
        #expect(seeded.status == 0, "demo: \(seeded.stderr)")
        return directory
    }

    /// How many invoices (drafts included) the demo database holds.
    func invoiceCount(_ directory: TemporaryDirectory) throws -> Int {
        let listed = try InvoiceCLI(database: directory.path("demo.sqlite")).json("list")
        return (listed as? [Any])?.count ?? -1
    }

    @Test("print --all writes HTML, PDF and text for every invoice, and every PDF passes qpdf")
    func printAll() throws {
        let directory = try demo()
        defer { directory.remove() }
        let out = directory.path("out")
        let result = try ProcessRunner.run(Paths.invoiceExecutable,
                                           ["--db", directory.path("demo.sqlite"), "print", "--all",
                                            "--format", "html,pdf,txt", "--out", out])
        #expect(result.status == 0, "print: \(result.stderr)")
        let count = try invoiceCount(directory)
        #expect(count > 14)
        #expect(result.stdout.hasPrefix("printed \(count) invoices (\(3 * count) files"))
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.contains("CW-2026-00001.pdf"))
        #expect(files.contains { $0.hasPrefix("draft-") && $0.hasSuffix(".html") })
        #expect(files.filter { $0.hasSuffix(".pdf") }.count == count)
        for pdf in files where pdf.hasSuffix(".pdf") {
            let check = try ProcessRunner.shell("qpdf --check '\(out)/\(pdf)'")
            #expect(check.status == 0, "\(pdf): \(check.stdout)")
        }
    }

    @Test("demo prints into Outbox/print beside the database")
    func demoPrints() throws {
        let directory = try demo()
        defer { directory.remove() }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path("Outbox/print"))
        #expect(files.count == 3 * (try invoiceCount(directory)))
    }

    @Test("show --pdf writes one PDF to stdout, from any working directory")
    func showPDF() throws {
        let directory = try demo()
        defer { directory.remove() }
        let result = try ProcessRunner.run(Paths.invoiceExecutable,
                                           ["--db", directory.path("demo.sqlite"), "show", "CW-2026-00006", "--pdf"],
                                           currentDirectory: URL(fileURLWithPath: "/"))
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutData.starts(with: Array("%PDF-".utf8)))
    }

    @Test("An unknown number is reported, the others are printed, and the exit is non-zero")
    func partialFailure() throws {
        let directory = try demo()
        defer { directory.remove() }
        let out = directory.path("some")
        let result = try ProcessRunner.run(Paths.invoiceExecutable,
                                           ["--db", directory.path("demo.sqlite"), "print", "CW-2026-00002",
                                            "NOPE-1", "--format", "txt", "--out", out])
        #expect(result.status == 1)
        #expect(result.stderr.contains("NOPE-1"))
        #expect(FileManager.default.fileExists(atPath: "\(out)/CW-2026-00002.txt"))
    }

    @Test("print without a selection is a usage error")
    func needsSelection() throws {
        let directory = try TemporaryDirectory("print-usage")
        defer { directory.remove() }
        _ = try InvoiceCLI.creating(database: directory.path("x.sqlite"))
        let result = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", directory.path("x.sqlite"), "print"])
        #expect(result.status == 64)
    }

    // Mutation (mutants.tsv print-warning-per-character): Printing warns once per substituted character instead of once per document →
    // two warning lines and this test fails.
    @Test("Characters the PDF font lacks are named in one warning per document on stderr")
    func substitutionWarning() throws {
        let directory = try demo()
        defer { directory.remove() }
        let db = directory.path("demo.sqlite")
        let id = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", db, "customer", "add", "--company", "Dvořák 東京 s.r.o.",
                                                                 "--email", "a@dvorak.cz", "--country", "CZ",
                                                                 "--currency", "EUR", "--language", "en"])
        let number = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", db, "--date", "2026-11-25", "new",
                                                                     id.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                                                                     "--line", "Consulting;1;100.00;0", "--issue"])
        let invoice = number.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try ProcessRunner.run(Paths.invoiceExecutable, ["--db", db, "print", invoice, "--format", "html,pdf,txt",
                                                                     "--out", directory.path("w")])
        #expect(result.status == 0)
        // The QR-bill warns on its own about characters outside its set; the PDF's font warns once.
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("the PDF shows") }
        #expect(warnings == ["invoice: warning: \(invoice): the PDF shows '東' as '□', '京' as '□' (its font lacks them)"],
                "\(result.stderr)")
    }
}
