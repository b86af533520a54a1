import Billing

/// The fixed headings of the QR-bill's payment part and receipt, in the four languages the
/// guidelines define (IG QR-bill 2.3, §3.4 and annex).
public struct QRBillLabels: Sendable, Hashable {
    public let paymentPart: String
    public let receipt: String
    public let account: String
    public let reference: String
    public let additionalInformation: String
    public let payableBy: String
    public let payableByBlank: String
    public let currency: String
    public let amount: String
    public let acceptancePoint: String
    public let separate: String

    public init(_ language: Language) {
        switch language {
        case .de:
            paymentPart = "Zahlteil"; receipt = "Empfangsschein"; account = "Konto / Zahlbar an"
            reference = "Referenz"; additionalInformation = "Zusätzliche Informationen"; payableBy = "Zahlbar durch"
            payableByBlank = "Zahlbar durch (Name/Adresse)"; currency = "Währung"; amount = "Betrag"
            acceptancePoint = "Annahmestelle"; separate = "Vor der Einzahlung abzutrennen"
        case .fr:
            paymentPart = "Section paiement"; receipt = "Récépissé"; account = "Compte / Payable à"
            reference = "Référence"; additionalInformation = "Informations supplémentaires"; payableBy = "Payable par"
            payableByBlank = "Payable par (nom/adresse)"; currency = "Monnaie"; amount = "Montant"
            acceptancePoint = "Point de dépôt"; separate = "À détacher avant le versement"
        case .it:
            paymentPart = "Sezione pagamento"; receipt = "Ricevuta"; account = "Conto / Pagabile a"
            reference = "Riferimento"; additionalInformation = "Informazioni supplementari"; payableBy = "Pagabile da"
            payableByBlank = "Pagabile da (nome/indirizzo)"; currency = "Valuta"; amount = "Importo"
            acceptancePoint = "Punto di accettazione"; separate = "Da staccare prima del versamento"
        case .en:
            paymentPart = "Payment part"; receipt = "Receipt"; account = "Account / Payable to"
            reference = "Reference"; additionalInformation = "Additional information"; payableBy = "Payable by"
            payableByBlank = "Payable by (name/address)"; currency = "Currency"; amount = "Amount"
            acceptancePoint = "Acceptance point"; separate = "Separate before paying in"
        }
    }
}
