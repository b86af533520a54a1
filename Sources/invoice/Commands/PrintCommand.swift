import Billing
import Store

/// `invoice print` and `invoice show --html|--pdf|--txt`: documents from templates.
enum PrintCommand {
    static func run(_ arguments: Arguments, _ context: Context) throws {
        throw CommandFailure(message: "print is not built yet")
    }

    /// Writes one invoice's document in `format` (html, pdf or txt) to stdout.
    static func writeDocument(format: String, invoice: Invoice, store: Store, context: Context) throws {
        throw CommandFailure(message: "documents are not built yet")
    }

    /// After `invoice demo`: prints every demo invoice; returns the folder, or nil.
    static func printDemo(store: Store, context: Context) throws -> String? { nil }
}
