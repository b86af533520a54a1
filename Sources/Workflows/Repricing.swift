import Billing
import Store

/// `catalog reprice`: a new catalog price for a product in one currency. New bookings get it at once;
/// existing bookings keep the price they were bought at unless the operator moves them explicitly
/// (`existing`), and then only from their next renewal, with a note on that invoice (SPEC §1).
public struct Repricing {
    let store: Store

    public init(store: Store) { self.store = store }

    public struct Outcome: Sendable {
        public var product: Product
        public var moved: Int
        public var message: String
    }

    /// With `vat`, a VAT rate change (a law change) from `vatFrom` (today by default): every period that
    /// starts on or after that day is invoiced at the new rate — running bookings too, whatever price they
    /// were bought at, with a note on their next invoice — and the catalog takes the new rate once the
    /// day has come (new bookings before it are invoiced at the old rate for periods before the day).
    public func reprice(productReference: String, currency: Currency, monthly: Money?, yearly: Money?, existing: Bool,
                        vat: Percentage? = nil, vatFrom: Day? = nil, today: Day? = nil) throws -> Outcome {
        try store.write {
            guard monthly != nil || yearly != nil || vat != nil else { throw WorkflowError("give --monthly and/or --yearly, or --vat") }
            guard vatFrom == nil || vat != nil else { throw WorkflowError("--from dates a VAT change: give --vat RATE with it") }
            var product: Product
            do { product = try store.product(.plan, reference: productReference) } catch {
                product = try store.product(.module, reference: productReference)
            }
            guard let index = product.prices.firstIndex(where: { $0.currency == currency }) else {
                throw WorkflowError("the \(product.kind.rawValue) \(product.name) has no price in \(currency.code); add one with catalog add-\(product.kind.rawValue)")
            }
            var price = product.prices[index]
            let old = price
            if let monthly { price.monthly = monthly }
            if let yearly { price.yearly = yearly }
            var vatText = ""
            if let vat {
                guard let day = vatFrom ?? today else { throw WorkflowError("a VAT change needs its first day (--from YYYY-MM-DD)") }
                let previous = try store.vatChange(productID: product.id, currency: currency)?.rate ?? old.vatRate
                try store.setVATChange(VATChange(rate: vat, from: day), productID: product.id, currency: currency)
                if let today, day <= today { price.vatRate = vat }
                let running = try store.runningBookingCount(productID: product.id, currency: currency)
                vatText = "VAT \(previous)% → \(vat)% for every period from \(day) on, the \(running) running booking\(running == 1 ? "" : "s") included (noted on their next invoice)"
            }
            product.prices = [price]
            let stored = try store.saveProduct(product)
            let moved = existing ? try store.repriceBookings(productID: product.id, currency: currency, monthly: monthly, yearly: yearly) : 0
            if monthly == nil && yearly == nil {
                return Outcome(product: stored, moved: 0, message: "\(product.name) \(product.kind.rawValue) in \(currency.code): " + vatText)
            }
            func change(_ label: String, _ from: Money?, _ to: Money?) -> String? {
                guard let to else { return nil }
                return "\(label) \(from?.decimalString ?? "-") → \(to.decimalString)"
            }
            let changes = [change("monthly", old.monthly, monthly), change("yearly", old.yearly, yearly)].compactMap { $0 }
            var message = "\(product.name) \(product.kind.rawValue) in \(currency.code): \(changes.joined(separator: ", ")) for new bookings"
            message += existing
                ? "; moves \(moved) existing booking\(moved == 1 ? "" : "s") to it from the next renewal (noted on that invoice)"
                : "; existing bookings keep their price (add --existing to move them from their next renewal)"
            if !vatText.isEmpty { message += "; " + vatText }
            return Outcome(product: stored, moved: moved, message: message)
        }
    }
}

/// Owns or uses a database connection that belongs to one thread of work.
@available(*, unavailable)
extension Repricing: Sendable {}
