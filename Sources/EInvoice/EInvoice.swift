import Billing

/// An invoice or credit note in the terms of EN 16931 (the semantic model both syntaxes share):
/// what CII and UBL write, each in its own vocabulary. Built from an issued invoice by
/// `EInvoice(_:)`; every amount is already checked against the standard's decimal rules.
public struct EInvoice: Sendable, Hashable {
    /// BT-3: 380 commercial invoice, 381 credit note.
    public enum DocumentType: String, Sendable, Hashable {
        case invoice = "380"
        case creditNote = "381"
    }

    /// BT-24: which rules the document follows beyond EN 16931 itself.
    public enum Specification: Sendable, Hashable {
        /// Factur-X/ZUGFeRD profile EN 16931 (CII) or Peppol BIS Billing 3 (UBL).
        case en16931
        /// XRechnung 3 (Germany's CIUS), chosen by the buyer's country and wish (`specification(for:)`).
        case xRechnung
    }

    /// Peppol's code list of electronic address schemes (EAS, Peppol BIS Billing 3.0.19, rule
    /// PEPPOL-EN16931-CL008): `EM` (email) is not among them.
    public static let peppolSchemes: Set<String> = Set("""
        0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0151 0177 0183 0184 0188 0190 0191 0192 0193 \
        0195 0196 0198 0199 0200 0201 0202 0204 0208 0209 0210 0211 0212 0213 0215 0216 0218 0221 0230 0235 9910 \
        9913 9914 9915 9918 9919 9920 9922 9923 9924 9925 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 \
        9937 9938 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951 9952 9953 9957 9959 0147 0154 \
        0158 0170 0194 0203 0205 0217 0225 0240
        """.split(separator: " ").map(String.init))

    /// Why this document cannot be a Peppol BIS Billing 3 UBL (then UBL claims plain EN 16931); empty when
    /// it can. Peppol wants both electronic addresses from its EAS list (PEPPOL-EN16931-R010/R020, CL008),
    /// and of a German seller what Germany's national rules want (DE-R-001…009, DE-R-015).
    public var peppolProblems: [String] {
        var problems: [String] = []
        if let address = seller.electronicAddress, EInvoice.peppolSchemes.contains(address.scheme) {} else {
            problems.append("the seller has no Peppol electronic address (BT-34): invoice settings set electronic_address SCHEME:ID")
        }
        if let address = buyer.electronicAddress, EInvoice.peppolSchemes.contains(address.scheme) {} else {
            problems.append("the buyer has no Peppol electronic address (BT-49): invoice customer edit --electronic-address SCHEME:ID")
        }
        if seller.address.country == "DE" {
            if seller.address.town.isEmpty { problems.append("the seller city (BT-37, DE-R-003)") }
            if seller.address.postcode.isEmpty { problems.append("the seller post code (BT-38, DE-R-004)") }
            if (seller.contact?.phone ?? "").filter(\.isNumber).count < 3 { problems.append("the seller telephone (BT-42, DE-R-006)") }
            if (seller.contact?.email ?? "").isEmpty { problems.append("the seller email (BT-43, DE-R-007)") }
            if payment == nil { problems.append("payment instructions (BG-16, DE-R-001)") }
            if buyer.address.town.isEmpty { problems.append("the buyer city (BT-52, DE-R-008)") }
            if buyer.address.postcode.isEmpty { problems.append("the buyer post code (BT-53, DE-R-009)") }
        }
        return problems
    }

    /// BT-10 as both syntaxes write it: Peppol wants a buyer reference or a purchase order (PEPPOL-EN16931-R003; a
    /// German seller: the buyer reference, DE-R-015); without the buyer's own, the customer number the
    /// printed invoice shows (BT-46) stands in, so the buyer can still route it.
    public var statedBuyerReference: String {
        if !buyerReference.isEmpty || specification == .xRechnung || !purchaseOrder.isEmpty && seller.address.country != "DE" {
            return buyerReference
        }
        return buyer.identifier
    }

    /// A postal address (BG-5, BG-8).
    public struct Address: Sendable, Hashable {
        public var line: String
        public var town: String
        public var postcode: String
        public var country: String
    }

    /// An electronic address (BT-34, BT-49) with its EAS scheme (`EM` for email, `0204` Leitweg-ID, `9930` …).
    public struct ElectronicAddress: Sendable, Hashable {
        public var scheme: String
        public var value: String
    }

    /// A contact (BG-6, BG-9).
    public struct Contact: Sendable, Hashable {
        public var name: String
        public var phone: String
        public var email: String
    }

    /// Seller (BG-4) or buyer (BG-7).
    public struct Party: Sendable, Hashable {
        public var name: String
        /// BT-29: an identifier of the seller (used when the VAT id may not appear, category O).
        public var identifier: String
        /// BT-31 / BT-48.
        public var vatID: String
        public var address: Address
        public var electronicAddress: ElectronicAddress?
        public var contact: Contact?
    }

    /// A line allowance (BG-27): the line's discount.
    public struct Allowance: Sendable, Hashable {
        /// BT-138; nil where base × percentage would not give the amount exactly (currency rounding).
        public var percent: Percentage?
        /// BT-137; nil with the percentage.
        public var base: Money?
        public var amount: Money
    }

    /// An invoice line (BG-25).
    public struct Line: Sendable, Hashable {
        public var id: String
        public var name: String
        public var description: String
        /// BT-129, signed: a credit line has a negative quantity, since prices may not be negative (BR-27).
        public var quantity: DecimalNumber
        /// BT-130: UN/ECE Recommendation 20 code.
        public var unitCode: String
        /// BT-146 as a decimal string, never negative.
        public var netPrice: String
        /// BT-149: the quantity the price is for (gross invoices: the whole line's net for its whole quantity).
        public var baseQuantity: DecimalNumber?
        public var allowance: Allowance?
        /// BT-131.
        public var netAmount: Money
        public var category: VATCategory
        /// BT-152; nil for category O.
        public var rate: Percentage?
        /// BG-26: the period this line bills (BT-134 start, BT-135 end), when it bills one.
        public var periodStart: Day? = nil
        public var periodEnd: Day? = nil
    }

    /// One VAT breakdown (BG-23): per category and rate.
    public struct VATBreakdown: Sendable, Hashable {
        public var category: VATCategory
        public var rate: Percentage?
        public var taxable: Money
        public var tax: Money
        public var exemptionReason: String
        public var exemptionReasonCode: String
    }

    /// The document totals (BG-22).
    public struct Totals: Sendable, Hashable {
        /// BT-106 Σ line net amounts.
        public var lineNet: Money
        /// BT-109 total without VAT.
        public var taxExclusive: Money
        /// BT-110 total VAT.
        public var tax: Money
        /// BT-112 total with VAT.
        public var taxInclusive: Money
        /// BT-113 paid in advance (customer credit applied).
        public var prepaid: Money
        /// BT-114 cash rounding.
        public var rounding: Money
        /// BT-115 amount due.
        public var payable: Money
    }

    /// Payment instructions (BG-16).
    public struct Payment: Sendable, Hashable {
        /// BT-81: 58 SEPA credit transfer, 30 credit transfer, 97 clearing between partners (a credit note,
        /// settled against the invoice it credits or the customer's credit balance).
        public var meansCode: String
        /// BT-83 remittance information: the QR or creditor reference, else the invoice number; empty for none.
        public var remittance: String
        /// BT-84; empty when nothing is to be paid into an account (clearing).
        public var iban: String
    }

    /// BG-3: the invoice a credit note corrects.
    public struct PrecedingInvoice: Sendable, Hashable {
        public var number: String
        public var issueDate: Day?
    }

    public var type: DocumentType
    public var specification: Specification
    /// BT-1.
    public var number: String
    /// BT-2.
    public var issueDate: Day
    /// BT-9.
    public var dueDate: Day?
    /// BT-5.
    public var currency: Currency
    /// BT-10.
    public var buyerReference: String
    /// BT-13: the buyer's purchase order, as the printed invoice shows it; empty for none.
    public var purchaseOrder: String = ""
    /// BT-22.
    public var notes: [String]
    /// BT-20: payment terms in words (a credit note says what it is settled against); empty for none.
    public var paymentTerms: String
    /// BG-14.
    public var period: (start: Day, end: Day)? { periodStart.flatMap { s in periodEnd.map { (s, $0) } } }
    public var periodStart: Day?
    public var periodEnd: Day?
    /// BG-3: for a credit note, the invoice it credits (BT-25 number, BT-26 issue date).
    public var precedingInvoice: PrecedingInvoice?
    /// BT-72: when the service was supplied (the issue date unless a period says more).
    public var deliveryDate: Day?
    /// BT-80: the country supplied to (stated for intra-community supplies, BR-IC-12).
    public var deliverToCountry: String
    public var seller: Party
    public var buyer: Party
    public var payment: Payment?
    public var lines: [Line]
    public var vatBreakdown: [VATBreakdown]
    public var totals: Totals

    /// A monetary amount as EN 16931 wants it: the document's decimals, at most two (BR-DEC);
    /// a three-decimal currency (KWD) is written with two when its last decimal is zero.
    public static func amountText(_ money: Money) -> String {
        if money.currency.exponent <= 2 { return money.decimalString }
        var minor = money.minorUnits
        var exponent = money.currency.exponent
        while exponent > 2 && minor % 10 == 0 { minor /= 10; exponent -= 1 }
        return DecimalNumber(significand: minor, scale: exponent).plainString
    }

    /// Whether `money` can be written with at most two decimals without changing its value.
    static func fitsTwoDecimals(_ money: Money) -> Bool {
        var minor = money.minorUnits.magnitude
        var exponent = money.currency.exponent
        while exponent > 2 {
            guard minor % 10 == 0 else { return false }
            minor /= 10
            exponent -= 1
        }
        return true
    }

    /// `20261011` (format 102, CII).
    static func compactDate(_ day: Day) -> String { day.description.filter { $0 != "-" } }
}

extension DecimalNumber {
    /// The exact value with all its decimals (1.50 stays 1.50), unlike `description`, which trims them.
    var plainString: String {
        let negative = significand < 0
        var digits = String(significand.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return negative ? "-" + digits : digits
    }
}
