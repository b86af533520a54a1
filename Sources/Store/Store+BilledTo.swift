import Billing
import Foundation
import Database

/// The customer and addressee an issued invoice was made out to, frozen when it was issued: an
/// accounting record keeps the address it was sent to, whatever the customer's record says later.
extension Store {
    struct BilledTo: Codable {
        var company, contact, street, building, postcode, town, country, email, vatID, currency, language, billingInfo: String
        var addressee: Person?
        /// E-invoice fields (absent in snapshots from before them).
        var buyerReference, electronicAddress, eInvoice: String?

        struct Person: Codable {
            var id: Int64
            var salutation, firstName, surname, email: String
        }
    }

    /// Freezes the invoice's recipient as it is now; called in the transaction that issues it.
    public func recordBilledTo(invoiceID: Int64, customer: Customer, addressee: User?) throws {
        let snapshot = BilledTo(
            company: customer.company, contact: customer.contact, street: customer.address.street,
            building: customer.address.building, postcode: customer.address.postcode, town: customer.address.town,
            country: customer.address.country.code, email: customer.email, vatID: customer.vatID,
            currency: customer.currency.code, language: customer.language.rawValue, billingInfo: customer.billingInfo,
            addressee: addressee.map { .init(id: $0.id, salutation: $0.salutation, firstName: $0.firstName,
                                               surname: $0.surname, email: $0.email) },
            buyerReference: customer.buyerReference, electronicAddress: customer.electronicAddress,
            eInvoice: customer.eInvoice?.rawValue)
        let json = String(decoding: try JSONEncoder().encode(snapshot), as: UTF8.self)
        try write { try connection.run("UPDATE invoices SET billed_to = ? WHERE id = ?", [.text(json), .integer(invoiceID)]) }
    }

    /// Whom `invoice` is made out to: as frozen at issue, or (drafts, invoices from before this was
    /// recorded) the customer and addressee as they are now.
    public func billedTo(_ invoice: Invoice) throws -> (customer: Customer, addressee: User?) {
        try guarded {
            let stored = try connection.first("SELECT billed_to FROM invoices WHERE id = ?", [.integer(invoice.id)]) {
                $0.optionalText(0)
            } ?? nil
            guard let stored, let snapshot = try? JSONDecoder().decode(BilledTo.self, from: Data(stored.utf8)) else {
                return (try customer(id: invoice.customerID), try invoice.userID.map { try user(id: $0) })
            }
            var customer = Customer(
                id: invoice.customerID, company: snapshot.company, contact: snapshot.contact,
                address: Address(street: snapshot.street, building: snapshot.building, postcode: snapshot.postcode,
                                 town: snapshot.town, country: try Country(code: snapshot.country)),
                email: snapshot.email, vatID: snapshot.vatID, currency: try Currency(code: snapshot.currency),
                language: try Language(code: snapshot.language), billingInfo: snapshot.billingInfo)
            customer.buyerReference = snapshot.buyerReference ?? ""
            customer.electronicAddress = snapshot.electronicAddress ?? ""
            customer.eInvoice = try snapshot.eInvoice.flatMap { $0.isEmpty ? nil : try EInvoiceFormat(parsing: $0) }
            let addressee = snapshot.addressee.map {
                User(id: $0.id, customerID: invoice.customerID, salutation: $0.salutation, firstName: $0.firstName,
                     surname: $0.surname, email: $0.email)
            }
            return (customer, addressee)
        }
    }
}
