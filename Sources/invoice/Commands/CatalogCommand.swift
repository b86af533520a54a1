import Billing
import Store
import Workflows

enum CatalogCommand {
    static func priceOptions(onetime: Bool) -> [Option] {
        [.value("--currency", "CUR", "the currency of these prices (repeat the command for more currencies)", required: true),
         .value("--monthly", "A", "the monthly price"),
         .value("--yearly", "A", "the yearly price")]
        + (onetime ? [.value("--onetime", "A", "a one-time price")] : [])
        + [.value("--vat", "RATE", "the VAT rate in percent", required: true),
           .flag("--gross", "the prices include VAT"),
           .value("--trial-days", "N", "days of a free trial"),
           .flag("--free", "free of charge"),
           .value("--description", "TEXT", "a description")]
    }

    static let kindArgument = Argument("KIND", "plan or module", completion: .choices(["plan", "module"]))

    static let command = Command(
        name: "catalog", summary: "plans and modules with per-currency prices",
        discussion: """
            Prices for more currencies: repeat add-plan or add-module with another --currency.
            --gross means prices include VAT.
            """,
        subcommands: [
            Command(name: "add-plan", summary: "add a plan, or its prices in another currency; prints its id",
                    arguments: [Argument("NAME", "the plan's name")], options: priceOptions(onetime: false),
                    examples: ["invoice catalog add-plan Business --currency CHF --monthly 99.00 --yearly 990.00 --vat 8.1"],
                    run: { try add(.plan, $0, $1) }),
            Command(name: "add-module", summary: "add a module, or its prices in another currency; prints its id",
                    arguments: [Argument("NAME", "the module's name")], options: priceOptions(onetime: true),
                    run: { try add(.module, $0, $1) }),
            Command(name: "edit", summary: "change a plan or module (not its prices)",
                    arguments: [kindArgument, Argument("NAME", "its name or id")],
                    options: [.value("--description", "TEXT", "a description"),
                              .value("--trial-days", "N", "days of a free trial"),
                              .value("--rename", "NAME", "a new name"),
                              .flag("--free", "free of charge"), .flag("--not-free", "no longer free"),
                              .flag("--active", "offer it again"), .flag("--inactive", "stop offering it")],
                    exclusive: [ExclusiveGroup(["--free", "--not-free"]), ExclusiveGroup(["--active", "--inactive"])],
                    run: edit),
            Command(name: "reprice", summary: "new prices for new bookings; --existing moves running ones from their next renewal",
                    arguments: [Argument("PRODUCT", "the plan's or module's name or id")],
                    options: [.value("--currency", "CUR", "the currency of the prices", required: true),
                              .value("--monthly", "A", "the new monthly price"),
                              .value("--yearly", "A", "the new yearly price"),
                              .flag("--existing", "also move running bookings, from their next renewal (noted on that invoice)"),
                              .value("--vat", "RATE", "a new VAT rate (a law change): every period from --from on, running bookings included"),
                              .value("--from", "D", "the first day of the new VAT rate (default today)")],
                    examples: ["invoice catalog reprice Business --currency CHF --monthly 109.00 --yearly 1090.00 --existing",
                               "invoice catalog reprice Business --currency CHF --vat 8.5 --from 2028-01-01"],
                    run: RepriceCommand.run),
            Command(name: "list", summary: "every plan and module with its prices", run: list),
        ])

    static func add(_ kind: ProductKind, _ args: Arguments, _ context: Context) throws {
        let action = args.command.name
        let name = try args.positional("NAME")
        guard let currencyCode = try args.option("--currency") else { throw args.usageError("\(action) needs --currency") }
        let currency = try Currency(code: currencyCode)
        let free = args.flag("--free")
        let monthly = try args.option("--monthly").map { try Money(parsing: $0, currency: currency, field: "monthly price") }
        let yearly = try args.option("--yearly").map { try Money(parsing: $0, currency: currency, field: "yearly price") }
        let onetime = try kind == .module
            ? args.option("--onetime").map { try Money(parsing: $0, currency: currency, field: "one-time price") } : nil
        guard let vatText = try args.option("--vat") else { throw args.usageError("\(action) needs --vat RATE") }
        let vat = try Percentage(parsing: vatText, field: "VAT rate")
        if !free && monthly == nil && yearly == nil && onetime == nil {
            throw args.usageError("\(action) needs --monthly and --yearly prices (or --free)")
        }
        let gross = args.flag("--gross")
        let trialText = try args.option("--trial-days")
        let description = try args.option("--description")
        let store = try context.openStore()
        var product = (try? store.product(kind, reference: name)) ?? Product(id: 0, kind: kind, name: name)
        // Adding is not changing: existing prices belong to bookings (SPEC §1); say which command changes them.
        if product.id != 0, let price = product.prices.first(where: { $0.currency == currency }) {
            let amounts = [price.monthly.map { "monthly \($0.decimalString)" }, price.yearly.map { "yearly \($0.decimalString)" },
                           price.onetime.map { "one-time \($0.decimalString)" }].compactMap { $0 }.joined(separator: ", ")
            throw CommandFailure(message: "the \(kind.rawValue) \(product.name) already has prices in \(currency.code) (\(amounts), VAT \(price.vatRate)%); change them with invoice catalog reprice \(product.name) --currency \(currency.code) --monthly A --yearly A (or --vat RATE --from D), and description or trial days with invoice catalog edit \(product.name)")
        }
        if let trialText { product.trialDays = try trialDays(trialText) }
        if let description { product.description = description }
        if free { product.isFree = true }
        product.prices = [ProductPrice(currency: currency, monthly: monthly, yearly: yearly, onetime: onetime,
                                       vatRate: vat, isGross: gross)]
        let stored = try store.saveProduct(product)
        context.json ? context.emit(Presenter.product(stored)) : context.emit(String(stored.id))
    }

    static func trialDays(_ text: String) throws -> Int {
        guard let days = Int(text), days >= 0 else { throw BillingError("trial days '\(text)' must be a whole number ≥ 0") }
        return days
    }

    static func edit(_ args: Arguments, _ context: Context) throws {
        let kindText = try args.positional("KIND")
        guard let kind = ProductKind(rawValue: kindText) else { throw args.usageError("say plan or module, not '\(kindText)'") }
        let store = try context.openStore()
        var product = try store.product(kind, reference: try args.positional("NAME"))
        if let v = try args.option("--description") { product.description = v }
        if let v = try args.option("--trial-days") { product.trialDays = try trialDays(v) }
        if let v = try args.option("--rename") { product.name = v }
        if args.flag("--free") { product.isFree = true }
        if args.flag("--not-free") { product.isFree = false }
        if args.flag("--inactive") { product.isActive = false }
        if args.flag("--active") { product.isActive = true }
        product.prices = []
        let stored = try store.saveProduct(product)
        context.json ? context.emit(Presenter.product(stored)) : context.emit("updated \(kind.rawValue) \(stored.name)")
    }

    static func list(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
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
    }
}
