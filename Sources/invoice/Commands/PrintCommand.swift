import Billing
import Documents
import EInvoice
import Foundation
import Store
import Workflows

/// `invoice print` and `invoice show --html|--pdf|--txt`: documents from templates.
enum PrintCommand {
    /// `Outbox/print/` beside the database (or in INVOICE_OUTBOX), whatever the current directory.
    static func defaultFolder(databasePath: String) -> String {
        Printing.defaultDirectory(databasePath: databasePath).path
    }

    static let command = Command(
        name: "print", summary: "invoices as HTML, PDF and text files",
        discussion: """
            Writes documents named after the invoice number (drafts: draft-ID) into DIR (default
            Outbox/print/ beside the database). --format facturx,cii,ubl adds the Factur-X PDF and the e-invoice XML. Streams invoices from the database and renders on both cores; a progress
            bar on a terminal, a summary line otherwise. A failing invoice is reported and the batch
            goes on; the exit status is then 1. Characters the PDF fonts cannot show are reported.
            One document to stdout: invoice show NUMBER --html|--pdf|--txt
            """,
        arguments: [Argument("NUMBER", "invoices to print, by number (or select with the options)", variadic: true)],
        options: [.flag("--all", "every invoice"),
                  .value("--status", "S", "the invoices with this status", completion: .choices(InvoiceCommands.statuses)),
                  .value("--customer", "C", "a customer's invoices"),
                  .value("--since", "YYYY-MM-DD", "invoices issued on or after that day"),
                  .value("--format", "html,pdf,txt", "the formats to write (default html,pdf,txt; e-invoices: facturx, cii, ubl)"),
                  .value("--out", "DIR", "the folder (default Outbox/print/ beside the database)", completion: .directory)],
        examples: ["invoice print --all --format pdf --out /tmp/invoices"],
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        var filter = InvoiceFilter()
        let all = args.flag("--all")
        if let status = try args.option("--status") {
            if status == "overdue" {
                filter.overdueOn = context.today
            } else if let value = InvoiceStatus(rawValue: status.replacingOccurrences(of: "-", with: "_")) {
                filter.statuses = [value]
            } else {
                throw args.usageError("unknown status '\(status)'; use draft, open, partially_paid, paid, cancelled or overdue")
            }
        }
        let customerReference = try args.option("--customer")
        if let since = try args.option("--since") {
            do { filter.issuedSince = try Day(parsing: since) } catch { throw args.usageError("--since: \(error)") }
        }
        let formats: [DocumentFormat]
        var eInvoiceSyntaxes: [EInvoiceSyntax] = []
        var facturX = false
        do {
            var names = (try args.option("--format") ?? "html,pdf,txt").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            eInvoiceSyntaxes = EInvoiceSyntax.allCases.filter { names.contains($0.rawValue) }
            facturX = names.contains("facturx")
            names.removeAll { EInvoiceSyntax(rawValue: $0) != nil || $0 == "facturx" }
            formats = names.isEmpty && (facturX || !eInvoiceSyntaxes.isEmpty)
                ? [] : try DocumentFormat.list(parsing: names.joined(separator: ","))
        } catch {
            throw args.usageError("--format: \(error) (e-invoices: facturx, cii, ubl)")
        }
        let out = try args.option("--out") ?? defaultFolder(databasePath: context.databasePath)
        let numbers = args.allPositionals("NUMBER")
        let selects = all || !numbers.isEmpty || customerReference != nil || !filter.statuses.isEmpty
            || filter.overdueOn != nil || filter.issuedSince != nil
        guard selects else {
            throw args.usageError("name invoice numbers, or select with --all, --status, --customer or --since")
        }
        if all && !numbers.isEmpty { throw args.usageError("--all prints every invoice; drop the numbers or --all") }

        let store = try context.openStore()
        if let customerReference { filter.customerID = try store.customer(reference: customerReference).id }
        var missing: [Printing.Problem] = []
        for number in numbers {
            do { filter.numbers.append(String(try store.invoice(reference: number).id)) } catch {
                missing.append(Printing.Problem(invoice: number, message: "\(error)"))
            }
        }
        if !numbers.isEmpty && filter.numbers.isEmpty {
            throw CommandFailure(message: missing.map { "\($0.invoice): \($0.message)" }.joined(separator: "; "))
        }
        var printing = Printing(databasePath: context.databasePath, renderer: try context.renderer(), formats: formats,
                                outputDirectory: URL(fileURLWithPath: out))
        printing.eInvoiceSyntaxes = eInvoiceSyntaxes
        printing.facturX = facturX
        let report = try runBatch(printing, filter: filter, context: context)
        let failures = missing + report.failures
        for failure in failures { context.warn("invoice: \(failure.invoice): \(failure.message)") }
        if context.json {
            context.emit(.object([
                ("folder", .string(out)), ("printed", .int(Int64(report.printed))), ("files", .int(Int64(report.files))),
                ("failed", .array(failures.map { .object([("invoice", .string($0.invoice)), ("error", .string($0.message))]) })),
                ("warnings", .array(report.warnings.map {
                    .object([("invoice", .string($0.invoice)), ("warning", .string($0.message))])
                })),
            ]))
        } else {
            let formatList = (formats.map(\.rawValue) + (facturX ? ["facturx"] : []) + eInvoiceSyntaxes.map(\.rawValue)).joined(separator: ", ")
            context.emit("printed \(report.printed) invoice\(report.printed == 1 ? "" : "s") (\(report.files) files: \(formatList)) into \(out)/"
                         + (failures.isEmpty ? "" : "; \(failures.count) failed"))
        }
        if !failures.isEmpty {
            throw CommandFailure(message: "\(failures.count) of \(report.printed + failures.count) invoices could not be printed")
        }
    }

    /// The renderer for this run: the operator's templates (`--templates`, INVOICE_TEMPLATES) over the shipped ones.
    /// Runs the batch with a progress bar on a terminal; warnings about substituted characters go to stderr.
    private static func runBatch(_ printing: Printing, filter: InvoiceFilter, context: Context) throws -> Printing.Report {
        let bar = isatty(STDERR_FILENO) == 1 && !context.json ? ProgressBar(total: try printing.count(filter)) : nil
        let report = try printing.run(filter, progress: { progress in bar?.update(progress) },
                                      warning: { problem in
                                          bar?.clear()
                                          context.warn("invoice: warning: \(problem.invoice): \(problem.message)")
                                      })
        bar?.finish()
        return report
    }

    /// Writes one invoice's document in `format` (html, pdf or txt) to stdout.
    static func writeDocument(format: String, invoice: Invoice, store: Store, context: Context) throws {
        guard let documentFormat = DocumentFormat(rawValue: format) else {
            throw UsageError("unknown format \(format)", command: "show")
        }
        let document = try Printing.document(for: invoice, store: store)
        let rendered = try context.renderer().render(documentFormat, document)
        for warning in rendered.warnings {
            context.warn("invoice: warning: \(invoice.number ?? "draft \(invoice.id)"): \(warning)")
        }
        if !rendered.substitutions.isEmpty {
            context.warn("invoice: warning: \(invoice.number ?? "draft \(invoice.id)"): \(Printing.substitutionWarning(rendered))")
        }
        Context.writeOut(rendered.data)
    }

    /// After `invoice demo`: prints every demo invoice; returns the folder, or nil.
    static func printDemo(store: Store, context: Context) throws -> String? {
        let folder = defaultFolder(databasePath: store.path)
        let printing = Printing(databasePath: store.path, renderer: try context.renderer(), formats: DocumentFormat.allCases,
                                outputDirectory: URL(fileURLWithPath: folder))
        let report = try printing.run(InvoiceFilter(), warning: { problem in
            context.warn("invoice: warning: \(problem.invoice): \(problem.message)")
        })
        for failure in report.failures { context.warn("invoice: \(failure.invoice): \(failure.message)") }
        return folder
    }
}
