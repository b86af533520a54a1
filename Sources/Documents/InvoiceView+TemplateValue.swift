import Foundation
import Mustache

extension InvoiceView {
    /// Width of the plain-text document: rows are padded so amounts end in this column.
    static let textWidth = 72

    /// The Mustache data: `labels`, `invoice`, `seller`, `recipient`, `lines`, `totals`, `payments`, `text`.
    /// Every value is a string already formatted; HTML escaping is the template engine's job.
    public var templateValue: TemplateValue {
        let lineValues: [TemplateValue] = lines.map { line in
            let detail = "\(line.quantity) × \(line.unitPrice)"
                + (line.discount.isEmpty ? "" : ", -\(line.discount)")
                + (exemptNote.isEmpty ? ", \(labels["vat"]) \(line.vatRate)" : "")
            return .object([
                "position": .string(line.position), "title": .string(line.title),
                "description": .string(line.description), "descriptionLines": InvoiceView.lineList(line.description),
                "quantity": .string(line.quantity), "unitPrice": .string(line.unitPrice),
                "discount": .string(line.discount), "vatRate": .string(line.vatRate), "amount": .string(line.amount),
                "textRow": .string(InvoiceView.textRow("   " + detail, line.amount)),
                "textTitleLines": InvoiceView.strings(InvoiceView.wrap("\(line.position). \(line.title)")),
                "textDescriptionLines": InvoiceView.strings(
                    InvoiceView.lines(of: line.description)
                        .flatMap { InvoiceView.wrap(String($0), width: InvoiceView.textWidth - 3) }),
            ])
        }
        let vatValues: [TemplateValue] = vatRows.map { row in
            .object(["rate": .string(row.rate), "base": .string(row.base), "amount": .string(row.amount),
                     "label": .string(row.label), "textRow": .string(InvoiceView.textRow(row.label, row.amount))])
        }
        let paymentValues: [TemplateValue] = payments.map { row in
            .object(["date": .string(row.date), "method": .string(row.method), "reference": .string(row.reference),
                     "amount": .string(row.amount), "label": .string(row.label),
                     "textRow": .string(InvoiceView.textRow(row.label, row.amount))])
        }
        return .object([
            "labels": labels.templateValue,
            "language": .string(labels.language.rawValue),
            "invoice": .object([
                "heading": .string(heading), "number": .string(number), "isDraft": .bool(isDraft),
                "isCancelled": .bool(isCancelled), "isCreditNote": .bool(isCreditNote), "subject": .string(subject), "issueDate": .string(issueDate),
                "dueDate": .string(dueDate), "currency": .string(currency), "isGross": .bool(isGross),
                "purchaseOrder": .string(purchaseOrder),
                "exemptNote": .string(exemptNote), "notes": .string(notes), "notesLines": InvoiceView.lineList(notes),
                "hasNotes": .bool(!notes.isEmpty),
                "paymentTerms": .string(paymentTerms), "isSettled": .bool(isSettled),
                "paymentAccount": .string(paymentAccount), "paymentReference": .string(paymentReference),
                "bic": .string(bic), "bankLine": .string(bankLine),
            ]),
            "customer": .object([
                "number": .string(customerNumber), "vatID": .string(customerVatID),
                "billingInfo": .string(billingInfo), "billingInfoLines": InvoiceView.lineList(billingInfo),
                "hasBillingInfo": .bool(!billingInfo.isEmpty),
            ]),
            "addressee": addresseeName.isEmpty ? .null : .object(["name": .string(addresseeName)]),
            "recipient": .object(["lines": .array(recipientLines.map { .string($0) })]),
            "senderLine": .string(senderLine),
            "seller": .object([
                "company": .string(seller.company), "addressLines": .array(seller.addressLines.map { .string($0) }),
                "vatID": .string(seller.vatID), "email": .string(seller.email), "phone": .string(seller.phone),
                "website": .string(seller.website), "iban": .string(seller.iban),
                "logoURL": seller.logoURL.isEmpty ? .null : .string(seller.logoURL),
                "footerColumns": .array(seller.footerColumns.map { column in
                    .object(["lines": .array(column.map { .string($0) })])
                }),
            ]),
            "qrBill": qrBill.flatMap { QRBillHTML(bill: $0, language: labels.language)?.templateValue } ?? .null,
            "lines": .array(lineValues),
            "showsDiscount": .bool(showsDiscount),
            "totals": .object([
                "net": .string(net), "netLabel": .string(netLabel), "vat": .array(vatValues),
                "gross": .string(gross), "rounding": rounding.isEmpty ? .null : .string(rounding),
                "total": .string(total), "paid": .string(paid), "open": .string(open),
                "hasPayments": .bool(!payments.isEmpty), "hasVAT": .bool(!vatRows.isEmpty),
            ]),
            "payments": .array(paymentValues),
            "text": .object([
                "net": .string(InvoiceView.textRow(netLabel, net)),
                "gross": .string(InvoiceView.textRow(labels["gross"], gross)),
                "rounding": .string(InvoiceView.textRow(labels["rounding"], rounding)),
                "total": .string(InvoiceView.textRow(labels["total"], total)),
                "open": .string(InvoiceView.textRow(labels["open"], open)),
                "rule": .string(String(repeating: "-" as Character, count: InvoiceView.textWidth)),
                "paymentTerms": InvoiceView.strings(InvoiceView.wrap(paymentTerms, keeping: [paymentAccount, paymentReference])),
                "bankLine": InvoiceView.strings(InvoiceView.wrap(bankLine, keeping: [paymentAccount, "\(labels["bic"]) \(bic)"])),
                "exemptNote": InvoiceView.strings(InvoiceView.wrap(exemptNote)),
                "notes": InvoiceView.strings(InvoiceView.lines(of: notes)
                    .flatMap { InvoiceView.wrap(String($0)) }),
                "billingInfo": InvoiceView.strings(InvoiceView.lines(of: billingInfo)
                    .flatMap { InvoiceView.wrap(String($0)) }),
            ]),
        ])
    }

    /// `label` then `amount` ending at column `textWidth` (at least one space between).
    static func textRow(_ label: String, _ amount: String) -> String {
        let gap = max(1, textWidth - label.count - amount.count)
        var row = label
        row.reserveCapacity(label.utf8.count + gap + amount.utf8.count)
        row += gap <= spaces.utf8.count ? spaces.prefix(gap) : Substring(String(repeating: " " as Character, count: gap))
        row += amount
        return row
    }

    /// `textWidth` spaces, to pad rows from.
    private static let spaces = String(repeating: " " as Character, count: textWidth)

    static func strings(_ values: [String]) -> TemplateValue { .array(values.map { .string($0) }) }

    /// `text` broken at spaces into lines of at most `width` characters (a longer word stands alone,
    /// cut only when it is longer than `width`); empty text gives no lines.
    /// The `keeping` parts (an IBAN, a reference) are never broken.
    static func wrap(_ text: String, width: Int = textWidth, keeping: [String] = []) -> [String] {
        guard !text.isEmpty else { return [] }
        guard text.count > width else { return [text] }
        // A control character never reaches documents (input refuses them): a safe stand-in for kept
        // spaces. Space and glue are one UTF-8 byte each, so the kept parts are glued in place, bytewise.
        let glue = UInt8(1)
        var bytes = Array(text.utf8)
        for part in keeping where part.utf8.contains(UInt8(ascii: " ")) {
            let needle = Array(part.utf8)
            var start = 0
            while start + needle.count <= bytes.count {
                guard bytes[start..<start + needle.count].elementsEqual(needle) else {
                    start += 1
                    continue
                }
                for offset in needle.indices where needle[offset] == UInt8(ascii: " ") { bytes[start + offset] = glue }
                start += needle.count
            }
        }
        guard bytes.contains(glue) else { return wrapWords(text, width: width) }
        return wrapWords(String(decoding: bytes, as: UTF8.self), width: width).map { line in
            line.utf8.contains(glue) ? String(decoding: line.utf8.map { $0 == glue ? UInt8(ascii: " ") : $0 }, as: UTF8.self) : line
        }
    }

    private static func wrapWords(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = Substring(word)
            if current.isEmpty {
                while word.count > width {
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                while word.count > width {
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                current = String(word)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// `text.split(separator: "\n", omittingEmptySubsequences: false)`, split at LF bytes when the
    /// text has no CR: a line feed is then always a character of its own (Unicode grapheme rules
    /// GB4/GB5), and nothing else needs breaking into characters. With a CR (CR LF is one
    /// character, not a line break for `split`), the general path.
    static func lines(of text: String) -> [Substring] {
        let utf8 = text.utf8
        guard !utf8.contains(0x0D) else { return text.split(separator: "\n", omittingEmptySubsequences: false) }
        var lines: [Substring] = []
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            if utf8[index] == 0x0A {
                lines.append(text[start..<index])
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        lines.append(text[start...])
        return lines
    }

    /// Text split into lines, so templates can put `<br>` between them without unescaped HTML.
    static func lineList(_ text: String) -> TemplateValue {
        guard !text.isEmpty else { return .array([]) }
        let lines = InvoiceView.lines(of: text)
        return .array(lines.enumerated().map { index, line in
            .object(["line": .string(String(line)), "isFirst": .bool(index == 0)])
        })
    }
}
