/// What a credit note credits: everything still creditable, an amount (split over the invoice's VAT
/// rates in proportion), or explicit lines.
public enum CreditNoteRequest: Sendable, Hashable {
    case rest
    case amount(Money)
    case lines([InvoiceLine])
}

/// Builds the (unnumbered) credit note for an issued invoice: pure arithmetic, no storage.
///
/// Rules: never more than is left to credit (total − credited so far); a first full credit note
/// copies the invoice's lines, so every per-rate VAT amount is the invoice's; an amount, or the rest
/// after earlier credit notes, is split over the VAT rates in proportion to what each rate has left
/// (largest remainder, so the shares add up to the amount exactly) as gross lines, one per rate; the
/// invoice's cash rounding is credited as rounding by the note that credits its last part. Lines given
/// by the operator stay within what each VAT rate, and each named invoice line, has left.
public enum CreditNoteBuilder: Sendable {
    public static func creditNote(for invoice: Invoice, previous: [Invoice], request: CreditNoteRequest,
                                  reason: String, lineTitle: String) throws -> Invoice {
        let name = invoice.number ?? String(invoice.id)
        guard invoice.kind == .invoice else { throw BillingError("\(name) is a credit note; credit notes credit invoices") }
        guard invoice.status.isIssued else { throw BillingError("invoice \(invoice.id) is a draft; delete it instead") }
        guard invoice.status != .cancelled else { throw BillingError("invoice \(name) is cancelled: it is credited in full already") }
        let creditable = invoice.creditable
        guard creditable.minorUnits > 0 else { throw BillingError("invoice \(name) has nothing left to credit") }
        var note = Invoice(customerID: invoice.customerID, userID: invoice.userID, title: invoice.title,
                           currency: invoice.currency, language: invoice.language, taxMode: invoice.taxMode,
                           kind: .creditNote,
                           preceding: PrecedingInvoice(id: invoice.id, number: name, issueDate: invoice.issueDate),
                           creditReason: try TextField.singleLine(reason, field: "reason", maxLength: 300))
        note.vatCategory = invoice.vatCategory
        switch request {
        case .rest where previous.isEmpty:
            note.lines = invoice.lines
            // The invoice's cash rounding (which depends on its prepaid amount) is credited as rounding.
            note.statedRounding = invoice.totals.rounding
            if note.totals.payable != creditable {
                note.statedRounding = nil
                try splitWithRounding(creditable, into: &note, of: invoice, previous: previous, title: lineTitle)
            }
        case .rest:
            try splitWithRounding(creditable, into: &note, of: invoice, previous: previous, title: lineTitle)
        case .amount(let amount):
            guard amount.currency == invoice.currency else {
                throw BillingError("invoice \(name) is in \(invoice.currency), the amount in \(amount.currency)")
            }
            guard amount.minorUnits > 0 else { throw BillingError("a credit note must credit more than zero") }
            guard amount <= creditable else {
                throw BillingError("invoice \(name) has \(creditable) left to credit, less than \(amount)")
            }
            try splitWithRounding(amount, into: &note, of: invoice, previous: previous, title: lineTitle)
        case .lines(let lines):
            guard !lines.isEmpty else { throw BillingError("a credit note needs at least one line") }
            let rates = Set(invoice.lines.map(\.vatRate))
            for line in lines {
                guard line.unitPrice.currency == invoice.currency else {
                    throw BillingError("line '\(line.title)' is in \(line.unitPrice.currency), the invoice in \(invoice.currency)")
                }
                if !invoice.taxMode.isExempt, !rates.contains(line.vatRate) {
                    throw BillingError("line '\(line.title)' has VAT \(line.vatRate)%, a rate invoice \(name) does not have")
                }
            }
            note.lines = lines
            let total = note.totals.payable
            guard total.minorUnits > 0 else { throw BillingError("a credit note must credit more than zero") }
            guard total <= creditable else {
                throw BillingError("invoice \(name) has \(creditable) left to credit, less than these lines (\(total))")
            }
            try checkLimits(of: note, against: invoice, previous: previous)
        }
        return try note.validated()
    }

    /// Gross lines for `amount`, split over the rates. A note that credits the last of the invoice
    /// credits its cash rounding not yet credited as rounding (BT-114), and only the rest as lines, so
    /// rounding never becomes taxable net.
    static func splitWithRounding(_ amount: Money, into note: inout Invoice, of invoice: Invoice, previous: [Invoice],
                                  title: String) throws {
        note.taxMode = invoice.taxMode.isExempt ? invoice.taxMode : .gross
        let rounding = previous.reduce(invoice.totals.rounding) { $0 - $1.totals.rounding }
        if amount == invoice.creditable, !rounding.isZero, (amount - rounding).minorUnits > 0 {
            note.lines = try split(amount - rounding, of: invoice, previous: previous, title: title)
            note.statedRounding = rounding
        } else {
            note.lines = try split(amount, of: invoice, previous: previous, title: title)
        }
    }

    /// "Never more than is left" per VAT rate and per named line, not only on the total (Stripe's
    /// credit-note lines likewise never exceed the invoice line they credit): the note's gross at each
    /// rate stays within what that rate has left after earlier credit notes, and a line titled like an
    /// invoice line (same rate) credits at most that line's net, less what earlier notes' lines of that
    /// title credited.
    static func checkLimits(of note: Invoice, against invoice: Invoice, previous: [Invoice]) throws {
        let name = invoice.number ?? String(invoice.id)
        let left = Dictionary(remainingByRate(of: invoice, previous: previous).map { ($0.rate, $0.gross) }, uniquingKeysWith: +)
        for group in note.totals.vatGroups {
            let gross = group.base.minorUnits + group.amount.minorUnits
            let room = left[group.rate] ?? 0
            guard gross <= room else {
                throw BillingError("invoice \(name) has \(Money(minorUnits: room, currency: invoice.currency)) left to credit at VAT \(group.rate)%, less than these lines (\(Money(minorUnits: gross, currency: invoice.currency)))")
            }
        }
        struct Key: Hashable { let title: String; let rate: Percentage }
        func key(_ line: InvoiceLine) -> Key { Key(title: line.title, rate: line.vatRate) }
        var invoiced: [Key: Int64] = [:]
        for line in invoice.lines { invoiced[key(line), default: 0] += line.amount.minorUnits }
        var credited: [Key: Int64] = [:]
        for earlier in previous {
            for line in earlier.lines where invoiced[key(line)] != nil { credited[key(line), default: 0] += line.amount.minorUnits }
        }
        var asked: [Key: Int64] = [:]
        for line in note.lines where invoiced[key(line)] != nil { asked[key(line), default: 0] += line.amount.minorUnits }
        for (line, amount) in asked.sorted(by: { $0.key.title < $1.key.title }) {
            let room = max(0, (invoiced[line] ?? 0) - (credited[line] ?? 0))
            guard amount <= room else {
                throw BillingError("line '\(line.title)' of invoice \(name) has \(Money(minorUnits: room, currency: invoice.currency)) left to credit, less than \(Money(minorUnits: amount, currency: invoice.currency))")
            }
        }
    }

    /// Gross per VAT rate still creditable: the invoice's per-rate gross less earlier credit notes'.
    static func remainingByRate(of invoice: Invoice, previous: [Invoice]) -> [(rate: Percentage, gross: Int64)] {
        var left: [Percentage: Int64] = [:]
        for group in invoice.totals.vatGroups { left[group.rate, default: 0] += group.base.minorUnits + group.amount.minorUnits }
        for note in previous {
            for group in note.totals.vatGroups { left[group.rate, default: 0] -= group.base.minorUnits + group.amount.minorUnits }
        }
        return left.keys.sorted().map { (rate: $0, gross: max(0, left[$0] ?? 0)) }
    }

    /// Splits `amount` over the rates in proportion to what each has left (largest remainder).
    static func split(_ amount: Money, of invoice: Invoice, previous: [Invoice], title: String) throws -> [InvoiceLine] {
        var weights = remainingByRate(of: invoice, previous: previous)
        if weights.allSatisfy({ $0.gross == 0 }) {
            weights = invoice.totals.vatGroups.map { (rate: $0.rate, gross: max(0, $0.base.minorUnits + $0.amount.minorUnits)) }
        }
        let total = weights.reduce(Int128(0)) { $0 + Int128($1.gross) }
        guard total > 0 else {
            return [InvoiceLine(title: title, quantity: DecimalNumber(1), unitPrice: amount,
                                vatRate: weights.first?.rate ?? .zero)]
        }
        var shares = weights.map { Int64(Int128(amount.minorUnits) * Int128($0.gross) / total) }
        var rest = amount.minorUnits - shares.reduce(0, +)
        let order = weights.indices.sorted { a, b in
            let ra = Int128(amount.minorUnits) * Int128(weights[a].gross) % total
            let rb = Int128(amount.minorUnits) * Int128(weights[b].gross) % total
            return ra != rb ? ra > rb : a < b
        }
        var index = 0
        while rest > 0, !order.isEmpty {
            shares[order[index % order.count]] += 1
            rest -= 1
            index += 1
        }
        return zip(weights, shares).compactMap { weight, share in
            guard share > 0 else { return nil }
            let suffix = weights.count > 1 ? " (VAT \(weight.rate)%)" : ""
            return InvoiceLine(title: title + suffix, quantity: DecimalNumber(1),
                               unitPrice: Money(minorUnits: share, currency: amount.currency), vatRate: weight.rate)
        }
    }
}

extension TaxMode {
    public var isExempt: Bool { if case .exempt = self { true } else { false } }
}
