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
        "bookingUnitOnce": "one-time",
        "bookingOneTime": "{product} — one-time, active from the day of payment",
        "bookingRenewal": "Renewal {product}",
        "bookingCredit": "Credit for unused {product} {start} – {end}",
        "bookingCreditCorrection": "Correction of the upgrade credit for {product} (invoice {number}): the upgrade took effect on {start}",
        "bookingPriceChanged": "Price changed from {old} to {new} from this period on",
        "bookingVATChanged": "VAT rate changed from {old} to {new} from {date} on (law change)",
    ]

    init(labels loaded: DocumentLabels, currency: Currency, country: Country?) {
        labels = loaded
        format = LocaleFormat(language: loaded.language, currency: currency, country: country)
    }

    /// The label sets of every language, read once: the outbox renderer's (already loaded, the
    /// operator's folder first) or the shipped files; the English wording above fills any gap.
    static func sets(outbox: Outbox?) -> [Language: DocumentLabels] {
        var sets: [Language: DocumentLabels] = [:]
        let shipped = TemplateLocator.shippedDirectory().map { [$0] } ?? []
        for language in Language.allCases {
            let loaded = outbox?.renderer.labels(language).values
                ?? (try? DocumentLabels(language: language, directories: shipped))?.values ?? [:]
            sets[language] = DocumentLabels(language: language, values: fallback.merging(loaded) { _, file in file })
        }
        return sets
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
        case .onetime: text("bookingUnitOnce")
        default: cycle.unit
        }
    }
}
