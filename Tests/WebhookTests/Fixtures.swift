import Billing
import Documents
import Foundation
import HTTPServer
import TestSupport
import Webhook
import Workflows

/// The signing secret every test uses (32 known bytes, as a provider would hand it out).
enum TestSecret: Sendable {
    static let keyBytes = Array("invoice-webhook-test-key-32bytes".utf8)
    static var text: String { "whsec_" + Data(keyBytes).base64EncodedString() }
    static var secret: WebhookSecret {
        get throws { try WebhookSecret(text) }
    }

    /// The Standard Webhooks signature computed by Python's `hmac`, independently of our code.
    static func pythonSignature(id: String, timestamp: String, body: [UInt8], key: [UInt8] = keyBytes) throws -> String {
        let script = """
            import base64, hashlib, hmac, sys
            key = base64.b64decode(sys.argv[1])
            content = sys.argv[2].encode() + b"." + sys.argv[3].encode() + b"." + sys.stdin.buffer.read()
            print("v1," + base64.b64encode(hmac.new(key, content, hashlib.sha256).digest()).decode())
            """
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"),
                                           ["python3", "-c", script, Data(key).base64EncodedString(), id, timestamp],
                                           stdin: Data(body), timeout: 30)
        guard result.status == 0 else { throw ProcessRunnerError.failed("python3 hmac: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A database with an operator's customer (EUR), built through the real CLI.
struct BillingFixture: Sendable {
    static let today = "2026-11-25"
    let directory: TemporaryDirectory
    let cli: InvoiceCLI
    let customer: String

    /// `database`: a PostgreSQL URI the desk is made in instead of the folder's file (MultiHostReceiverTests).
    init(_ label: String, database: String? = nil) throws {
        directory = try TemporaryDirectory(label)
        cli = try InvoiceCLI.creating(database: database ?? directory.path("billing.sqlite"), today: BillingFixture.today,
                                      workingDirectory: directory.url)
        try cli.ok("settings", "set", "email", "billing@operator.example")  // receipts need a sender
        customer = try cli.ok("customer", "add", "--company", "Acme GmbH", "--email", "billing@acme.example",
                              "--country", "DE", "--currency", "EUR", "--language", "en")
    }

    /// An issued invoice of one line (net `amount`, 19 % VAT); its number.
    func issuedInvoice(net: String = "100.00") throws -> String {
        try cli.ok("new", customer, "--line", "Consulting;1;\(net);19", "--issue")
    }

    /// A monthly plan booking, pending until its invoice is paid; the invoice's number.
    func planInvoice() throws -> String {
        try cli.ok("catalog", "add-plan", "Pro", "--currency", "EUR", "--monthly", "49.00", "--yearly", "490.00",
                   "--vat", "19")
        try cli.ok("plan", customer, "activate", "Pro", "--monthly")
        let booking = try jsonObject(try cli.json("plan", customer, "show"))
        guard let number = booking["invoice"] as? String else { throw ProcessRunnerError.failed("no plan invoice") }
        return number
    }

    func invoice(_ number: String) throws -> [String: Any] { try jsonObject(try cli.json("show", number)) }

    func planStatus() throws -> String? { try jsonObject(try cli.json("plan", customer, "show"))["status"] as? String }

    func outbox() throws -> [[String: Any]] { try cli.json("outbox", "list") as? [[String: Any]] ?? [] }

    func paymentCount() throws -> Int {
        Int(try cli.sql("SELECT count(*) FROM payments").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    func remove() { directory.remove() }
}

func jsonObject(_ value: Any) throws -> [String: Any] {
    guard let dictionary = value as? [String: Any] else { throw ProcessRunnerError.failed("expected a JSON object") }
    return dictionary
}

/// A payment event body in the documented shape.
func paymentBody(id: String, invoice: String, amount: String, currency: String = "EUR",
                 paidAt: String = "2026-11-25T10:00:00Z", type: String = "payment.succeeded") -> [UInt8] {
    Array("""
        {"type":"\(type)","data":{"id":"\(id)","invoice":"\(invoice)","amount":"\(amount)",\
        "currency":"\(currency)","paid_at":"\(paidAt)"}}
        """.utf8)
}
