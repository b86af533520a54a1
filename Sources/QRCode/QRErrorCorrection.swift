/// The error-correction level of a QR code (ISO/IEC 18004 §5.3.8): roughly 7, 15, 25 and 30 %
/// of the codewords may be restored.
public enum QRErrorCorrection: Int, Sendable, Hashable, CaseIterable {
    case low, medium, quartile, high

    /// The two bits that name the level in the format information.
    var formatBits: Int {
        switch self {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }
}
