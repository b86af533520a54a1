import Billing
import Store

/// Seeding for timing `invoice run` at scale (the run section and `invoice-bench seed-run`).
enum RunSeed: Sendable {
    /// Seeds `customers` customers in one transaction, each with a monthly plan whose paid period ends
    /// spread over the coming month (so a run on `today` invoices about renewal_days/30 of them), every
    /// tenth with a module trial ending around `today`. Catalog and settings are added if missing.
    static func seed(store: Store, customers: Int, today: Day) throws {
        try store.write {
            let eur = try Currency(code: "EUR")
            let vat = try Percentage(parsing: "19", field: "VAT")
            if try store.loadOperator().company.isEmpty {
                try store.setSetting("company", to: "Bench AG")
                try store.setSetting("payment_terms", to: "14")
            }
            let plan = try store.saveProduct(Product(id: 0, kind: .plan, name: "Bench Plan", trialDays: 0, prices: [
                ProductPrice(currency: eur, monthly: Money(minorUnits: 2900, currency: eur),
                             yearly: Money(minorUnits: 29000, currency: eur), vatRate: vat, isGross: false)]))
            let module = try store.saveProduct(Product(id: 0, kind: .module, name: "Bench Module", trialDays: 14, prices: [
                ProductPrice(currency: eur, monthly: Money(minorUnits: 500, currency: eur),
                             yearly: Money(minorUnits: 5000, currency: eur), vatRate: vat, isGross: false)]))
            let country = try Country(code: "DE")
            for index in 0..<customers {
                let customer = try store.addCustomer(Customer(
                    id: 0, company: "Bench Customer \(index)", contact: "",
                    address: Address(street: "", building: "", postcode: "", town: "", country: country),
                    email: "bench\(index)@example.com", vatID: "", currency: eur, language: .de, billingInfo: ""))
                let end = today.adding(days: index % 30)
                _ = try store.insertBooking(Booking(
                    customerID: customer.id, productID: plan.id, kind: .plan, productName: plan.name, cycle: .monthly,
                    status: .active, start: end.adding(months: -1).adding(days: 1), end: end))
                if index % 10 == 0 {
                    _ = try store.insertBooking(Booking(
                        customerID: customer.id, productID: module.id, kind: .module, productName: module.name, cycle: .trial,
                        status: .trial, start: today.adding(days: -14 + index % 5), end: today.adding(days: -1 + index % 5)))
                }
            }
        }
    }
}
