import Billing
import Store
import Workflows

enum DemoCommand {
    static let command = Command(
        name: "demo", summary: "fill an empty database with a realistic operator, catalog and invoices",
        discussion: """
            Fills an empty database (created if there is none) with a realistic operator, catalog,
            customers and invoices in several states, prints them and queues their mail. A second run
            says the database is already seeded and changes nothing.
            """,
        database: .creates,
        run: run)

    static func run(_ args: Arguments, _ context: Context) throws {
        let store = try context.createStore()
        let outcome: Demo.Outcome
        do {
            outcome = try Demo(store: store, outbox: try context.outbox()).seed(today: context.today)
        } catch let error as Demo.DemoError {
            context.emit("\(error)")
            return
        }
        if context.json {
            context.emit(.object([("database", .string(store.path)), ("customers", .int(Int64(outcome.customers))),
                                  ("products", .int(Int64(outcome.products))),
                                  ("invoices", .array(outcome.invoices.map { .string($0) }))]))
            return
        }
        context.emit("Seeded \(store.path): an operator (Cloudwerk AG), \(outcome.products) plans and modules, \(outcome.customers) customers in CH, DE, FR and US, \(outcome.invoices.count) issued invoices and 2 drafts.")
        if let folder = try PrintCommand.printDemo(store: store, context: context) {
            context.emit("Printed every invoice as HTML, PDF and text into \(folder)/")
        }
        let queued = (try store.mailCounts())[.queued] ?? 0
        context.emit("Queued \(queued) mails (invoices, receipts, reminders) in \(Outbox.defaultDirectory(databasePath: store.path).path)/; they wait there until a mail server is set: invoice settings set smtp_url smtp://host:587")
        context.emit("")
        context.emit("Look around:")
        context.emit("  invoice list                     every invoice with its status")
        context.emit("  invoice show \(outcome.invoices.first ?? "ID")        one invoice with VAT breakdown and payments")
        context.emit("  invoice customer list            the customers")
        context.emit("  invoice catalog list             plans and modules with prices")
        context.emit("  invoice settings show            the operator's settings")
        context.emit("  invoice plan 1 show              a customer's plan with its periods and history")
        context.emit("  invoice outbox list              the queued mail")
    }
}
