import Billing
import Foundation
import Store
import Workflows

/// `invoice report vat`: the figures a VAT return asks for (issue 22).
enum ReportCommand {
    static let command = Command(
        name: "report", summary: "reports for the books: VAT per rate, aging of what is owed",
        subcommands: [
            Command(name: "vat", summary: "net and VAT per currency, category and rate of a period",
                    discussion: """
                        --basis invoiced (default, "vereinbart"): every invoice and credit note issued in the period,
                        credit notes netted. --basis received ("vereinnahmt"): each document's figures in proportion
                        to the money that settled it in the period (payments, credit applied; credit notes for what
                        went back to the customer), exact to the cent. Net and VAT per VAT category (S, Z, E, AE
                        reverse charge, K intra-community, G export, O) and rate, per currency. The invoiced basis
                        equals the VAT payable the journal export books for the period.
                        """,
                    options: [.value("--from", "D", "first day of the period", required: true),
                              .value("--to", "D", "last day of the period", required: true),
                              .value("--basis", "B", "invoiced (default: by issue date) or received (by payment)",
                                     completion: .choices(["invoiced", "received"]))],
                    featuredGlobals: ["--json"],
                    examples: ["invoice report vat --from 2026-10-01 --to 2026-12-31"],
                    run: vat),
            Command(name: "aging", summary: "open amounts per customer: not yet due, 0-30, 31-60, 61-90, over 90 days past due",
                    discussion: "The open amount of every issued invoice, by how long past its due date it is on --date (default today).",
                    featuredGlobals: ["--date", "--json"],
                    examples: ["invoice report aging --date 2026-12-31 --json"],
                    run: aging),
        ])

    static func vat(_ args: Arguments, _ context: Context) throws {
        let from = try ExportCommand.day(args, "--from"), to = try ExportCommand.day(args, "--to")
        guard from <= to else { throw args.usageError("--from \(from) is after --to \(to)") }
        let basis = try args.option("--basis") ?? "invoiced"
        guard basis == "invoiced" || basis == "received" else {
            throw args.usageError("--basis: '\(basis)' is not a basis: use invoiced or received")
        }
        let store = try context.openStore()
        let report = basis == "received" ? try VATReport.received(store: store, from: from, to: to)
            : try VATReport.invoiced(store: store, from: from, to: to)
        if context.json {
            context.emit(.object([
                ("from", .string(from.description)), ("to", .string(to.description)), ("basis", .string(basis)),
                ("rows", .array(report.rows.map { row in
                    .object([("currency", .string(row.currency.code)), ("category", .string(row.category.rawValue)),
                             ("rate", .string(row.rate.description)), ("net", .string(row.net.decimalString)),
                             ("vat", .string(row.vat.decimalString)), ("documents", .int(Int64(row.documents)))])
                })),
            ]))
            return
        }
        context.emit(basis == "received" ? "VAT \(from) to \(to), received basis (by payment, credit notes netted)"
                     : "VAT \(from) to \(to), invoiced basis (credit notes netted)")
        context.emit("currency  category  rate      net            VAT")
        for row in report.rows {
            context.emit("\(row.currency.code.padding(10))\(row.category.rawValue.padding(10))\((row.rate.description + "%").padding(10))\(row.net.decimalString.padding(15))\(row.vat.decimalString)")
        }
    }

    static func aging(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let report = try AgingReport.make(store: store, on: context.today)
        if context.json {
            context.emit(.object([
                ("date", .string(report.date.description)),
                ("rows", .array(report.rows.map { row in
                    .object([("customer_id", .int(row.customerID)), ("customer", .string(row.customer)),
                             ("currency", .string(row.currency.code))]
                            + zip(AgingReport.buckets, row.amounts).map { ($0.0, .string($0.1.decimalString)) }
                            + [("total", .string(row.total.decimalString))])
                })),
            ]))
            return
        }
        context.emit("open amounts on \(report.date), by days past due")
        context.emit("customer".padding(32) + "cur  " + AgingReport.buckets.map { $0.padding(12) }.joined() + "total")
        for row in report.rows {
            context.emit("\(row.customerID) \(row.customer)".padding(32) + row.currency.code.padding(5)
                         + row.amounts.map { $0.decimalString.padding(12) }.joined() + row.total.decimalString)
        }
    }
}
