import Billing

/// The few words the billing desk itself writes into invoices (documents have their own label files).
enum Labels {
    static func creditLine(_ language: Language) -> String {
        switch language {
        case .en: "Credit balance applied"
        case .de: "Verrechnetes Guthaben"
        case .fr: "Avoir imputé"
        case .it: "Credito compensato"
        }
    }
}
