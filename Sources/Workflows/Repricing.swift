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

    public func reprice(productReference: String, currency: Currency, monthly: Money?, yearly: Money?, existing: Bool) throws -> Outcome {
        try store.write {
            guard monthly != nil || yearly != nil else { throw WorkflowError("give --monthly and/or --yearly") }
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
            product.prices = [price]
            let stored = try store.saveProduct(product)
            let moved = existing ? try store.repriceBookings(productID: product.id, currency: currency, monthly: monthly, yearly: yearly) : 0
            func change(_ label: String, _ from: Money?, _ to: Money?) -> String? {
                guard let to else { return nil }
                return "\(label) \(from?.decimalString ?? "-") → \(to.decimalString)"
            }
            let changes = [change("monthly", old.monthly, monthly), change("yearly", old.yearly, yearly)].compactMap { $0 }
            var message = "\(product.name) \(product.kind.rawValue) in \(currency.code): \(changes.joined(separator: ", ")) for new bookings"
            message += existing
                ? "; moves \(moved) existing booking\(moved == 1 ? "" : "s") to it from the next renewal (noted on that invoice)"
                : "; existing bookings keep their price (add --existing to move them from their next renewal)"
            return Outcome(product: stored, moved: moved, message: message)
        }
    }
}

/// Owns or uses a database connection that belongs to one thread of work.
@available(*, unavailable)
extension Repricing: Sendable {}
