/// A postal address as invoices and QR bills need it (structured, never one free-text blob).
public struct Address: Sendable, Hashable {
    public var street: String
    public var building: String
    public var postcode: String
    public var town: String
    public var country: Country

    public init(street: String = "", building: String = "", postcode: String = "", town: String = "", country: Country) {
        self.street = street
        self.building = building
        self.postcode = postcode
        self.town = town
        self.country = country
    }
}

/// A paying customer of the operator.
public struct Customer: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var company: String
    public var contact: String
    public var address: Address
    public var email: String
    public var vatID: String
    public var currency: Currency
    public var language: Language
    public var billingInfo: String
    public var isActive: Bool

    public init(id: Int64, company: String, contact: String = "", address: Address, email: String, vatID: String = "",
                currency: Currency, language: Language, billingInfo: String = "", isActive: Bool = true) {
        self.id = id
        self.company = company
        self.contact = contact
        self.address = address
        self.email = email
        self.vatID = vatID
        self.currency = currency
        self.language = language
        self.billingInfo = billingInfo
        self.isActive = isActive
    }

    /// Checks every field the way the command line and the demo feed them.
    public func validated() throws -> Customer {
        var copy = self
        copy.company = try TextField.singleLine(company, field: "company name", required: true,
                                                maxLength: AddressLimits.name)
        copy.contact = try TextField.singleLine(contact, field: "contact person", maxLength: AddressLimits.name)
        copy.address.street = try TextField.singleLine(address.street, field: "street", maxLength: AddressLimits.street)
        copy.address.building = try TextField.singleLine(address.building, field: "building number",
                                                         maxLength: AddressLimits.building)
        copy.address.postcode = try TextField.singleLine(address.postcode, field: "postcode",
                                                         maxLength: AddressLimits.postcode)
        copy.address.town = try TextField.singleLine(address.town, field: "town", maxLength: AddressLimits.town)
        copy.email = try TextField.email(email, field: "billing email")
        copy.vatID = try TextField.singleLine(vatID, field: "VAT id", maxLength: 32)
        copy.billingInfo = try TextField.multiLine(billingInfo, field: "billing info")
        return copy
    }
}

/// A person at a customer. Only these four fields are editable.
public struct User: Sendable, Hashable, Identifiable {
    public var id: Int64
    public var customerID: Int64
    public var salutation: String
    public var firstName: String
    public var surname: String
    public var email: String

    public init(id: Int64, customerID: Int64, salutation: String = "", firstName: String, surname: String, email: String) {
        self.id = id
        self.customerID = customerID
        self.salutation = salutation
        self.firstName = firstName
        self.surname = surname
        self.email = email
    }

    public var fullName: String {
        [salutation, firstName, surname].filter { !$0.isEmpty }.joined(separator: " ")
    }

    public func validated() throws -> User {
        var copy = self
        copy.salutation = try TextField.singleLine(salutation, field: "salutation", maxLength: 40)
        copy.firstName = try TextField.singleLine(firstName, field: "first name", required: true)
        copy.surname = try TextField.singleLine(surname, field: "surname", required: true)
        copy.email = try TextField.email(email, field: "user email")
        return copy
    }
}
