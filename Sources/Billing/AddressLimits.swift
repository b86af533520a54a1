/// The longest name and address parts that every document can carry unchanged: the Swiss QR-bill's
/// structured address (IG QR-bill 2.3, §4.3.2: name and street 70, building number and postcode 16,
/// town 35 characters), which are also within EN 16931's party fields. Input beyond them is refused
/// where customers and settings are accepted, never cut silently later.
public enum AddressLimits: Sendable {
    public static let name = 70
    public static let street = 70
    public static let building = 16
    public static let postcode = 16
    public static let town = 35

    /// The limit of an operator setting that is part of the seller's name or address.
    public static func limit(forSetting key: String) -> Int? {
        switch key {
        case "company": name
        case "street": street
        case "building": building
        case "postcode": postcode
        case "town": town
        default: nil
        }
    }
}
