import Billing
import Foundation
import Store
import Workflows

/// `invoice report vat`: the figures a VAT return asks for (issue 22).
enum ReportCommand {
    static let command = Command(
        name: "report", summary: "reports for the VAT return",
        subcommands: [
            Command(name: "vat", summary: "net and VAT per currency, category and rate of a period",
                    discussion: """
                        Every invoice and credit note issued in the period (the agreed basis), credit notes netted:
                        net and VAT per VAT category (S, Z, E, AE reverse charge, K intra-community, G export, O)
                        and rate, per currency. Equal to the VAT payable the journal export books for the period.
                        """,
                    options: [.value("--from", "D", "first day of the period", required: true),
                              .value("--to", "D", "last day of the period", required: true),
                              .value("--basis", "B", "invoiced (default); received is not implemented yet",
                                     completion: .choices(["invoiced", "received"]))],
                    featuredGlobals: ["--json"],
                    examples: ["invoice report vat --from 2026-10-01 --to 2026-12-31"],
                    run: vat),
        ])

    static func vat(_ args: Arguments, _ context: Context) throws {
        let from = try ExportCommand.day(args, "--from"), to = try ExportCommand.day(args, "--to")
        guard from <= to else { throw args.usageError("--from \(from) is after --to \(to)") }
        switch try args.option("--basis") ?? "invoiced" {
        case "invoiced": break
        case "received": throw CommandFailure(message: "report vat: the received basis (by payment) is not implemented yet; use --basis invoiced")
        case let other: throw args.usageError("--basis: '\(other)' is not a basis: use invoiced or received")
        }
        let store = try context.openStore()
        let report = try VATReport.invoiced(store: store, from: from, to: to)
        if context.json {
            context.emit(.object([
                ("from", .string(from.description)), ("to", .string(to.description)), ("basis", .string("invoiced")),
                ("rows", .array(report.rows.map { row in
                    .object([("currency", .string(row.currency.code)), ("category", .string(row.category.rawValue)),
                             ("rate", .string(row.rate.description)), ("net", .string(row.net.decimalString)),
                             ("vat", .string(row.vat.decimalString)), ("documents", .int(Int64(row.documents)))])
                })),
            ]))
            return
        }
        context.emit("VAT \(from) to \(to), invoiced basis (credit notes netted)")
        context.emit("currency  category  rate      net            VAT")
        for row in report.rows {
            context.emit("\(row.currency.code.padding(10))\(row.category.rawValue.padding(10))\((row.rate.description + "%").padding(10))\(row.net.decimalString.padding(15))\(row.vat.decimalString)")
        }
    }
}
