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
    /// BT-10: the reference the buyer wants quoted (Germany's public buyers: the Leitweg-ID). With one,
    /// e-invoices follow XRechnung.
    public var buyerReference: String = ""
    /// BT-49: where the buyer receives e-invoices, `SCHEME:ID` (EAS code, e.g. `0204:991-12345-67`); empty: the email.
    public var electronicAddress: String = ""
    /// Which e-invoice the invoice mail carries; nil: the default for the customer's country.
    public var eInvoice: EInvoiceFormat? = nil

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
        copy.buyerReference = try TextField.singleLine(buyerReference, field: "buyer reference", maxLength: 100)
        copy.electronicAddress = try TextField.singleLine(electronicAddress, field: "electronic address", maxLength: 200)
        if let colon = copy.electronicAddress.firstIndex(of: ":") {
            let scheme = copy.electronicAddress[..<colon]
            guard scheme == "EM" || (scheme.count == 4 && scheme.allSatisfy({ $0.isASCII && $0.isNumber })),
                  copy.electronicAddress.index(after: colon) < copy.electronicAddress.endIndex
            else {
                throw BillingError("electronic address '\(copy.electronicAddress)' must be SCHEME:ID with a 4-digit EAS scheme (such as 0204:991-12345-67) or EM:address")
            }
        }
        // A buyer reference shaped like a Leitweg-ID, and a Leitweg-ID address (EAS 0204), must carry the
        // right check digits: a mistyped one means the invoice is never delivered.
        if LeitwegID.looksLikeOne(copy.buyerReference) {
            try LeitwegID.check(copy.buyerReference, field: "buyer reference")
        }
        if copy.electronicAddress.hasPrefix("0204:") {
            try LeitwegID.check(String(copy.electronicAddress.dropFirst(5)), field: "electronic address 0204")
        }
        if eInvoice == .xRechnungCII && copy.buyerReference.isEmpty {
            throw BillingError("--einvoice xrechnung-cii needs the buyer's reference (BT-10, XRechnung rule BR-DE-15; for public buyers the Leitweg-ID): add --buyer-reference REF")
        }
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


/// The e-invoice a customer receives with the invoice mail.
public enum EInvoiceFormat: String, Sendable, Hashable, CaseIterable {
    /// Only the printable PDF.
    case none
    /// The PDF as Factur-X/ZUGFeRD (PDF/A-3 with the CII inside).
    case facturX = "facturx"
    /// XRechnung CII XML beside the PDF.
    case xRechnungCII = "xrechnung-cii"
    /// UBL 2.1 XML (Peppol BIS Billing 3 / XRechnung UBL) beside the PDF.
    case ubl

    public init(parsing text: String) throws {
        guard let format = EInvoiceFormat(rawValue: text.lowercased()) else {
            throw BillingError("unknown e-invoice format '\(text)': use none, facturx, xrechnung-cii or ubl")
        }
        self = format
    }

    /// The default by country: XRechnung CII for German buyers with a buyer reference (Leitweg-ID),
    /// Factur-X/ZUGFeRD for Germany and France (where B2B e-invoicing is required), none elsewhere.
    public static func defaultFor(country: Country, buyerReference: String) -> EInvoiceFormat {
        switch country.code {
        case "DE" where !buyerReference.isEmpty: .xRechnungCII
        case "DE", "FR": .facturX
        default: EInvoiceFormat.none
        }
    }
}

extension Customer {
    /// The e-invoice this customer receives: the chosen one, else the default for the country.
    public var effectiveEInvoice: EInvoiceFormat {
        eInvoice ?? EInvoiceFormat.defaultFor(country: address.country, buyerReference: buyerReference)
    }
}
