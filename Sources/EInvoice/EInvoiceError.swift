/// Why an invoice cannot be written as an EN 16931 e-invoice, in words the operator can act on.
public struct EInvoiceError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
