import Billing
import Foundation

/// The journal's file formats (`invoice export journal --format`).
public enum JournalFormat: String, Sendable, CaseIterable {
    /// The plain-text journal hledger and ledger read: one transaction per business event.
    case ledger
    /// One posting per row, UTF-8, RFC 4180 (CRLF, quotes where needed), a header row, amounts with a point.
    case csv
    /// The DATEV EXTF Buchungsstapel (`DatevWriter`), Windows-1252.
    case datev
}

public enum JournalWriter {
    /// The text of `transactions` in `format`, handed out in pieces (one transaction each) to `write`.
    public static func write(_ transactions: [JournalTransaction], format: JournalFormat, _ write: (String) throws -> Void) throws {
        switch format {
        case .ledger:
            try write("; invoice journal export: one transaction per business event; commodities are currencies\n")
            for transaction in transactions { try write(ledger(transaction)) }
        case .csv:
            try write("transaction,date,document,account,account_name,debit,credit,currency,text\r\n")
            for (index, transaction) in transactions.enumerated() { try write(csv(transaction, number: index + 1)) }
        case .datev:
            throw WorkflowError("the DATEV file is bytes in Windows-1252: write it with DatevWriter")
        }
    }

    static func ledger(_ transaction: JournalTransaction) -> String {
        let text = oneLine(transaction.text)
        let code = transaction.document.isEmpty ? "" : "(\(oneLine(transaction.document).replacingOccurrences(of: ")", with: ""))) "
        var out = "\n\(transaction.date) \(code)\(text)\n"
        for posting in transaction.postings {
            out += "    \(posting.account.ledgerName)  \(posting.amount.currency.code) \(posting.amount.signedDecimal)\n"
        }
        return out
    }

    static func csv(_ transaction: JournalTransaction, number: Int) -> String {
        var out = ""
        for posting in transaction.postings {
            let amount = posting.amount
            let debit = amount.minorUnits > 0 ? amount.signedDecimal : ""
            let credit = amount.minorUnits < 0 ? Money(minorUnits: -amount.minorUnits, currency: amount.currency).signedDecimal : ""
            out += [String(number), transaction.date.description, transaction.document, posting.account.number, posting.account.name,
                    debit, credit, amount.currency.code, transaction.text].map(field).joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// RFC 4180: a field with a comma, quote, CR or LF is quoted, its quotes doubled.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Line breaks and `;` (a ledger comment) become spaces.
    static func oneLine(_ text: String) -> String {
        String(text.map { $0.isNewline || $0 == ";" ? " " : $0 })
    }
}

extension Money {
    /// `-12.50`, `107.00`: the decimal with a leading minus when negative.
    var signedDecimal: String {
        minorUnits < 0 ? "-" + Money(minorUnits: -minorUnits, currency: currency).decimalString : decimalString
    }
}
