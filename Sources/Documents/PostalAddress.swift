import Billing

/// Address lines in the order the destination country's post expects.
enum PostalAddress {
    /// Countries that write the building number before the street (`12 rue de la Paix`, `1 Main St`).
    static let numberFirst: Set<String> = ["FR", "US", "GB", "CA", "AU", "IE", "NZ"]
    /// Countries that write the town before the postcode (`Springfield 62701`).
    static let townFirst: Set<String> = ["US", "GB", "CA", "AU"]

    static func streetLine(street: String, building: String, country: Country?) -> String {
        guard !building.isEmpty else { return street }
        guard !street.isEmpty else { return building }
        return numberFirst.contains(country?.code ?? "") ? "\(building) \(street)" : "\(street) \(building)"
    }

    static func townLine(postcode: String, town: String, country: Country?) -> String {
        let parts = townFirst.contains(country?.code ?? "") ? [town, postcode] : [postcode, town]
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// Company, person, street, town, and the country's name when it differs from the sender's.
    static func recipientLines(customer: Customer, addressee: User?, senderCountry: Country?,
                               language: Language) -> [String] {
        let address = customer.address
        var lines = [customer.company]
        lines.append(addressee?.fullName ?? customer.contact)
        lines.append(streetLine(street: address.street, building: address.building, country: address.country))
        lines.append(townLine(postcode: address.postcode, town: address.town, country: address.country))
        if address.country != senderCountry {
            lines.append(countryName(address.country, language: language).uppercased())
        }
        return lines.filter { !$0.isEmpty }
    }

    static func countryName(_ country: Country, language: Language) -> String {
        guard let names = countryNames[country.code] else { return country.code }
        return switch language {
        case .en: names.0
        case .de: names.1
        case .fr: names.2
        case .it: names.3
        }
    }

    static let countryNames: [String: (String, String, String, String)] = [
        "CH": ("Switzerland", "Schweiz", "Suisse", "Svizzera"),
        "LI": ("Liechtenstein", "Liechtenstein", "Liechtenstein", "Liechtenstein"),
        "DE": ("Germany", "Deutschland", "Allemagne", "Germania"),
        "AT": ("Austria", "Österreich", "Autriche", "Austria"),
        "FR": ("France", "Frankreich", "France", "Francia"),
        "IT": ("Italy", "Italien", "Italie", "Italia"),
        "BE": ("Belgium", "Belgien", "Belgique", "Belgio"),
        "NL": ("Netherlands", "Niederlande", "Pays-Bas", "Paesi Bassi"),
        "LU": ("Luxembourg", "Luxemburg", "Luxembourg", "Lussemburgo"),
        "ES": ("Spain", "Spanien", "Espagne", "Spagna"),
        "GB": ("United Kingdom", "Vereinigtes Königreich", "Royaume-Uni", "Regno Unito"),
        "US": ("United States", "USA", "États-Unis", "Stati Uniti"),
        "CA": ("Canada", "Kanada", "Canada", "Canada"),
    ]
}
