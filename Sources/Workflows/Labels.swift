import Billing

/// The few words the billing desk itself writes into invoices (documents have their own label files).
enum Labels {
    static func cancellationReason(_ language: Language) -> String {
        switch language {
        case .en: "Invoice cancelled"
        case .de: "Rechnung storniert"
        case .fr: "Facture annulée"
        case .it: "Fattura annullata"
        }
    }

    static func creditNoteLine(_ language: Language, invoice: String) -> String {
        switch language {
        case .en: "Credit on invoice \(invoice)"
        case .de: "Gutschrift zu Rechnung \(invoice)"
        case .fr: "Crédit sur la facture \(invoice)"
        case .it: "Accredito sulla fattura \(invoice)"
        }
    }
}
