import Billing
import Store

enum CatalogCommand {
    static func run(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let action = try args.positional("action (add-plan, add-module, reprice, list or edit)")
        if action == "reprice" { return try RepriceCommand.run(args, context) }
        let store = try context.openStore()
        switch action {
        case "add-plan", "add-module":
            let kind: ProductKind = action == "add-plan" ? .plan : .module
            let name = try args.positional("\(kind.rawValue) name")
            guard let currencyCode = try args.option("--currency") else {
                throw UsageError("\(action) needs --currency", command: "catalog")
            }
            let currency = try Currency(code: currencyCode)
            let free = args.flag("--free")
            let monthly = try args.option("--monthly").map { try Money(parsing: $0, currency: currency, field: "monthly price") }
            let yearly = try args.option("--yearly").map { try Money(parsing: $0, currency: currency, field: "yearly price") }
            let onetime = try kind == .module
                ? args.option("--onetime").map { try Money(parsing: $0, currency: currency, field: "one-time price") } : nil
            guard let vatText = try args.option("--vat") else { throw UsageError("\(action) needs --vat RATE", command: "catalog") }
            let vat = try Percentage(parsing: vatText, field: "VAT rate")
            if !free && monthly == nil && yearly == nil && onetime == nil {
                throw UsageError("\(action) needs --monthly and --yearly prices (or --free)", command: "catalog")
            }
            let gross = args.flag("--gross")
            let trialText = try args.option("--trial-days")
            let description = try args.option("--description")
            try args.finish()
            var product = (try? store.product(kind, reference: name)) ?? Product(id: 0, kind: kind, name: name)
            if let trialText {
                guard let days = Int(trialText), days >= 0 else { throw BillingError("trial days '\(trialText)' must be a whole number ≥ 0") }
                product.trialDays = days
            }
            if let description { product.description = description }
            if free { product.isFree = true }
            product.prices = [ProductPrice(currency: currency, monthly: monthly, yearly: yearly, onetime: onetime,
                                           vatRate: vat, isGross: gross)]
            let stored = try store.saveProduct(product)
            context.json ? context.emit(Presenter.product(stored)) : context.emit(String(stored.id))
        case "edit":
            let kindText = try args.positional("plan or module")
            guard let kind = ProductKind(rawValue: kindText) else { throw UsageError("say plan or module, not '\(kindText)'", command: "catalog") }
            var product = try store.product(kind, reference: try args.positional("name"))
            if let v = try args.option("--description") { product.description = v }
            if let v = try args.option("--trial-days") {
                guard let days = Int(v), days >= 0 else { throw BillingError("trial days '\(v)' must be a whole number ≥ 0") }
                product.trialDays = days
            }
            if let v = try args.option("--rename") { product.name = v }
            if args.flag("--free") { product.isFree = true }
            if args.flag("--not-free") { product.isFree = false }
            if args.flag("--inactive") { product.isActive = false }
            if args.flag("--active") { product.isActive = true }
            try args.finish()
            product.prices = []
            let stored = try store.saveProduct(product)
            context.json ? context.emit(Presenter.product(stored)) : context.emit("updated \(kind.rawValue) \(stored.name)")
        case "list":
            try args.finish()
            let products = try store.products()
            if context.json {
                context.emit(.array(products.map(Presenter.product)))
            } else {
                for p in products {
                    let flags = [p.isFree ? "free" : nil, p.trialDays > 0 ? "trial \(p.trialDays)d" : nil, p.isActive ? nil : "inactive"]
                        .compactMap { $0 }.joined(separator: ", ")
                    context.emit("\(p.kind.rawValue.padding(7))\(String(p.id).padding(4))\(p.name)\(flags.isEmpty ? "" : "  (\(flags))")")
                    for price in p.prices {
                        let parts = [price.monthly.map { "monthly \($0.decimalString)" }, price.yearly.map { "yearly \($0.decimalString)" },
                                     price.onetime.map { "one-time \($0.decimalString)" }].compactMap { $0 }
                        context.emit("           \(price.currency.code) \(parts.joined(separator: ", ")), VAT \(price.vatRate)% \(price.isGross ? "incl." : "excl.")")
                    }
                }
            }
        default:
            throw UsageError("unknown action '\(action)'", command: "catalog")
        }
    }
}
