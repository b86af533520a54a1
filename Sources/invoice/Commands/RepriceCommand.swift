import Billing
import Workflows

/// `invoice catalog reprice PRODUCT --currency CUR [--monthly A] [--yearly A] [--existing]`.
enum RepriceCommand {
    static func run(_ arguments: Arguments, _ context: Context) throws {
        let args = arguments
        let name = try args.positional("PRODUCT")
        guard let code = try args.option("--currency") else { throw args.usageError("reprice needs --currency CUR") }
        let currency = try Currency(code: code)
        let monthly = try args.option("--monthly").map { try Money(parsing: $0, currency: currency, field: "monthly price") }
        let yearly = try args.option("--yearly").map { try Money(parsing: $0, currency: currency, field: "yearly price") }
        let existing = args.flag("--existing")
        let vat = try args.option("--vat").map { try Percentage(parsing: $0, field: "VAT rate") }
        let from = try args.option("--from").map { text in
            do { return try Day(parsing: text) } catch { throw args.usageError("--from: \(error)") }
        }
        guard monthly != nil || yearly != nil || vat != nil else {
            throw args.usageError("reprice needs --monthly A and/or --yearly A, or --vat RATE [--from D]")
        }
        let outcome = try Repricing(store: try context.openStore())
            .reprice(productReference: name, currency: currency, monthly: monthly, yearly: yearly, existing: existing,
                     vat: vat, vatFrom: from, today: context.today)
        if context.json {
            context.emit(.object([("product", .string(outcome.product.name)), ("kind", .string(outcome.product.kind.rawValue)),
                                  ("currency", .string(currency.code)), ("moved", .int(Int64(outcome.moved))),
                                  ("message", .string(outcome.message))]))
        } else {
            context.emit(outcome.message)
        }
    }
}
