import Billing
import Documents
import EInvoice
import Foundation
import Store
import Workflows

/// The e-invoice options of `customer add|edit`, `new`/`edit` and `show`, read in one place.
enum EInvoiceOptions {
    /// `--buyer-reference REF` (BT-10, Leitweg-ID), `--electronic-address SCHEME:ID`, `--einvoice none|facturx|xrechnung-cii|ubl|default`.
    static let customerOptions: [Option] = [
        .value("--buyer-reference", "REF", "the buyer's reference on its e-invoices (BT-10, e.g. a Leitweg-ID)"),
        .value("--electronic-address", "SCHEME:ID", "the buyer's electronic address (BT-49, e.g. 0088:4000001000005)"),
        .value("--einvoice", "FORMAT", "what its invoice mails carry (default: by the buyer's country)",
               completion: .choices(["none", "facturx", "xrechnung-cii", "ubl", "default"])),
    ]

    static let draftOptions: [Option] = [
        .value("--tax-category", "CODE", "the VAT category (UNTDID 5305)",
               completion: .choices(["S", "Z", "E", "AE", "K", "G", "O"])),
        .value("--exemption-reason", "TEXT", "why no VAT is charged (categories E, AE, K, G, O)"),
    ]

    static func readCustomer(_ args: Arguments, into customer: inout Customer) throws {
        if let value = try args.option("--buyer-reference") { customer.buyerReference = value }
        if let value = try args.option("--electronic-address") { customer.electronicAddress = value }
        if let value = try args.option("--einvoice") {
            customer.eInvoice = value == "default" ? nil : try EInvoiceFormat(parsing: value)
        }
    }

    /// `--tax-category CODE [--exemption-reason TEXT]`.
    static func readTaxCategory(_ args: Arguments, into draft: inout InvoiceDraft) throws {
        if let code = try args.option("--tax-category") { draft.vatCategory = try VATCategory(code: code) }
        draft.exemptionReason = try args.option("--exemption-reason")
    }

    /// On stderr: the usual category for these parties, when it differs from the invoice's (never applied).
    static func hint(for invoice: Invoice, store: Store, context: Context) throws {
        let customer = try store.customer(id: invoice.customerID)
        if let hint = invoice.vatCategoryHint(seller: try store.loadOperator(), buyer: customer) {
            context.warn("invoice: hint: \(hint)")
        }
    }

    /// `show NUMBER --xml cii|ubl`: the e-invoice XML on stdout.
    static func writeXML(_ syntaxName: String, invoice: Invoice, store: Store) throws {
        let syntax: EInvoiceSyntax
        do { syntax = try EInvoiceSyntax(parsing: syntaxName) } catch { throw UsageError("--xml takes cii or ubl", command: "show") }
        Context.writeOut(Data(syntax.xml(try EInvoicing.eInvoice(for: invoice, store: store))))
    }

    /// `show NUMBER --facturx`: the Factur-X PDF (PDF/A-3b with the CII inside) on stdout.
    static func writeFacturX(invoice: Invoice, store: Store, context: Context) throws {
        let document = try Printing.document(for: invoice, store: store)
        let (data, substitutions) = try EInvoicing.facturX(for: document, renderer: try context.renderer(), store: store)
        if !substitutions.isEmpty {
            let summary = substitutions.map { "'\($0.original)' as '\($0.replacement)'" }.joined(separator: ", ")
            context.warn("invoice: warning: \(invoice.number ?? "draft \(invoice.id)"): the PDF shows \(summary)")
        }
        Context.writeOut(Data(data))
    }

    /// The e-invoice fields of a customer, for `customer show --json`.
    static func customerJSON(_ c: Customer) -> [(String, JSON)] { Presenter.customerEInvoice(c) }
}
