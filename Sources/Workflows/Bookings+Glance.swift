import Billing

extension Bookings.Details {
    /// What `plan show` prints first: what the customer has, until when, and what happens next, in a
    /// few lines a new user reads at one glance.
    public var glance: [String] {
        let b = booking
        let name = "\(b.productName) \(b.kind.rawValue)"
        let price = b.price.map { " at \($0.amount.currency.code) \($0.amount.decimalString) \($0.isGross ? "incl." : "+") VAT per \(b.cycle.unit)" } ?? ""
        let period = "\(b.start?.description ?? "-") – \(b.end?.description ?? "open-ended")"
        let invoiceText = invoice.map { s in
            "invoice \(s.number ?? String(s.id)) (\(s.currency.code) \(s.total.decimalString), open \(s.open.decimalString)\(s.dueDate.map { ", due \($0)" } ?? ""))"
        } ?? "its invoice"
        var lines: [String] = []
        switch b.status {
        case .free:
            lines.append("\(name) — free, from \(b.start?.description ?? "-")\(b.end.map { " until \($0)" } ?? ", open-ended")")
        case .trial:
            lines.append("\(name) — trial \(period); it ends by itself unless a paid cycle is booked")
            lines.append("  Next:     book --monthly or --yearly; paying ends the trial on the day of payment (its remaining days are not added)")
        case .pending:
            lines.append("\(name) — pending: \(invoiceText) awaits payment")
            lines.append("  Next:     when paid, it runs 1 \(b.cycle.unit) from the day of payment\(price)")
        case .active, .cancelled:
            if let renewal {
                let state = renewal.state == .open ? "renewal open" : "past due"
                lines.append("\(name) — active (\(state)), \(b.cycle.rawValue), \(period)\(price)")
                lines.append("  Unpaid:   \(invoiceText); usable until \(renewal.usableUntil) unpaid, then lapsed")
            } else {
                lines.append("\(name) — \(b.status == .cancelled ? "cancelled" : "active"), \(b.cycle.rawValue), paid \(period)\(price)")
            }
            if b.status == .cancelled {
                let until = Bookings.paidThrough(b, periods: periods.map(\.period)) ?? b.end
                lines.append("  Next:     no renewal; usable until \(until?.description ?? "-"), then expires (revoke to keep it)")
            } else if let change, change.status == .scheduled {
                lines.append("  Next:     \(change.productName) \(change.cycle.rawValue) from \(change.start?.description ?? "-") (scheduled; invoiced like a renewal)")
            } else if let change, change.status == .pending {
                lines.append("  Next:     \(change.productName) \(change.cycle.rawValue) takes effect when its invoice is paid")
            } else if let next = nextRenewal {
                let nextEnd = RenewalPlan.periodEnd(start: next.periodStart, cycle: b.cycle, anchorDay: b.anchorDay)
                let paidAhead = periods.contains { $0.period.plannedStart == next.periodStart && $0.period.state == .paid }
                if paidAhead {
                    lines.append("  Next:     \(next.periodStart) – \(nextEnd) already paid (invoice \(next.invoiceNumber ?? "-"))")
                } else if let number = next.invoiceNumber {
                    lines.append("  Next:     renewal \(next.periodStart) – \(nextEnd), invoice \(number) open")
                } else {
                    lines.append("  Next:     renewal invoice on \(next.invoiceOn) for \(next.periodStart) – \(nextEnd)\(b.nextPrice.map { " at the new price \($0.decimalString)" } ?? "")")
                }
            }
        case .lapsed:
            // The invoice named is the one that is overdue: the current period's (a renewal is not
            // invoiced while the period before it is unpaid).
            if let today, let end = b.end, end < today {
                lines.append("\(name) — lapsed, no access: its period \(period) ended with \(invoiceText) unpaid")
                lines.append("  Next:     paying it\(payableUntil.map { " by \($0)" } ?? "") renews the booking at once (the next period is invoiced); unpaid, it expires and the invoice is cancelled")
            } else {
                lines.append("\(name) — lapsed, no access: \(invoiceText) unpaid past due date + grace")
                lines.append("  Next:     paying it reactivates the rest of \(period) at once; unpaid, it expires after \(b.end?.description ?? "-")")
            }
        case .scheduled:
            lines.append("\(name) — scheduled, \(b.cycle.rawValue) from \(b.start?.description ?? "-") (when the current period ends)")
        case .expired:
            lines.append("\(name) — expired\(b.end.map { ", last day \($0)" } ?? " (never started)")")
        case .withdrawn:
            lines.append("\(name) — withdrawn\(b.start == nil ? " (never started)" : ", last day \(b.end?.description ?? "-")")")
        }
        if !owedOnNextInvoice.isEmpty {
            lines.append("  Owed:     \(owedOnNextInvoice.map { "\($0.currency.code) \($0.decimalString)" }.joined(separator: " + ")) upgrade credit correction, added to the next invoice")
        }
        return lines
    }
}
