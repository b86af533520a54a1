import Billing
import Foundation
import Store
import Workflows

/// `invoice export journal`: the period's postings for the accountant (issue 22).
enum ExportCommand {
    static let command = Command(
        name: "export", summary: "exports for the accountant: the journal of postings",
        subcommands: [
            Command(name: "journal", summary: "balanced double-entry postings of a period (ledger, CSV or DATEV)",
                    discussion: """
                        Every invoice and credit note issued, payment received, refund and credit movement dated in
                        the period, as balanced postings with the accounts of the settings (accounts_chart skr03,
                        skr04 or kmu; each account_* setting overrides one). ledger: the plain-text journal hledger
                        and ledger read; csv: one posting per row (RFC 4180, UTF-8, amounts with a point); datev: the
                        DATEV EXTF Buchungsstapel (format 700, category 21; Windows-1252) with the header from the
                        datev_* settings (datev_consultant and datev_client are required), one fiscal year per file.
                        """,
                    options: [.value("--from", "D", "first day of the period", required: true),
                              .value("--to", "D", "last day of the period", required: true),
                              .value("--format", "F", "ledger, csv or datev", required: true, completion: .choices(JournalFormat.allCases.map(\.rawValue))),
                              .value("--out", "FILE", "write to this file (default: standard output)")],
                    examples: ["invoice export journal --from 2026-01-01 --to 2026-12-31 --format ledger --out 2026.journal",
                               "invoice export journal --from 2026-01-01 --to 2026-03-31 --format datev --out EXTF_Buchungsstapel_2026Q1.csv"],
                    run: journal),
        ])

    static func day(_ args: Arguments, _ option: String) throws -> Day {
        let text = try args.option(option) ?? ""
        do { return try Day(parsing: text) } catch { throw args.usageError("\(option): \(error)") }
    }

    static func journal(_ args: Arguments, _ context: Context) throws {
        let from = try day(args, "--from"), to = try day(args, "--to")
        guard from <= to else { throw args.usageError("--from \(from) is after --to \(to)") }
        let formatText = try args.option("--format") ?? ""
        guard let format = JournalFormat(rawValue: formatText) else {
            throw args.usageError("--format: '\(formatText)' is not a journal format: use ledger or csv")
        }
        let store = try context.openStore()
        let chart = try AccountChart.load(from: store)
        let journal = Journal(store: store, chart: chart)
        let transactions = try journal.transactions(from: from, to: to)
        let data: Data
        if format == .datev {
            let writer = DatevWriter(settings: try DatevSettings.load(from: store), chart: chart, from: from, to: to, created: Date())
            data = try writer.file(transactions)
        } else {
            var text = ""
            try JournalWriter.write(transactions, format: format) { text += $0 }
            data = Data(text.utf8)
        }
        if let out = try args.option("--out") {
            do { try data.write(to: URL(fileURLWithPath: out), options: .atomic) } catch {
                throw CommandFailure(message: "cannot write \(out): \(error.localizedDescription)")
            }
            context.emit("wrote \(transactions.count) transaction\(transactions.count == 1 ? "" : "s") (\(from) to \(to)) to \(out)")
        } else {
            Context.writeOut(data)
        }
    }
}
