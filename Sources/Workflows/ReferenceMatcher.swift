import BankFiles
import Billing
import Store

/// Finds the invoice a bank transaction pays: by its QR reference (QRR, 27 digits, the check digit
/// verified) or creditor reference (SCOR, ISO 11649, verified), as the QR-bill and the e-invoice wrote
/// them from the invoice number; otherwise by an invoice number in the unstructured remittance text.
/// A reference two invoices share, or a text naming two invoices, matches none.
struct ReferenceMatcher {
    enum Match {
        case invoice(id: Int64, number: String, how: String, reference: String)
        case none(String, reference: String)

        var reference: String {
            switch self {
            case .invoice(_, _, _, let reference), .none(_, let reference): reference
            }
        }

        var how: String {
            if case .invoice(_, _, let how, _) = self { return how }
            return ""
        }
    }

    private var qr: [String: [Int64]] = [:]
    private var creditor: [String: [Int64]] = [:]
    private var numbers: [String: Int64] = [:]
    private var names: [Int64: String] = [:]

    init(store: Store) throws {
        for (id, number) in try store.invoiceNumbers() {
            names[id] = number
            numbers[number.uppercased()] = id
            if let reference = PaymentReference.qrReference(from: number) ?? PaymentReference.qrReference(from: String(id)) {
                qr[reference, default: []].append(id)
            }
            if let reference = PaymentReference.creditorReference(from: number) { creditor[reference, default: []].append(id) }
        }
    }

    /// The structured reference of a transaction, compact (no spaces), upper case; nil when none.
    static func structuredReference(_ transaction: BankTransaction) -> String? {
        let compact = transaction.reference.filter { !$0.isWhitespace }.uppercased()
        return compact.isEmpty ? nil : compact
    }

    func match(_ transaction: BankTransaction) -> Match {
        var why: String?
        let type = transaction.referenceType.uppercased()
        if let reference = ReferenceMatcher.structuredReference(transaction) {
            if type == "QRR" || (type.isEmpty && reference.count == 27 && reference.allSatisfy(\.isNumber)) {
                if !PaymentReference.isValidQRReference(reference) {
                    why = "QR reference \(reference) fails its check digit"
                } else if let found = one(qr[reference], "QR reference \(reference)", &why) {
                    return .invoice(id: found, number: names[found] ?? "", how: "QR reference \(reference)", reference: reference)
                }
            } else if type == "SCOR" || reference.hasPrefix("RF") {
                if !PaymentReference.isValidCreditorReference(reference) {
                    why = "creditor reference \(reference) fails its check digits"
                } else if let found = one(creditor[reference], "creditor reference \(reference)", &why) {
                    return .invoice(id: found, number: names[found] ?? "", how: "creditor reference \(reference)", reference: reference)
                }
            } else {
                why = "reference \(reference) (\(type.isEmpty ? "no type" : type)) is neither a QR nor a creditor reference"
            }
        }
        // The free text: a word that is an invoice number ("Invoice CW-2026-00004, thanks").
        var named: Set<Int64> = []
        for text in transaction.unstructured {
            for word in text.split(whereSeparator: { $0.isWhitespace || ",;:()[]<>\"'".contains($0) }) {
                var token = Substring(word.uppercased())
                while let last = token.last, ".!?".contains(last) { token = token.dropLast() }
                if let id = numbers[String(token)] { named.insert(id) }
            }
        }
        if named.count == 1, let id = named.first, let number = names[id] {
            return .invoice(id: id, number: number, how: "invoice number in the remittance text", reference: number)
        }
        if named.count > 1 {
            let list = named.compactMap { names[$0] }.sorted().joined(separator: ", ")
            return .none("the remittance text names several invoices (\(list))", reference: ReferenceMatcher.structuredReference(transaction) ?? "")
        }
        let reference = ReferenceMatcher.structuredReference(transaction) ?? ""
        if let why { return .none(why, reference: reference) }
        return .none(transaction.unstructured.isEmpty ? "no reference and no remittance text"
                     : "no invoice number in the remittance text '\(transaction.unstructured.joined(separator: " ").prefix(80))'",
                     reference: reference)
    }

    /// The one invoice with a reference; nil (and why) when none or several have it.
    private func one(_ ids: [Int64]?, _ what: String, _ why: inout String?) -> Int64? {
        guard let ids, !ids.isEmpty else { why = "no invoice has \(what)"; return nil }
        guard ids.count == 1 else {
            why = "\(what) belongs to several invoices (\(ids.compactMap { names[$0] }.joined(separator: ", ")))"
            return nil
        }
        return ids[0]
    }
}
