/// The two XML syntaxes of EN 16931.
public enum EInvoiceSyntax: String, Sendable, Hashable, CaseIterable {
    /// UN/CEFACT Cross Industry Invoice (Factur-X/ZUGFeRD, XRechnung CII).
    case cii
    /// OASIS UBL 2.1 (Peppol BIS Billing 3, XRechnung UBL).
    case ubl

    public init(parsing text: String) throws {
        guard let syntax = EInvoiceSyntax(rawValue: text.lowercased()) else {
            throw EInvoiceError("unknown e-invoice syntax '\(text)': use cii or ubl")
        }
        self = syntax
    }

    public func xml(_ invoice: EInvoice) -> [UInt8] {
        switch self {
        case .cii: CIIWriter.xml(invoice)
        case .ubl: UBLWriter.xml(invoice)
        }
    }

    /// The file name ending: `.cii.xml`, `.ubl.xml`.
    public var fileExtension: String { "\(rawValue).xml" }
}
