import Billing
import Store

/// Adding and changing customers and their users, with their events, in one transaction each: the
/// command line (`customer add|edit`, `user add`) and the API (`POST|PATCH /v1/customers…`) take this
/// one path.
public struct Customers {
    public let store: Store

    public init(store: Store) { self.store = store }

    /// Adds `customer`. With `externalID` (the operator's app's own id, unique): a customer that already
    /// has it is returned as it is (`created` false) and nothing is written.
    public func add(_ customer: Customer, externalID: String? = nil) throws -> (customer: Customer, created: Bool) {
        try store.write {
            if let externalID, let existing = try store.customerID(externalID: externalID) {
                return (try store.customer(id: existing), false)
            }
            let stored = try store.addCustomer(customer)
            if let externalID { try store.setExternalID(externalID, customerID: stored.id) }
            try EventLog(store: store).customer(.customerCreated, id: stored.id)
            return (stored, true)
        }
    }

    /// Stores the changed `customer` (and a new external id, if given).
    public func update(_ customer: Customer, externalID: String? = nil) throws -> Customer {
        try store.write {
            let stored = try store.updateCustomer(customer)
            if let externalID { try store.setExternalID(externalID, customerID: stored.id) }
            try EventLog(store: store).customer(.customerUpdated, id: stored.id)
            return stored
        }
    }

    /// Adds a user to its customer.
    public func addUser(_ user: User) throws -> User {
        try store.write {
            _ = try store.customer(id: user.customerID)
            let stored = try store.addUser(user)
            try EventLog(store: store).customer(.customerUpdated, id: stored.customerID)
            return stored
        }
    }
}
