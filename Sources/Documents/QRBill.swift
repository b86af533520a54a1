import Foundation
import Billing
import QRCode

/// The Swiss QR-bill of an invoice (Swiss Implementation Guidelines for the QR-bill 2.3): what the
/// QR code holds and what the payment part and the receipt print.
///
/// There is one only when the invoice is in CHF or EUR, something is still open (up to
/// 999 999 999.99), the seller has a CH or LI IBAN and a complete address. With a QR-IBAN
/// (institution id 30000–31999) the reference is a QR reference (QRR) made from the invoice
/// number; otherwise an ISO 11649 creditor reference (SCOR). Addresses are structured (type S).
public struct QRBill: Sendable, Hashable {
    public enum ReferenceType: String, Sendable, Hashable {
        case qrr = "QRR", scor = "SCOR", non = "NON"
    }

    /// A structured (type S) address.
    public struct Party: Sendable, Hashable {
        public var name: String
        public var street: String
        public var building: String
        public var postcode: String
        public var town: String
        public var country: String

        /// The lines the payment part prints: name, street and number, postcode and town.
        public var lines: [String] {
            let streetLine = [street, building].filter { !$0.isEmpty }.joined(separator: " ")
            let prefix = country == "CH" || country == "LI" ? "" : country + "-"
            let townLine = prefix + [postcode, town].filter { !$0.isEmpty }.joined(separator: " ")
            return [name, streetLine, townLine].filter { !$0.isEmpty }
        }

        var fields: [String] { ["S", name, street, building, postcode, town, country] }

        /// Whether it is a valid type-S address: a name, a postcode, a town and a country.
        public var isComplete: Bool { !name.isEmpty && !postcode.isEmpty && !town.isEmpty && country.count == 2 }
    }

    /// The IBAN or QR-IBAN, without spaces.
    public let account: String
    public let creditor: Party
    public let debtor: Party?
    public let amount: Money
    public let referenceType: ReferenceType
    public let reference: String
    public let message: String
    /// Characters of the names, addresses and message that the QR code may not carry (IG QR-bill
    /// 2.3, §4.1.1), with what the code and the slip show instead (empty: dropped). For a warning.
    public let substitutions: [CharacterSubstitution]

    public init?(_ document: InvoiceDocument, message: String) {
        let invoice = document.invoice, seller = document.seller
        guard ["CHF", "EUR"].contains(invoice.currency.code),
              invoice.open.minorUnits > 0, invoice.open.minorUnits <= 99_999_999_999,
              let number = invoice.number, !number.isEmpty,
              let country = seller.country
        else { return nil }
        let account = QRBill.account(seller: seller, currency: invoice.currency)
        guard account.hasPrefix("CH") || account.hasPrefix("LI"), account.count == 21 else { return nil }
        var changes: [CharacterSubstitution] = []
        let creditor = QRBill.party(name: seller.company, street: seller.street, building: seller.building,
                                    postcode: seller.postcode, town: seller.town, country: country.code,
                                    changes: &changes)
        guard creditor.isComplete else { return nil }

        if QRBill.isQRIBAN(account) {
            guard let reference = QRBillReference.qrReference(from: number) ?? QRBillReference.qrReference(from: String(invoice.id))
            else { return nil }
            referenceType = .qrr
            self.reference = reference
        } else if let reference = QRBillReference.creditorReference(from: number) {
            referenceType = .scor
            self.reference = reference
        } else {
            referenceType = .non
            reference = ""
        }
        let customer = document.customer, address = customer.address
        let debtorName = customer.company.isEmpty ? customer.contact : customer.company
        let debtorFields = [debtorName, address.street, address.building, address.postcode, address.town]
        // A Japanese debtor (address in JP, or kana in it): kana are romanized, kanji have no reading
        // without a dictionary (ICU would give Mandarin). A name or address with kanji is left out.
        let japanese = address.country.code == "JP" || debtorFields.contains(where: QRBillText.hasKana)
        let debtor = QRBill.party(name: debtorName,
                                  street: address.street, building: address.building, postcode: address.postcode,
                                  town: address.town, country: address.country.code, japanese: japanese, changes: &changes)
        self.account = account
        self.creditor = creditor
        // An incomplete address would be an invalid type-S debtor: leave it out, and the slip prints
        // the empty "Payable by (name/address)" field with corner marks for the payer to fill in. So
        // does a Japanese address with kanji: a half-name is worse than the blank field.
        let unreadable = japanese && debtorFields.contains(where: QRBillText.hasHan)
        self.debtor = debtor.isComplete && !unreadable ? debtor : nil
        self.amount = invoice.open
        self.message = QRBill.clean(message, limit: 140, changes: &changes)
        self.substitutions = changes
        guard payload.count <= 997 else { return nil }
        qrCode = QRBill.encode(payload)
    }

    /// The QR code's text: one element a line (LF), ending with the trailer `EPD`.
    public var payload: String {
        var fields = ["SPC", "0200", "1", account]
        fields += creditor.fields
        fields += Array(repeating: "", count: 7)
        fields += [amount.decimalString, amount.currency.code]
        fields += debtor?.fields ?? Array(repeating: "", count: 7)
        fields += [referenceType.rawValue, reference, message, "EPD"]
        return fields.joined(separator: "\n")
    }

    /// The payload as a QR code at error-correction level M, `nil` only if it could not be encoded.
    ///
    /// Versions 7–13 have an alignment pattern in the very centre, under the Swiss cross; such
    /// payloads are moved up to version 14, which has none there, so that decoders that sample
    /// by alignment patterns (zbar, for one) read the code. Larger payloads keep their version
    /// (21–25 also have a centred pattern), as the modules would otherwise fall below 0.4 mm.
    public private(set) var qrCode: QRCode? = nil

    /// Encodes once, at init: choosing the mask scores all eight, which is the costly part.
    private static func encode(_ payload: String) -> QRCode? {
        // The natural version comes from the byte count alone; the code is made once.
        let bytes = Array(payload.utf8)
        guard let natural = QRCode.version(forByteCount: bytes.count, errorCorrection: .medium) else { return nil }
        return try? QRCode(bytes: bytes, errorCorrection: .medium,
                           minimumVersion: (7...13).contains(natural) ? 14 : natural)
    }

    /// `CH44 3199 9123 0008 8901 2`
    public var formattedAccount: String {
        var out = ""
        for (index, character) in account.enumerated() {
            if index > 0 && index % 4 == 0 { out += " " }
            out.append(character)
        }
        return out
    }

    /// `1 234.50`: a space between thousands, a point before the cents.
    public var formattedAmount: String {
        let plain = amount.decimalString
        let parts = plain.split(separator: ".", maxSplits: 1)
        var integer = String(parts.first ?? "0")
        var grouped = ""
        while integer.count > 3 {
            grouped = " " + integer.suffix(3) + grouped
            integer = String(integer.dropLast(3))
        }
        return integer + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }

    public var formattedReference: String { QRBillReference.formatted(reference) }

    /// Whether the IBAN's institution id (positions 5–9) is in the QR-IID range 30000–31999.
    /// The account an invoice in `currency` is paid to: the QR-IBAN for CHF when there is one; for EUR (and
    /// the rest) the ordinary IBAN, since a QR-IBAN cannot receive SEPA transfers; the QR-IBAN only when
    /// it is the only account (a QR-bill in EUR can still be paid to it). Other currencies: the IBAN.
    public static func account(seller: Operator, currency: Currency) -> String {
        switch currency.code {
        case "CHF" where !seller.qrIBAN.isEmpty: seller.qrIBAN
        case "EUR" where seller.iban.isEmpty: seller.qrIBAN
        default: seller.iban
        }
    }

    public static func isQRIBAN(_ iban: String) -> Bool {
        guard iban.count >= 9, let iid = Int(iban.dropFirst(4).prefix(5)) else { return false }
        return (30_000...31_999).contains(iid)
    }

    private static func party(name: String, street: String, building: String, postcode: String, town: String,
                              country: String, japanese: Bool = false, changes: inout [CharacterSubstitution]) -> Party {
        Party(name: clean(name, limit: AddressLimits.name, japanese: japanese, changes: &changes),
              street: clean(street, limit: AddressLimits.street, japanese: japanese, changes: &changes),
              building: clean(building, limit: AddressLimits.building, japanese: japanese, changes: &changes),
              postcode: clean(postcode, limit: AddressLimits.postcode, japanese: japanese, changes: &changes),
              town: clean(town, limit: AddressLimits.town, japanese: japanese, changes: &changes), country: country)
    }

    /// One line within the QR-bill's character set, at most `limit` characters. Input is refused
    /// beyond the limits (`AddressLimits`); the cut only guards data stored before they existed.
    private static func clean(_ text: String, limit: Int, japanese: Bool = false,
                              changes: inout [CharacterSubstitution]) -> String {
        let allowed: String
        if QRBillText.isWithinSetAndComposed(text) {
            // No line break, control character or character outside the set: only the spaces to tidy.
            allowed = text
        } else {
            let single = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
                .filter { !($0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false) }
            let (cleaned, substituted) = QRBillText.clean(single, japanese: japanese)
            for change in substituted where !changes.contains(change) { changes.append(change) }
            allowed = cleaned
        }
        let collapsed: String
        if QRBillText.isWithinSetAndComposed(allowed) {
            // Every scalar below U+0300 is a character of its own: spaces collapse byte by byte.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(allowed.utf8.count)
            for byte in allowed.utf8 where byte != 0x20 || (bytes.last.map { $0 != 0x20 } ?? false) { bytes.append(byte) }
            if bytes.last == 0x20 { bytes.removeLast() }
            collapsed = String(decoding: bytes, as: UTF8.self)
        } else {
            collapsed = allowed.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        }
        return String(collapsed.prefix(limit)).trimmingCharacters(in: .whitespaces)
    }
}
