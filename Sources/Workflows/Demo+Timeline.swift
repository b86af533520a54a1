import Billing
import Store

extension Demo {
    /// The demo's history as dated steps, played in date order, so invoice numbers rise with their
    /// issue dates exactly as they would on a real desk.
    struct Timeline {
        let store: Store
        let outbox: Outbox?
        let today: Day
        private var steps: [(daysAgo: Int, order: Int, run: () throws -> Void)] = []
        /// Invoice ids by a name the later steps use.
        private let invoices = Box()

        init(store: Store, outbox: Outbox?, today: Day) {
            self.store = store
            self.outbox = outbox
            self.today = today
        }

        final class Box {
            var ids: [String: Int64] = [:]
            func id(_ name: String) throws -> Int64 {
                guard let id = ids[name] else { throw WorkflowError("demo: no invoice '\(name)' yet") }
                return id
            }
        }

        mutating func at(_ daysAgo: Int, _ run: @escaping () throws -> Void) {
            steps.append((daysAgo, steps.count, run))
        }

        func play() throws {
            for step in steps.sorted(by: { ($0.daysAgo, -$0.order) > ($1.daysAgo, -$1.order) }) { try step.run() }
        }

        private var invoicing: Invoicing { Invoicing(store: store, outbox: outbox) }
        private var bookings: Bookings { Bookings(store: store, outbox: outbox) }

        /// An invoice issued `daysAgo` (nil: left as a draft), remembered as `name`.
        mutating func invoice(_ name: String, _ customer: Customer, _ title: String, _ lines: [String], mode: TaxMode = .net,
                              daysAgo: Int?) {
            let (store, invoicing, invoices, today) = (store, invoicing, invoices, today)
            at(daysAgo ?? 0) {
                let users = try store.users(customerID: customer.id)
                var draft = InvoiceDraft(title: title, userID: users.first?.id, taxMode: mode)
                draft.lines = try lines.map { try InvoiceLine(parsing: $0, currency: customer.currency) }
                let day = today.adding(days: -(daysAgo ?? 0))
                let invoice = try invoicing.create(customerReference: String(customer.id), draft, issue: daysAgo != nil, today: day)
                invoices.ids[name] = invoice.id
            }
        }

        /// A payment of the named invoice: `amount`, or whatever is open.
        mutating func pay(_ name: String, _ amount: String? = nil, daysAgo: Int, method: String = "bank transfer") {
            let (store, invoicing, invoices, today) = (store, invoicing, invoices, today)
            at(daysAgo) {
                let invoice = try store.invoice(id: try invoices.id(name))
                let money = try amount.map { try Money(parsing: $0, currency: invoice.currency) } ?? invoice.open
                try invoicing.pay(reference: String(invoice.id), amount: money, date: today.adding(days: -daysAgo), method: method,
                                  paymentReference: "DEMO-\(invoice.id)")
            }
        }

        mutating func cancel(_ name: String, daysAgo: Int) {
            let (invoicing, invoices, today) = (invoicing, invoices, today)
            at(daysAgo) { _ = try invoicing.cancel(reference: String(try invoices.id(name)), today: today.adding(days: -daysAgo)) }
        }

        /// Books a product `daysAgo`; with `paidDaysAgo` its invoice is paid then.
        mutating func activate(_ customer: Customer, _ kind: ProductKind, _ product: String, _ how: Bookings.Activation,
                               daysAgo: Int, paidDaysAgo: Int? = nil) {
            let (bookings, invoices, today) = (bookings, invoices, today)
            let name = "booking-\(customer.id)-\(kind.rawValue)-\(product)-\(daysAgo)"
            at(daysAgo) {
                let outcome = try bookings.activate(customerReference: String(customer.id), kind: kind, productReference: product,
                                                    as: how, today: today.adding(days: -daysAgo))
                if let invoice = outcome.invoice { invoices.ids[name] = invoice.id }
            }
            if let paidDaysAgo { pay(name, daysAgo: paidDaysAgo) }
        }

        mutating func scheduledRun(daysAgo: Int) {
            let (store, outbox, today) = (store, outbox, today)
            at(daysAgo) { _ = try ScheduledRun(store: store, outbox: outbox).run(today: today.adding(days: -daysAgo)) }
        }

        /// Invoices of every kind: net and gross, four languages, exempt, rounding, credit, cancelled, drafts.
        mutating func addInvoices(_ c: [Customer]) {
            // Paid on time, Swiss net invoice with two VAT rates.
            invoice("a", c[0], "Business-Plan Oktober", ["Business-Plan (Monat);1;99.00;8.1;;Monat",
                                                          "Zeiterfassung-Modul;1;12.00;8.1;;Monat",
                                                          "Fachbuch «Digitale Buchhaltung»;2;48.50;2.6;;Stück"], daysAgo: 55)
            pay("a", daysAgo: 40)
            // German net invoice, open and overdue.
            invoice("b", c[2], "Business-Plan Jahreslizenz", ["Business-Plan (Jahr);1;990.00;19;;Jahr",
                                                               "Einrichtung und Datenimport;4;95.00;19;;Std."], daysAgo: 45)
            // Swiss, exactly paid, many lines.
            invoice("c", c[10], "Praxissoftware Einrichtung",
                    (1...14).map { "Leistung \($0): Konfiguration Modul \($0);\($0 % 3 + 1);\(45 + $0).50;8.1;;Std." }, daysAgo: 35)
            pay("c", daysAgo: 30)
            // Cancelled invoice.
            invoice("d", c[5], "Starter-Plan", ["Starter-Plan (Monat);1;29.00;8.1;;Monat"], daysAgo: 30)
            cancel("d", daysAgo: 28)
            // US invoice, paid with an overpayment that becomes credit, consumed by the next invoice.
            invoice("e", c[4], "Starter plan, November", ["Starter plan (monthly);1;32.00;0;;month",
                                                           "Priority support;3;45.00;0;;h"], daysAgo: 25)
            pay("e", "200.00", daysAgo: 20, method: "card")
            invoice("e2", c[4], "Starter plan, December", ["Starter plan (monthly);1;32.00;0;;month"], daysAgo: 1)
            // Swiss gross invoice with cash rounding, partially paid.
            invoice("f", c[1], "Abonnement Starter", ["Plan Starter (mois);1;29.00;8.1;;mois",
                                                      "Formation en ligne;1.5;120.00;8.1;10;h"], mode: .gross, daysAgo: 20)
            pay("f", "100.00", daysAgo: 5, method: "TWINT")
            // Italian, paid.
            invoice("g", c[6], "Piano Business", ["Piano Business (mese);1;99.00;8.1;;mese",
                                                  "Modulo E-Banking;1;19.90;8.1;;mese"], daysAgo: 15)
            pay("g", daysAgo: 3)
            // French reverse-charge invoice (exempt), open.
            invoice("h", c[3], "Abonnement Enterprise", ["Plan Enterprise (annuel);1;3490.00;0;;an",
                                                         "Module Mahnwesen (annuel);1;90.00;0;;an"],
                    mode: .exempt(note: "Autoliquidation – TVA due par le preneur (art. 283-2 du CGI)"), daysAgo: 10)
            // French, open, with a loyalty discount line.
            invoice("i", c[8], "Plan Starter", ["Plan Starter (mois);1;29.00;20;;mois", "Remise fidélité;1;-5.00;20"], daysAgo: 8)
            // German, open and not yet due; US annual.
            invoice("j", c[7], "Mahnwesen-Modul", ["Mahnwesen (Jahr);1;90.00;19;;Jahr"], daysAgo: 3)
            invoice("k", c[9], "Business plan, annual", ["Business plan (yearly);1;1090.00;0;;year"], daysAgo: 2)
            // Drafts (no number yet).
            invoice("draft-1", c[11], "Projet site vitrine", ["Conception graphique;12;85.00;20;;h"], daysAgo: nil)
            invoice("draft-2", c[0], "Zusatzspeicher", ["Speicher 50 GB;1;15.00;8.1;;Monat"], daysAgo: nil)
        }

        /// Plans and modules in every status, with the scheduled runs that move them on.
        mutating func addBookings(_ c: [Customer]) {
            // Active monthly plan and a yearly module; the plan's renewal is paid when its period starts.
            activate(c[0], .plan, "Business", .monthly, daysAgo: 42, paidDaysAgo: 40)
            activate(c[0], .module, "Zeiterfassung", .yearly, daysAgo: 42, paidDaysAgo: 40)
            let (store, invoicing, bookings, today) = (store, invoicing, bookings, today)
            let muller = c[0]
            at(9) {
                let plan = try bookings.planToShow(customerReference: String(muller.id))
                for period in try store.periods(bookingID: plan.id) where period.state == .invoiced {
                    let invoice = try store.invoice(id: period.invoiceID)
                    try invoicing.pay(reference: String(invoice.id), amount: invoice.open, date: today.adding(days: -9),
                                      method: "card", paymentReference: "DEMO-R\(invoice.id)")
                }
            }
            // Trials; an expired trial (the run expires it).
            activate(c[1], .plan, "Starter", .trial, daysAgo: 3)
            activate(c[7], .module, "Mahnwesen", .trial, daysAgo: 10)
            activate(c[5], .plan, "Starter", .trial, daysAgo: 30)
            // Pending: invoiced, not paid yet.
            activate(c[2], .plan, "Business", .monthly, daysAgo: 2)
            // Cancelled at expiry: yearly, usable until its end.
            activate(c[3], .plan, "Enterprise", .yearly, daysAgo: 100, paidDaysAgo: 95)
            let lefevre = c[3]
            at(20) { _ = try bookings.cancel(customerReference: String(lefevre.id), kind: .plan, productReference: nil,
                                             today: today.adding(days: -20)) }
            // A scheduled downgrade (Business → Starter at the end of the paid month).
            activate(c[4], .plan, "Business", .monthly, daysAgo: 12, paidDaysAgo: 12)
            activate(c[4], .plan, "Starter", .monthly, daysAgo: 1)
            // Free plan; a module withdrawn.
            activate(c[6], .plan, "Community", .free, daysAgo: 60)
            activate(c[6], .module, "E-Banking", .monthly, daysAgo: 60, paidDaysAgo: 58)
            let bianchi = c[6]
            at(15) { _ = try bookings.withdraw(customerReference: String(bianchi.id), kind: .module, productReference: "E-Banking",
                                               today: today.adding(days: -15)) }
            // An upgrade waiting for its invoice (Starter → Business).
            activate(c[7], .plan, "Starter", .monthly, daysAgo: 20, paidDaysAgo: 19)
            activate(c[7], .plan, "Business", .monthly, daysAgo: 1)
            // A renewal left unpaid: the booking runs on in the renewal period, its invoice open (then past due).
            activate(c[8], .plan, "Starter", .monthly, daysAgo: 40, paidDaysAgo: 40)
            // Yearly plan paid; a completed upgrade (Starter replaced by Business, credit on the invoice).
            activate(c[9], .plan, "Business", .yearly, daysAgo: 2, paidDaysAgo: 1)
            activate(c[10], .plan, "Starter", .monthly, daysAgo: 20, paidDaysAgo: 20)
            activate(c[10], .plan, "Business", .monthly, daysAgo: 5, paidDaysAgo: 4)
            // The runs cron would have made: ten days ago and today (last of the day).
            scheduledRun(daysAgo: 10)
            scheduledRun(daysAgo: 0)
        }
    }
}
