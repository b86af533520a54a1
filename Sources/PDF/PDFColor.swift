/// An RGB colour with components from 0 to 1.
public struct PDFColor: Sendable, Hashable {
    public var red: Double
    public var green: Double
    public var blue: Double

    /// Creates a colour; components are clamped to 0…1.
    public init(red: Double, green: Double, blue: Double) {
        self.red = min(max(red, 0), 1)
        self.green = min(max(green, 0), 1)
        self.blue = min(max(blue, 0), 1)
    }

    /// Creates a grey with `white` from 0 (black) to 1 (white).
    public init(white: Double) {
        self.init(red: white, green: white, blue: white)
    }

    /// Creates a colour from a 24-bit `0xRRGGBB` value, as in CSS.
    public init(hex: UInt32) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255,
                  green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255)
    }

    public static let black = PDFColor(white: 0)
    public static let white = PDFColor(white: 1)
}
