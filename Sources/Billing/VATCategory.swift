/// The VAT category of an invoice (UNCL 5305 codes as EN 16931 uses them).
///
/// S and Z charge VAT by rate (a line at 0 % is zero rated); the others charge none and need a reason
/// on the document: E exempt (the law's article), AE reverse charge, K intra-community supply,
/// G export outside the EU, O not subject to VAT.
public enum VATCategory: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case standard = "S"
    case zeroRated = "Z"
    case exempt = "E"
    case reverseCharge = "AE"
    case intraCommunity = "K"
    case export = "G"
    case outsideScope = "O"

    public init(code: String) throws {
        guard let category = VATCategory(rawValue: code.uppercased()) else {
            throw BillingError("unknown tax category '\(code)': use S, Z, E, AE, K, G or O")
        }
        self = category
    }

    public var code: String { rawValue }
    public var description: String { rawValue }

    /// S and Z: VAT by each line's rate. The others charge no VAT at all.
    public var chargesByRate: Bool { self == .standard || self == .zeroRated }

    /// Whether the operator must write the reason (E: the exemption's legal basis; G and O: why).
    public var needsReasonText: Bool { self == .exempt || self == .export || self == .outsideScope }

    /// Whether the seller's and the buyer's VAT ids must be on the document (EN 16931 BR-AE-02/03, BR-K-02/03).
    public var needsBothVATIDs: Bool { self == .reverseCharge || self == .intraCommunity }

    /// The VATEX code (CEF VAT exemption reason code list) that goes with the category, where one fits all cases.
    public var exemptionReasonCode: String? {
        switch self {
        case .reverseCharge: "VATEX-EU-AE"
        case .intraCommunity: "VATEX-EU-IC"
        case .export: "VATEX-EU-G"
        case .outsideScope: "VATEX-EU-O"
        case .standard, .zeroRated, .exempt: nil
        }
    }

    /// The note printed when the operator gives none (AE and K only: their wording is fixed by law).
    public func defaultReason(_ language: Language) -> String? {
        switch (self, language) {
        case (.reverseCharge, .en): "Reverse charge: VAT to be accounted for by the recipient (Art. 196 Directive 2006/112/EC)"
        case (.reverseCharge, .de): "Steuerschuldnerschaft des Leistungsempfängers (Reverse Charge, Art. 196 MwStSystRL)"
        case (.reverseCharge, .fr): "Autoliquidation (art. 196 de la directive 2006/112/CE)"
        case (.reverseCharge, .it): "Inversione contabile (art. 196 direttiva 2006/112/CE)"
        case (.intraCommunity, .en): "Exempt intra-Community supply (Art. 138 Directive 2006/112/EC)"
        case (.intraCommunity, .de): "Steuerfreie innergemeinschaftliche Lieferung (Art. 138 MwStSystRL)"
        case (.intraCommunity, .fr): "Livraison intracommunautaire exonérée (art. 138 de la directive 2006/112/CE)"
        case (.intraCommunity, .it): "Cessione intracomunitaria non imponibile (art. 138 direttiva 2006/112/CE)"
        default: nil
        }
    }

    /// EU member states (VAT area), by ISO 3166 code.
    public static let euMembers: Set<String> = [
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
        "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    ]

    /// The category the usual rules give for a SaaS (electronically supplied) service from a seller in
    /// `sellerCountry` to `buyer`, with the reason; nil when no rule here covers the pair.
    ///
    /// - Same country (Switzerland and Liechtenstein count as one VAT area): S.
    /// - EU seller, buyer in another member state with a VAT id: AE (Art. 44 and 196 Directive 2006/112/EC).
    /// - EU seller, buyer in another member state without a VAT id: S (Art. 58, charged via OSS).
    /// - EU seller, buyer outside the EU: O (Art. 44/59: supplied where the buyer is).
    /// - Swiss or Liechtenstein seller, business buyer in the EU with a VAT id: AE (reverse charge, Art. 196).
    /// - Swiss or Liechtenstein seller, other buyers abroad: O (Art. 8 para. 1 MWSTG: place of the recipient).
    public static func suggested(sellerCountry: Country?, buyer: Customer) -> (category: VATCategory, reason: String)? {
        guard let seller = sellerCountry?.code else { return nil }
        let buyerCountry = buyer.address.country.code
        let swiss: Set<String> = ["CH", "LI"]
        if seller == buyerCountry || (swiss.contains(seller) && swiss.contains(buyerCountry)) {
            return (.standard, "seller and buyer are both in \(buyerCountry)")
        }
        if euMembers.contains(seller) {
            if euMembers.contains(buyerCountry) {
                return buyer.vatID.isEmpty
                    ? (.standard, "a buyer in \(buyerCountry) without a VAT id pays \(buyerCountry) VAT (Art. 58 Directive 2006/112/EC, OSS)")
                    : (.reverseCharge, "a business buyer in \(buyerCountry) with VAT id \(buyer.vatID) accounts for the VAT (Art. 196 Directive 2006/112/EC)")
            }
            return (.outsideScope, "a service to a buyer in \(buyerCountry), outside the EU, is supplied where the buyer is (Art. 44/59 Directive 2006/112/EC)")
        }
        if swiss.contains(seller) {
            // A business buyer in the EU accounts for its own country's VAT on the service (the seller is
            // not registered there): charging that country's VAT under a Swiss VAT number is the mistake.
            if euMembers.contains(buyerCountry) && !buyer.vatID.isEmpty {
                return (.reverseCharge, "a business buyer in \(buyerCountry) with VAT id \(buyer.vatID) accounts for the VAT on services from abroad: reverse charge, the usual case for B2B services (Art. 196 Directive 2006/112/EC; Art. 8 para. 1 MWSTG)")
            }
            return (.outsideScope, "a service to a buyer abroad is supplied where the buyer is (Art. 8 para. 1 MWSTG)")
        }
        return nil
    }
}

extension Invoice {
    /// The category agrees with the tax mode and the lines: S and Z charge VAT by rate (Z: every line at 0 %),
    /// the others charge none and carry their reason as the exemption note.
    func checkVATCategory() throws {
        guard let category = vatCategory else { return }
        let exempt: Bool
        if case .exempt = taxMode { exempt = true } else { exempt = false }
        if category.chargesByRate && exempt {
            throw BillingError("tax category \(category.code) charges VAT, but the invoice is exempt; choose --net or --gross")
        }
        if !category.chargesByRate && !exempt {
            throw BillingError("tax category \(category.code) charges no VAT and needs its reason: add --exemption-reason TEXT")
        }
        if category == .zeroRated, let line = lines.first(where: { !$0.vatRate.isZero }) {
            throw BillingError("tax category Z (zero rated) needs every line at 0 % VAT; line '\(line.title)' has \(line.vatRate) %")
        }
    }

    /// The invoice's category: the one chosen, else E for exempt invoices and S otherwise.
    public var effectiveVATCategory: VATCategory {
        if let vatCategory { return vatCategory }
        if case .exempt = taxMode { return .exempt }
        return .standard
    }

    /// The category of lines at `rate`: with S (or nothing chosen on a taxed invoice) a 0 % line is zero rated.
    public func vatCategory(forRate rate: Percentage) -> VATCategory {
        let category = effectiveVATCategory
        guard category.chargesByRate else { return category }
        return rate.isZero ? .zeroRated : .standard
    }

    /// What the category needs from the parties: AE and K the seller's and the buyer's VAT ids, S, Z, E and G
    /// the seller's (EN 16931 BR-S-02, BR-Z-02, BR-E-02, BR-G-02). Nil when everything is there.
    public func vatCategoryProblem(seller: Operator, buyer: Customer) -> String? {
        let category = effectiveVATCategory
        if category.needsBothVATIDs {
            var missing: [String] = []
            if seller.vatID.isEmpty { missing.append("the operator's VAT id (invoice settings set vat_id …)") }
            if buyer.vatID.isEmpty { missing.append("the customer's VAT id (invoice customer edit \(buyer.id) --vat-id …)") }
            if !missing.isEmpty {
                return "tax category \(category.code) needs \(missing.joined(separator: " and "))"
            }
        }
        return nil
    }

    /// A hint when the chosen category differs from the usual one for these parties (S and Z count as one).
    public func vatCategoryHint(seller: Operator, buyer: Customer) -> String? {
        guard let (suggested, reason) = VATCategory.suggested(sellerCountry: seller.country, buyer: buyer) else { return nil }
        let chosen = effectiveVATCategory
        if chosen == suggested || (chosen.chargesByRate && suggested.chargesByRate) { return nil }
        return "tax category \(chosen.code) chosen; \(suggested.code) is usual here: \(reason). Set it with --tax-category \(suggested.code) if it applies"
    }
}
