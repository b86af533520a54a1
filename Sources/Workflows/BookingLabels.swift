import Billing
import Documents
import Foundation

/// The words plan and module invoice lines are written in, in the invoice's language, with its dates:
/// the `booking*` keys of `labels/<language>.json` (an operator's template folder overrides them).
struct BookingLabels {
    let labels: DocumentLabels
    let format: LocaleFormat

    /// English wording for a key no label file defines (an operator's old override folder).
    static let fallback: [String: String] = [
        "bookingPlan": "{product} plan",
        "bookingModule": "{product} module",
        "bookingOneMonth": "1 month",
        "bookingOneYear": "1 year",
        "bookingFromPayment": "{product} — {length} from the day of payment",
        "bookingPeriod": "{product} {start} – {end}",
        "bookingUnitMonth": "month",
        "bookingUnitYear": "year",
        "bookingRenewal": "Renewal {product}",
        "bookingCredit": "Credit for unused {product} {start} – {end}",
        "bookingCreditCorrection": "Correction of the upgrade credit for {product} (invoice {number}): the upgrade took effect on {start}",
        "bookingPriceChanged": "Price changed from {old} to {new} from this period on",
    ]

    init(language: Language, currency: Currency, country: Country?, directories: [URL]) {
        let loaded = (try? DocumentLabels(language: language, directories: directories))?.values ?? [:]
        labels = DocumentLabels(language: language, values: BookingLabels.fallback.merging(loaded) { _, file in file })
        format = LocaleFormat(language: language, currency: currency, country: country)
    }

    func text(_ key: String, _ arguments: [String: String] = [:]) -> String { labels.text(key, arguments) }

    /// "Business plan", "Business Tarif", "Forfait Business".
    func product(_ name: String, kind: ProductKind) -> String {
        text(kind == .plan ? "bookingPlan" : "bookingModule", ["product": name])
    }

    func date(_ day: Day) -> String { format.date(day) }

    func amount(_ money: Money) -> String { format.amount(money) }

    /// "1 month" / "1 year" for the line that starts on the day of payment.
    func length(_ cycle: BookingCycle) -> String { text(cycle == .yearly ? "bookingOneYear" : "bookingOneMonth") }

    func unit(_ cycle: BookingCycle) -> String {
        switch cycle {
        case .monthly: text("bookingUnitMonth")
        case .yearly: text("bookingUnitYear")
        default: cycle.unit
        }
    }

    /// The label directories: the outbox's renderer's (operator's folder first), else the shipped ones.
    static func directories(outbox: Outbox?) -> [URL] {
        if let outbox { return outbox.renderer.directories }
        return TemplateLocator.shippedDirectory().map { [$0] } ?? []
    }
}
