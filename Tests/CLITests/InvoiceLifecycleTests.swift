import Foundation
import Testing
import TestSupport

/// The invoice actions as an operator runs them, checked through `--json` (the scripting contract).
struct InvoiceLifecycleTests {
    let cli: InvoiceCLI
    let customer: String

    init() throws {
        let dir = try TemporaryDirectory("lifecycle")
        cli = try InvoiceCLI.creating(database: dir.path("billing.sqlite"))
        try cli.ok("settings", "set", "cash_rounding", "CHF:0.05")
        customer = try cli.ok("customer", "add", "--company", "Café Lumière Sàrl", "--email", "compta@lumiere.ch",
                              "--country", "CH", "--currency", "CHF", "--language", "fr", "--town", "Genève")
    }

    func object(_ arguments: String...) throws -> [String: Any] {
        try #require(try cli.json(arguments) as? [String: Any])
    }

    @Test func aDraftHasNoNumberUntilItIsIssued() throws {
        let id = try cli.ok("new", customer, "--title", "Setup", "--line", "Consulting;1.5;150.00;8.1")
        var invoice = try object("show", id)
        #expect(invoice["number"] is NSNull)
        #expect(invoice["status"] as? String == "draft")
        let number = try cli.ok("issue", id).split(separator: " ")[1]
        invoice = try object("show", String(number))
        #expect(invoice["status"] as? String == "open")
        #expect(invoice["issue_date"] as? String == "2026-11-25")
        #expect(invoice["due_date"] as? String == "2026-12-25")
        #expect(invoice["net"] as? String == "225.00")
        #expect(invoice["gross"] as? String == "243.23")
        #expect(invoice["rounding"] as? String == "0.02")
        #expect(invoice["total"] as? String == "243.25")
        let vat = try #require(invoice["vat"] as? [[String: String]])
        #expect(vat == [["rate": "8.1", "base": "225.00", "amount": "18.23"]])
    }

    /// Every field of the contract with its value, as a script reads it (99.00 at 8.1 % is 8.02 VAT,
    /// 107.02 cash-rounded to 107.00); `list` gives the same fields without the lines.
    /// Mutation: mutants.tsv show-json-open (`"open"` written from the total instead of what is open)
    /// → after a payment the open amount is wrong and this test fails.
    @Test func showGivesEveryFieldOfTheScriptingContract() throws {
        let number = try cli.ok("new", customer, "--line", "Plan;1;99.00;8.1;;mois", "--issue")
        #expect(number == "INV-2026-00001")
        let invoice = try object("show", number)
        let expected: [String: String] = [
            "number": number, "status": "open", "currency": "CHF", "issue_date": "2026-11-25", "due_date": "2026-12-25",
            "net": "99.00", "vat_total": "8.02", "gross": "107.02", "rounding": "-0.02", "total": "107.00",
            "paid": "0.00", "open": "107.00", "type": "invoice", "language": "fr", "tax_mode": "net",
        ]
        for (key, value) in expected {
            #expect(invoice[key] as? String == value, "\(key): \(String(describing: invoice[key]))")
        }
        #expect(invoice["id"] as? Int == 1)
        #expect(invoice["customer"] as? Int == Int(customer))
        #expect(invoice["vat"] as? [[String: String]] == [["rate": "8.1", "base": "99.00", "amount": "8.02"]])
        let lines = try #require(invoice["lines"] as? [[String: Any]])
        #expect(lines.count == 1)
        let line = try #require(lines.first)
        for (key, value) in ["title": "Plan", "quantity": "1", "unit": "mois", "unit_price": "99.00", "vat_rate": "8.1", "amount": "99.00"] {
            #expect(line[key] as? String == value, "line \(key): \(String(describing: line[key]))")
        }
        let listed = try #require(try cli.json("list") as? [[String: Any]])
        #expect(listed.count == 1)
        #expect(listed[0]["lines"] == nil)
        for (key, value) in expected {
            #expect(listed[0][key] as? String == value, "list \(key)")
        }
        // After a payment, paid and open move and the status says so.
        try cli.ok("pay", number, "--amount", "7.00")
        let paid = try object("show", number)
        #expect(paid["paid"] as? String == "7.00")
        #expect(paid["open"] as? String == "100.00")
        #expect(paid["status"] as? String == "partially_paid")
    }

    @Test func partialPaymentsThenTheRestMakeItPaid() throws {
        let number = try cli.ok("new", customer, "--line", "Plan;1;100.00;8.1", "--issue")
        #expect(try cli.ok("pay", number, "--amount", "50.00").contains("now partially_paid, CHF 58.10 open"))
        #expect(try object("show", number)["status"] as? String == "partially_paid")
        try cli.ok("pay", number, "--amount", "58.10")
        let invoice = try object("show", number)
        #expect(invoice["status"] as? String == "paid")
        #expect(invoice["open"] as? String == "0.00")
        #expect(invoice["paid"] as? String == "108.10")
    }

    /// Issue 8: applied credit was a "Credit balance applied" line at 0 % VAT that misstated net and VAT.
    /// Mutation (mutants.tsv credit-as-negative-line): apply the credit as a negative 0 % line again (`invoice.lines.append(…)`) → this test fails.
    @Test func anOverpaymentBecomesCreditThatTheNextInvoiceConsumes() throws {
        let first = try cli.ok("new", customer, "--line", "Plan;1;100.00;8.1", "--issue")
        let answer = try cli.ok("pay", first, "--amount", "120.00")
        #expect(answer.contains("CHF 11.90 went to the customer's credit balance"))
        let customerJSON = try object("customer", "show", customer)
        #expect(customerJSON["credit_balance"] as? String == "11.90")
        let second = try cli.ok("new", customer, "--line", "Plan;1;100.00;8.1", "--issue")
        let invoice = try object("show", second)
        let lines = try #require(invoice["lines"] as? [[String: Any]])
        #expect(lines.count == 1)
        #expect(invoice["net"] as? String == "100.00")
        #expect(invoice["vat_total"] as? String == "8.10")
        #expect((invoice["vat"] as? [[String: Any]])?.count == 1)
        #expect(invoice["total"] as? String == "108.10")
        #expect(invoice["prepaid"] as? String == "11.90")
        #expect(invoice["open"] as? String == "96.20")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "0.00")
        let text = try cli.ok("show", second)
        #expect(text.contains("Already paid (credit applied)"))
    }

    @Test func cancellingKeepsTheNumberAndMovesPaymentsToCredit() throws {
        let number = try cli.ok("new", customer, "--line", "Plan;1;100.00;8.1", "--issue")
        try cli.ok("pay", number, "--amount", "20.00")
        let creditNote = try cli.ok("cancel", number)
        #expect(creditNote.hasPrefix("CN-2026-"))
        let note = try object("show", creditNote)
        #expect(note["type"] as? String == "credit_note")
        #expect(note["invoice"] as? String == number)
        #expect(note["total"] as? String == "108.10")
        let invoice = try object("show", number)
        #expect(invoice["credited"] as? String == "108.10")
        #expect(invoice["status"] as? String == "cancelled")
        #expect(invoice["number"] as? String == number)
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "20.00")
    }

    @Test func cancellingAnInvoiceThatUsedCreditGivesTheCreditBack() throws {
        let first = try cli.ok("new", customer, "--line", "Plan;1;100.00;8.1", "--issue")
        try cli.ok("pay", first, "--amount", "120.00")
        let second = try cli.ok("new", customer, "--line", "Plan;1;100.00;8.1", "--issue")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "0.00")
        try cli.ok("cancel", second)
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "11.90")
    }

    @Test func anIssuedInvoiceKeepsTheAddressItWasMadeOutTo() throws {
        let user = try cli.ok("user", "add", customer, "--salutation", "Madame", "--first-name", "Hélène", "--surname", "Rousseau",
                              "--email", "helene@lumiere.ch")
        let number = try cli.ok("new", customer, "--user", user, "--line", "Plan;1;29.00;8.1", "--issue")
        try cli.ok("customer", "edit", customer, "--company", "Lumière Holding SA", "--town", "Lausanne")
        try cli.ok("user", "delete", user)
        let issued = try cli.ok("show", number, "--txt")
        #expect(issued.contains("Café Lumière Sàrl"))
        #expect(issued.contains("Genève"))
        #expect(issued.contains("Hélène Rousseau"))
        #expect(!issued.contains("Lausanne"))
        let draft = try cli.ok("new", customer, "--line", "Plan;1;29.00;8.1")
        let fresh = try cli.ok("show", draft, "--txt")
        #expect(fresh.contains("Lumière Holding SA"))
        #expect(fresh.contains("Lausanne"))
    }

    @Test func draftsCanBeDeletedAndEditedFreely() throws {
        let id = try cli.ok("new", customer, "--line", "A;1;10.00;8.1")
        try cli.ok("edit", id, "--add-line", "B;2;5.00;8.1", "--title", "Neu")
        var invoice = try object("show", id)
        #expect((invoice["lines"] as? [Any])?.count == 2)
        #expect(invoice["title"] as? String == "Neu")
        try cli.ok("edit", id, "--line", "C;1;1.00;0")
        invoice = try object("show", id)
        #expect((invoice["lines"] as? [Any])?.count == 1)
        try cli.ok("delete", id)
        #expect(try cli.run("show", id).status == 1)
    }

    @Test func anIssuedUnsentUnpaidInvoiceCanStillBeCorrected() throws {
        let number = try cli.ok("new", customer, "--line", "A;1;10.00;8.1", "--issue")
        try cli.ok("edit", number, "--line", "A;1;12.00;8.1")
        let invoice = try object("show", number)
        #expect(invoice["number"] as? String == number)
        #expect(invoice["net"] as? String == "12.00")
    }

    @Test func listFiltersByStatusIncludingDerivedOverdue() throws {
        let late = try cli.ok("new", customer, "--line", "A;1;10.00;8.1", "--issue")
        _ = try cli.ok("new", customer, "--line", "B;1;10.00;8.1")
        let later = InvoiceCLI(database: cli.database, today: "2027-01-31")
        let overdue = try #require(try later.json("list", "--status", "overdue") as? [[String: Any]])
        #expect(overdue.map { $0["number"] as? String } == [late])
        #expect(overdue.first?["status"] as? String == "overdue")
        let drafts = try #require(try cli.json("list", "--status", "draft") as? [[String: Any]])
        #expect(drafts.count == 1)
    }

    @Test func invoicesCanBeReadFromAJSONFileWithExactNumbers() throws {
        let file = URL(fileURLWithPath: cli.database).deletingLastPathComponent().appendingPathComponent("inv.json")
        try Data(#"{"title": "Import", "lines": [{"title": "Hosting", "quantity": "3", "unit_price": "19.95", "vat_rate": "8.1", "unit": "Monat"}]}"#.utf8).write(to: file)
        let id = try cli.ok("new", customer, "--from", file.path)
        #expect(try object("show", id)["net"] as? String == "59.85")
        try Data(#"{"lines": [{"title": "Float", "quantity": 1.5, "unit_price": "1.00", "vat_rate": "0"}]}"#.utf8).write(to: file)
        let result = try cli.run("new", customer, "--from", file.path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\"quantity\" must be a string"))
    }

    @Test func changingAUsersEmailSaysNoConfirmationMailIsSent() throws {
        let user = try cli.ok("user", "add", customer, "--salutation", "Madame", "--first-name", "Hélène", "--surname", "Rousseau",
                              "--email", "helene@lumiere.ch")
        let answer = try cli.ok("user", "edit", user, "--email", "h.rousseau@lumiere.ch")
        #expect(answer.contains("no confirmation mail was sent"))
        let users = try #require(try cli.json("user", "list", customer) as? [[String: Any]])
        #expect(users.first?["email"] as? String == "h.rousseau@lumiere.ch")
    }

    @Test func everyCommandHasHelp() throws {
        for command in ["settings", "customer", "user", "catalog", "new", "edit", "show", "list", "issue", "delete",
                        "cancel", "pay", "demo", "print", "send", "mail", "outbox", "plan", "module", "run"] {
            let result = try cli.run(command, "--help")
            #expect(result.status == 0)
            #expect(result.stdout.contains("Usage: invoice \(command)"), "help of \(command)")
        }
    }

    @Test func theCatalogKeepsPricesPerCurrency() throws {
        try cli.ok("catalog", "add-plan", "Business", "--currency", "CHF", "--monthly", "99.00", "--yearly", "990.00",
                   "--vat", "8.1", "--trial-days", "30")
        try cli.ok("catalog", "add-plan", "Business", "--currency", "EUR", "--monthly", "95.00", "--yearly", "950.00",
                   "--vat", "19", "--gross")
        try cli.ok("catalog", "add-module", "Zeiterfassung", "--currency", "CHF", "--monthly", "12.00", "--yearly", "120.00",
                   "--onetime", "150.00", "--vat", "8.1")
        let products = try #require(try cli.json("catalog", "list") as? [[String: Any]])
        #expect(products.count == 2)
        let business = try #require(products.first { $0["name"] as? String == "Business" })
        let prices = try #require(business["prices"] as? [[String: Any]])
        #expect(prices.map { $0["currency"] as? String } == ["CHF", "EUR"])
        #expect(prices[1]["gross"] as? Bool == true)
        #expect(business["trial_days"] as? Int == 30)
        let bad = try cli.run("catalog", "add-plan", "X", "--currency", "CHF", "--monthly", "9.999", "--yearly", "1", "--vat", "8.1")
        #expect(bad.stderr.contains("monthly price '9.999' has more than 2 decimals"))
    }
}
