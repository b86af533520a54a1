import Foundation
import Testing
import TestSupport

/// The money commands as a user runs them: credit notes, refunds, customer credit, unmatched payments,
/// on real SQLite files with the real binary.
struct MoneyCommandTests {
    let directory: TemporaryDirectory
    let cli: InvoiceCLI
    let customer: String

    init() throws {
        directory = try TemporaryDirectory("money-commands")
        cli = try InvoiceCLI.creating(database: directory.path("money.sqlite"), today: "2026-11-25")
        try cli.ok("settings", "set", "company", "Money Desk AG")
        customer = try cli.ok("customer", "add", "--company", "Lumière SA", "--email", "ap@lumiere.ch",
                              "--country", "CH", "--currency", "CHF", "--language", "fr")
    }

    func object(_ arguments: String...) throws -> [String: Any] {
        try #require(try cli.json(arguments) as? [String: Any])
    }

    /// Issue 8: `cancel` on a paid invoice said "record a refund or credit outside this invoice"; no
    /// credit note existed. Mutation (mutants.tsv cancel-refuses-paid): refuse `.paid` in `Invoicing.cancel` again → this test fails.
    @Test func aCreditNoteOnAPaidInvoiceGoesToCreditOrIsRefunded() throws {
        defer { directory.remove() }
        let number = try cli.ok("new", customer, "--line", "Conseil;1;100.00;8.1", "--line", "Livre;2;10.00;2.6", "--issue")
        try cli.ok("pay", number, "--amount", "128.60")
        let partial = try cli.ok("credit-note", number, "--amount", "28.60", "--reason", "Geste commercial")
        #expect(partial == "CN-2026-00001")
        let note = try object("show", partial)
        #expect(note["type"] as? String == "credit_note")
        #expect(note["invoice"] as? String == number)
        #expect(note["total"] as? String == "28.60")
        #expect(note["reason"] as? String == "Geste commercial")
        // Split over both rates in proportion to each rate's gross (108.10 : 20.52 of 128.62): the quotas
        // 24.0372 and 4.5628 round down to 24.03 + 4.56, and the cent left goes to the larger remainder (8.1 %),
        // so VAT 0.12 at 2.6 % on 4.56 and 1.80 at 8.1 % on 24.04.
        // Mutation: mutants.tsv credit-split-order (largest-remainder order inverted) → 4.57 / 24.03 and this fails.
        let vat = try #require(note["vat"] as? [[String: String]])
        #expect(vat == [["rate": "2.6", "base": "4.44", "amount": "0.12"], ["rate": "8.1", "base": "22.24", "amount": "1.80"]])
        let noteLines = try #require(note["lines"] as? [[String: Any]])
        #expect(noteLines.map { $0["amount"] as? String } == ["4.56", "24.04"], "\(noteLines)")
        #expect(note["tax_mode"] as? String == "gross")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "28.60")
        let refunded = try cli.ok("credit-note", number, "--amount", "50.00", "--refund")
        #expect(try object("show", refunded)["refunded"] as? String == "50.00")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "28.60")
        let invoice = try object("show", number)
        #expect(invoice["credited"] as? String == "78.60")
        #expect(invoice["status"] as? String == "paid")
        // Never more than is left.
        let over = try cli.run("credit-note", number, "--amount", "50.01")
        #expect(over.status == 1)
        #expect(over.stderr.contains("50.00 left to credit"))
        // cancel credits the rest and prints the credit note's number; a cancelled invoice is credited in full.
        #expect(try cli.ok("cancel", number) == "CN-2026-00003")
        #expect(try object("show", number)["status"] as? String == "cancelled")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "78.60")
        #expect(try cli.run("credit-note", number).status == 1)
        // Listed with their type; the text view and the documents say what they are.
        let notes = try #require(try cli.json("list", "--type", "credit_note") as? [[String: Any]])
        #expect(notes.compactMap { $0["number"] as? String } == ["CN-2026-00001", "CN-2026-00002", "CN-2026-00003"])
        #expect(try cli.ok("list").contains("CN-2026-00002     credit"))
        let text = try cli.ok("show", refunded, "--txt")
        #expect(text.contains("Note de crédit CN-2026-00002"))
        #expect(text.contains("facture \(number)"))
        let pdf = directory.path("cn.pdf")
        let written = try cli.run("show", refunded, "--pdf")
        #expect(written.status == 0)
        try Data(written.stdoutData).write(to: URL(fileURLWithPath: pdf))
        let extracted = try ProcessRunner.shell("pdftotext '\(pdf)' -").stdout
        #expect(extracted.contains("Note de crédit CN-2026-00002"))
        #expect(try ProcessRunner.shell("qpdf --check '\(pdf)'").status == 0)
    }

    /// Mutation (mutants.tsv credit-reduced-due): `reducedDue` ignored (the whole credit note goes to customer credit) → this test fails.
    @Test func aCreditNoteOnAnUnpaidInvoiceReducesTheAmountDueAndAFullOneCancels() throws {
        defer { directory.remove() }
        let number = try cli.ok("new", customer, "--line", "Conseil;1;100.00;8.1", "--issue")
        try cli.ok("credit-note", number, "--amount", "8.10")
        var invoice = try object("show", number)
        #expect(invoice["open"] as? String == "100.00")
        #expect(invoice["credited"] as? String == "8.10")
        #expect(invoice["status"] as? String == "open")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "0.00")
        // --refund has nothing to pay back on an unpaid invoice.
        let refused = try cli.run("credit-note", number, "--amount", "1.00", "--refund")
        #expect(refused.status == 1)
        try cli.ok("credit-note", number)
        invoice = try object("show", number)
        #expect(invoice["status"] as? String == "cancelled")
        #expect(invoice["open"] as? String == "0.00")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "0.00")
    }

    /// Mutation (mutants.tsv refund-balance-guard): drop the `amount <= balance` guard in `Invoicing.refund` → the balance goes negative and this fails.
    @Test func aRefundPaysCreditBackAndNeverBelowZero() throws {
        defer { directory.remove() }
        let number = try cli.ok("new", customer, "--line", "Conseil;1;100.00;8.1", "--issue")
        try cli.ok("pay", number, "--amount", "150.00")
        #expect(try cli.ok("refund", customer, "--amount", "30.00", "--reference", "BANK-1") == "11.90")
        let before = try cli.dump()
        let tooMuch = try cli.run("refund", customer, "--amount", "11.91")
        #expect(tooMuch.status == 1)
        #expect(tooMuch.stderr.contains("below zero"))
        #expect(try cli.dump() == before)
        let ledger = try object("customer", "credit", customer)
        #expect(ledger["credit_balance"] as? String == "11.90")
        let entries = try #require(ledger["entries"] as? [[String: Any]])
        #expect(entries.map { $0["amount"] as? String } == ["41.90", "-30.00"])
        #expect(entries.first?["document"] as? String == number)
        #expect((entries.last?["reason"] as? String)?.contains("BANK-1") == true)
        #expect(try cli.ok("customer", "credit", customer).contains("overpayment of invoice \(number)"))
    }

    /// SPEC §2: credit notes have their own gapless counter. Two processes issuing invoices and credit
    /// notes into one file at once: both sequences gapless, no number twice.
    /// Mutation (mutants.tsv credit-note-counter-scope): draw credit-note numbers from the invoice scope (`nextSequence(scope: counterScope)`) → fails.
    @Test func twoProcessesIssuingInvoicesAndCreditNotesKeepBothCountersGapless() throws {
        defer { directory.remove() }
        var seeds: [String] = []
        for _ in 0..<24 { seeds.append(try cli.ok("new", customer, "--line", "Abo;1;10.00;8.1", "--issue")) }
        let exe = Paths.invoiceExecutable.path
        let location = try cli.location()
        func command(_ arguments: String) -> String {
            // A failed command stops its shell with status 1 (checked below). Mutation (mutants.tsv harness-refused-amount): `--amount 1.001`
            // in the first shell (refused) → terminationStatus 1, this test fails.
            "\"\(exe)\" --db \"\(location)\" --date 2026-11-25 \(arguments) >/dev/null || exit 1"
        }
        var first: [String] = [], second: [String] = []
        for index in 0..<12 {
            first.append(command("credit-note \(seeds[index * 2]) --amount 1.00"))
            first.append(command("new \(customer) --line 'X;1;1.00;8.1' --issue"))
            second.append(command("cancel \(seeds[index * 2 + 1])"))
            second.append(command("new \(customer) --line 'Y;1;1.00;8.1' --issue"))
        }
        let scripts = [first.joined(separator: "\n"), second.joined(separator: "\n")]
        let processes = try scripts.map { script -> (Process, Pipe) in
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", script]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            return (p, out)
        }
        for (p, out) in processes {
            p.waitUntilExit()
            #expect(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).isEmpty)
            #expect(p.terminationStatus == 0)
        }
        let all = try #require(try cli.json("list") as? [[String: Any]])
        let invoices = all.filter { $0["type"] as? String == "invoice" }.compactMap { $0["number"] as? String }.sorted()
        let notes = all.filter { $0["type"] as? String == "credit_note" }.compactMap { $0["number"] as? String }.sorted()
        #expect(invoices == (1...48).map { String(format: "INV-2026-%05d", $0) })
        #expect(notes == (1...24).map { String(format: "CN-2026-%05d", $0) })
    }

    /// Issue 8: with a customer address mail cannot go to, the receipt could not be queued and `pay`
    /// failed: the payment was never recorded. Mutation (mutants.tsv queue-receipt-throws): let `queueReceipt` throw again → this test fails.
    @Test func aReceiptThatCannotBeQueuedNeverFailsThePaymentAndRunRetriesIt() throws {
        defer { directory.remove() }
        try cli.ok("settings", "set", "email", "billing@desk.example")
        let number = try cli.ok("new", customer, "--line", "Conseil;1;100.00;8.1", "--issue")
        // An address stored before addresses were checked (no command accepts it any more).
        let edit = try cli.run("customer", "edit", customer, "--email", "jürg@müller.ch")
        #expect(edit.status == 1)
        #expect(edit.stderr.contains("non-ASCII"))
        try cli.sql("UPDATE customers SET email = 'jürg@müller.ch' WHERE id = \(customer); UPDATE invoices SET billed_to = NULL")
        let paid = try cli.run("pay", number, "--amount", "108.10")
        #expect(paid.status == 0, "\(paid.stderr)")
        #expect(try object("show", number)["status"] as? String == "paid")
        let pending = try cli.sql("SELECT count(*) FROM pending_receipts")
        #expect(pending == "1\n")
        // Fixed address: the scheduled run queues the receipt that waited.
        try cli.sql("UPDATE customers SET email = 'ap@lumiere.ch' WHERE id = \(customer)")
        try cli.ok("run")
        let outbox = try #require(try cli.json("outbox", "list") as? [[String: Any]])
        #expect(outbox.contains { $0["kind"] as? String == "receipt" })
        #expect(try cli.sql("SELECT count(*) FROM pending_receipts") == "0\n")
    }

    /// Mutation (mutants.tsv credit-lines-any-rate): accept any VAT rate in `--line` (drop the `rates.contains` guard) → this test fails.
    @Test func aCreditNoteByLinesIsMailedAndPrintedLikeAnInvoice() throws {
        defer { directory.remove() }
        try cli.ok("settings", "set", "email", "billing@desk.example")
        let number = try cli.ok("new", customer, "--line", "Conseil;2;100.00;8.1", "--issue")
        let wrongRate = try cli.run("credit-note", number, "--line", "Conseil;1;100.00;19")
        #expect(wrongRate.status == 1)
        #expect(wrongRate.stderr.contains("a rate invoice \(number) does not have"))
        let note = try cli.ok("credit-note", number, "--line", "Conseil;1;100.00;8.1", "--reason", "Une journée annulée")
        let shown = try object("show", note)
        #expect(shown["total"] as? String == "108.10")
        #expect((shown["lines"] as? [[String: Any]])?.first?["title"] as? String == "Conseil")
        #expect(try object("show", number)["open"] as? String == "108.10")
        // Queued at issue, like an invoice the run mails (a sender is set); `send` would queue it twice.
        let outbox = try #require(try cli.json("outbox", "list") as? [[String: Any]])
        #expect(outbox.map { $0["kind"] as? String } == ["credit_note"])
        #expect(try cli.run("send", note).stderr.contains("already queued"))
        let printed = directory.path("printed")
        try cli.ok("print", note, "--format", "html,txt", "--out", printed)
        let html = try String(contentsOfFile: printed + "/\(note).html", encoding: .utf8)
        #expect(html.contains("Note de crédit \(note)"))
        #expect(html.contains("Une journée annulée"))
    }

    /// SPEC §1: bookings paid by a credited invoice react as to a cancellation: a paid plan credited in
    /// full does not renew — and since issue 17 (item 3) its running period ends today (expired), the
    /// money being back on the customer's account. Mutation (mutants.tsv paid-periods-end): drop `paidPeriodsEnd` handling in the
    /// watcher → this test fails.
    @Test func aPlanWhoseInvoiceIsCreditedInFullDoesNotRenew() throws {
        defer { directory.remove() }
        try cli.ok("catalog", "add-plan", "Pro", "--currency", "CHF", "--monthly", "50.00", "--yearly", "500.00", "--vat", "8.1")
        let booking = try object("plan", customer, "activate", "Pro", "--monthly")
        let number = try #require(booking["invoice"] as? String)
        try cli.ok("pay", number, "--amount", "54.05")
        #expect(try object("plan", customer, "show")["status"] as? String == "active")
        let note = try cli.ok("cancel", number)
        #expect(note.hasPrefix("CN-"))
        #expect(try object("plan", customer, "show")["status"] as? String == "expired")
        #expect(try object("customer", "show", customer)["credit_balance"] as? String == "54.05")
    }
}
