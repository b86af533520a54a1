import Billing
import Foundation
import Store
import Workflows

/// `invoice payments import FILE… [--dry-run] [--json]`: bank files (camt.053/054) in, payments recorded.
enum BankImportCommand {
    static let command = Command(
        name: "import", summary: "record the payments of bank files (ISO 20022 camt.053 / camt.054)",
        discussion: """
            Reads camt.053 statements and camt.054 notifications (.001.04 to .001.08) and records each booked
            credit as a payment, as invoice pay would (dated by the booking date): matched by its QR
            reference (QRR) or creditor reference (SCOR), else an invoice number in the remittance text.
            Money for a cancelled or paid invoice becomes customer credit; what matches nothing, or comes in
            another currency, is kept as unmatched (invoice payments assign ID NUMBER). A reversal takes back
            the payment it names; debits and bank charges are reported, not recorded. Each transaction is
            keyed by the bank's references: importing a file again, or a statement that repeats a
            notification, records nothing twice. All files are imported in one transaction, or none.
            """,
        arguments: [Argument("FILE", "camt.053 or camt.054 files", variadic: true, completion: .file)],
        options: [.flag("--dry-run", "show what would happen; record nothing"),
                  .value("--max-mb", "N", "refuse a file larger than N MB (default \(BankImport.defaultMaxMegabytes))")],
        examples: ["invoice payments import ~/bank/camt054_*.xml", "invoice payments import --dry-run statement.xml"],
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        let files = args.allPositionals("FILE")
        guard !files.isEmpty else { throw args.usageError("payments import needs at least one FILE") }
        let store = try context.openStore()
        let dryRun = args.flag("--dry-run")
        var limit = BankImport.defaultMaxMegabytes
        if let text = try args.option("--max-mb") {
            guard let value = Int(text), value >= 1 else { throw args.usageError("--max-mb takes a whole number of megabytes, 1 or more") }
            limit = value
        }
        let summary = try BankImport(store: store, outbox: try context.outbox()).run(files, today: context.today, dryRun: dryRun,
                                                                                      maxMegabytes: limit)
        if context.json {
            context.emit(json(summary))
            return
        }
        for line in summary.lines {
            let place = "\(line.file) entry \(line.entry)" + (line.position > 0 ? " tx \(line.position)" : "")
            context.emit("\(line.outcome.rawValue.padding(10)) \(line.amount.description.leftPadded(16))  \(line.detail)  [\(place)]")
        }
        if summary.linesLeftOut > 0 { context.emit("… and \(summary.linesLeftOut) more lines (see --json for the totals)") }
        let prefix = dryRun ? "dry run, nothing recorded: " : ""
        context.emit(prefix + BankImportOutcome.allCases.map { outcome in
            let tally = summary.tally(outcome)
            let sums = tally.sums.map { $0.amount.description }.joined(separator: " + ")
            return "\(tally.count) \(outcome.rawValue)" + (sums.isEmpty ? "" : " (\(sums))")
        }.joined(separator: ", "))
    }

    static func json(_ summary: BankImportSummary) -> JSON {
        .object([
            ("dry_run", .bool(summary.dryRun)),
            ("files", .int(Int64(summary.files))),
            ("messages", .array(summary.messages.map { .string($0) })),
            ("outcomes", .object(BankImportOutcome.allCases.map { outcome in
                let tally = summary.tally(outcome)
                return (outcome.rawValue, .object([
                    ("count", .int(Int64(tally.count))),
                    ("amounts", .array(tally.sums.map { .object([("currency", .string($0.currency.code)), ("amount", Presenter.money($0.amount))]) })),
                ]))
            })),
            ("transactions", .array(summary.lines.map { line in
                .object([("outcome", .string(line.outcome.rawValue)), ("amount", Presenter.money(line.amount)),
                         ("currency", .string(line.amount.currency.code)), ("invoice", .optional(line.invoice)),
                         ("file", .string(line.file)), ("entry", .int(Int64(line.entry))), ("transaction", .int(Int64(line.position))),
                         ("detail", .string(line.detail))])
            })),
            ("transactions_left_out", .int(Int64(summary.linesLeftOut))),
        ])
    }
}
