import Billing
import Foundation
import HTTPServer
import Store
import Testing
import TestSupport
import Webhook
import Workflows

/// 200 customers through two years of random bookings, upgrades, downgrades, cancels, withdraws,
/// repricing and deactivation, paying early, on time, late, backdated (by hand and through the signed
/// webhook) or never, with `invoice run` every day (or every 4th day), checking the rules of SPEC §1
/// after every run. Driven in process through the Workflows and Store APIs on a real SQLite file;
/// `aShortSimulationThroughTheCommandLineMatchesTheRules` drives the same rules through the binary.
@Suite struct SimulatedYearTests {
    /// A deterministic pseudo-random sequence (the simulation must be repeatable).
    struct Dice {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        mutating func chance(_ percent: Int) -> Bool { next(1000) < percent * 10 }
        mutating func permille(_ value: Int) -> Bool { next(1000) < value }
    }

    /// How a customer pays.
    enum Payer: CaseIterable { case early, onTime, late, backdated, webhook, never }

    final class World {
        let directory: TemporaryDirectory
        let path: String
        let store: Store
        let bookings: Bookings
        let invoicing: Invoicing
        let repricing: Repricing
        let run: ScheduledRun
        let webhook: WebhookHandler
        let secret: WebhookSecret
        var customers: [(id: Int64, payer: Payer)] = []
        var payDay: [Int64: (recordOn: Day, dated: Day)] = [:]
        var dice: Dice
        let start: Day
        let eur: Currency
        var refusals = 0
        var actions: [String: Int] = [:]
        var events = 0
        let graceDays = 10
        var verifiedHistory = Set<Int64>()
        /// Each booking as last loaded, with its periods and the id of its latest history line.
        var known: [Int64: (event: Int64, booking: Booking, periods: [BookingPeriod])] = [:]
        /// Due dates of invoices (they never change once issued).
        var dueDates: [Int64: Day] = [:]

        init(customers count: Int, seed: UInt64) throws {
            dice = Dice(state: seed)
            let base = URL(fileURLWithPath: "/dev/shm")
            directory = FileManager.default.fileExists(atPath: base.path)
                ? try TemporaryDirectory(in: base, "simulated-year") : try TemporaryDirectory("simulated-year")
            path = directory.path("invoice.sqlite")
            store = try Store(path: path)
            bookings = Bookings(store: store)
            invoicing = Invoicing(store: store)
            repricing = Repricing(store: store)
            run = ScheduledRun(store: store)
            secret = try WebhookSecret("whsec_" + Data((0..<32).map { UInt8($0) }).base64EncodedString())
            webhook = WebhookHandler(databasePath: path, secret: secret, outbox: nil, clock: { 1_795_000_000 })
            start = try Day(year: 2026, month: 1, day: 1)
            eur = try Currency(code: "EUR")
            try store.setSetting("payment_terms", to: "14")
            try store.setSetting("renewal_days", to: "7")
            try store.setSetting("grace_days", to: String(graceDays))
            func price(_ m: String, _ y: String) throws -> ProductPrice {
                ProductPrice(currency: eur, monthly: try Money(parsing: m, currency: eur), yearly: try Money(parsing: y, currency: eur),
                             vatRate: try Percentage(parsing: "19", field: "VAT"), isGross: false)
            }
            _ = try store.saveProduct(Product(id: 0, kind: .plan, name: "Starter", trialDays: 14, prices: [try price("10.00", "100.00")]))
            _ = try store.saveProduct(Product(id: 0, kind: .plan, name: "Business", trialDays: 30, prices: [try price("31.00", "300.00")]))
            _ = try store.saveProduct(Product(id: 0, kind: .plan, name: "Enterprise", prices: [try price("99.99", "999.00")]))
            _ = try store.saveProduct(Product(id: 0, kind: .plan, name: "Community", isFree: true, prices: [try price("0.00", "0.00")]))
            _ = try store.saveProduct(Product(id: 0, kind: .module, name: "Zeiterfassung", trialDays: 7, prices: [try price("4.99", "49.00")]))
            _ = try store.saveProduct(Product(id: 0, kind: .module, name: "Mahnwesen", prices: [try price("3.00", "30.00")]))
            for index in 0..<count {
                let customer = try store.addCustomer(Customer(
                    id: 0, company: "Customer \(index)", contact: "",
                    address: Address(street: "", building: "", postcode: "", town: "", country: try Country(code: "DE")),
                    email: "c\(index)@example.com", vatID: "", currency: eur, language: Language.allCases[index % 4], billingInfo: ""))
                customers.append((customer.id, Payer.allCases[index % Payer.allCases.count]))
            }
        }

        /// Runs one operator action; a refusal (WorkflowError: "already booked", "not active", …) is
        /// expected now and then, any other error is a bug.
        func attempt(_ name: String, _ body: () throws -> Void) throws {
            do {
                try body()
                actions[name, default: 0] += 1
            } catch is WorkflowError {
                refusals += 1
            }
        }

        /// Random operator actions of one day.
        func act(on day: Day) throws {
            for customer in customers where dice.permille(35) {
                let id = String(customer.id)
                let plans = ["Starter", "Business", "Enterprise"]
                switch dice.next(14) {
                case 0, 1, 2:
                    let plan = plans[dice.next(3)]
                    let how: Bookings.Activation = dice.chance(70) ? .monthly : .yearly
                    try attempt("activate \(how.rawValue)") {
                        _ = try bookings.activate(customerReference: id, kind: .plan, productReference: plan, as: how, today: day)
                    }
                case 3:
                    try attempt("trial") {
                        _ = try bookings.activate(customerReference: id, kind: .plan, productReference: plans[dice.next(2)], as: .trial, today: day)
                    }
                case 4:
                    try attempt("free") {
                        _ = try bookings.activate(customerReference: id, kind: .plan, productReference: "Community", as: .free, today: day)
                    }
                case 5, 6:
                    let module = dice.chance(50) ? "Zeiterfassung" : "Mahnwesen"
                    let how: Bookings.Activation = dice.chance(60) ? .monthly : dice.chance(50) ? .yearly : .trial
                    try attempt("module \(how.rawValue)") {
                        _ = try bookings.activate(customerReference: id, kind: .module, productReference: module, as: how, today: day)
                    }
                case 7:
                    try attempt("cancel") { _ = try bookings.cancel(customerReference: id, kind: .plan, productReference: nil, today: day) }
                case 8:
                    try attempt("revoke") { _ = try bookings.revoke(customerReference: id, kind: .plan, productReference: nil, today: day) }
                case 9:
                    try attempt("withdraw") { _ = try bookings.withdraw(customerReference: id, kind: .plan, productReference: nil, today: day) }
                case 10:
                    try attempt("withdraw module") {
                        _ = try bookings.withdraw(customerReference: id, kind: .module, productReference: "Zeiterfassung", today: day)
                    }
                case 11:
                    // Mostly a dearer plan or monthly → yearly (upgrade), sometimes a cheaper one (downgrade).
                    try attempt("change") {
                        _ = try bookings.activate(customerReference: id, kind: .plan, productReference: plans[dice.next(3)],
                                                  as: dice.chance(50) ? .yearly : .monthly, today: day)
                    }
                case 12 where dice.chance(10):
                    var stored = try store.customer(id: customer.id)
                    stored.isActive.toggle()
                    _ = try store.updateCustomer(stored)
                    actions[stored.isActive ? "reactivate customer" : "deactivate customer", default: 0] += 1
                default:
                    break
                }
            }
            if dice.permille(8) {
                let product = dice.chance(50) ? "Business" : "Zeiterfassung"
                let monthly = Money(minorUnits: Int64(300 + dice.next(9_000)), currency: eur)
                try attempt("reprice") {
                    _ = try repricing.reprice(productReference: product, currency: eur, monthly: monthly,
                                              yearly: Money(minorUnits: monthly.minorUnits * 10, currency: eur),
                                              existing: dice.chance(70))
                }
            }
        }

        /// Customers pay their open invoices according to their habits.
        func pay(on day: Day) throws {
            var open: [InvoiceSummary] = []
            try store.forEachInvoice(InvoiceFilter(statuses: [.open, .partiallyPaid])) { open.append($0) }
            for invoice in open {
                guard let issued = invoice.issueDate, let due = invoice.dueDate else { continue }
                let payer = customers.first { $0.id == invoice.customerID }?.payer ?? .never
                if payDay[invoice.id] == nil {
                    let never = Day(daysSinceEpoch: Int.max / 2)
                    switch payer {
                    case .early: payDay[invoice.id] = (issued, issued)
                    case .onTime:
                        let on = issued.adding(days: dice.next(15))
                        payDay[invoice.id] = (on, on)
                    case .late:
                        let on = due.adding(days: 1 + dice.next(graceDays + 20))
                        payDay[invoice.id] = dice.chance(85) ? (on, on) : (never, never)
                    case .backdated:
                        // Recorded days after the money moved; sometimes dated before the invoice.
                        let moved = issued.adding(days: dice.next(20) - 3)
                        payDay[invoice.id] = (moved.adding(days: 1 + dice.next(8)), moved)
                    case .webhook:
                        let on = issued.adding(days: dice.next(25))
                        payDay[invoice.id] = (on, on.adding(days: -1))  // paid_at 23:45Z the day before
                    case .never: payDay[invoice.id] = dice.chance(20) ? (due.adding(days: 3), due.adding(days: 3)) : (never, never)
                    }
                }
                guard let when = payDay[invoice.id], when.recordOn <= day else { continue }
                // An earlier payment or action today may have paid or cancelled this one.
                let current = try store.invoice(id: invoice.id)
                guard current.status == .open || current.status == .partiallyPaid else { continue }
                if payer == .webhook {
                    try payByWebhook(current, paidAt: "\(when.dated)T23:45:00Z")
                } else {
                    _ = try invoicing.pay(reference: String(invoice.id), amount: current.open, date: min(when.dated, day))
                }
            }
        }

        func payByWebhook(_ invoice: Invoice, paidAt: String) throws {
            events += 1
            let body = Array("""
                {"type":"payment.succeeded","data":{"id":"evt_\(events)","invoice":"\(invoice.number ?? "")",\
                "amount":"\(invoice.open.decimalString)","currency":"EUR","paid_at":"\(paidAt)"}}
                """.utf8)
            let stamp = "1795000000"
            let request = HTTPRequest(method: "POST", target: "/webhooks/payments", headers: [
                HTTPHeader("webhook-id", "msg_\(events)"), HTTPHeader("webhook-timestamp", stamp),
                HTTPHeader("webhook-signature", secret.signature(id: "msg_\(events)", timestamp: stamp, body: body)),
                HTTPHeader("Content-Type", "application/json"),
            ], body: body)
            // The provider delivers on the day it was paid: that is "today" for the payment-date check.
            let deliveredOn = try Day(parsing: String(paidAt.prefix(10)))
            let handler = WebhookHandler(databasePath: path, secret: secret, outbox: nil, today: deliveredOn,
                                         clock: { 1_795_000_000 })
            let response = handler.respond(to: request)
            #expect(response.status == 200, "webhook for \(invoice.number ?? ""): \(response.bodyText)")
        }

        /// The day of the month a printed period of booking `bookingID` was to end on (SPEC §1, README),
        /// from the booking's periods up to it: a period from the day of payment sets it to the day it
        /// started; a renewal that follows no period (renewed from the day a late payment restarted it)
        /// to its own start; a scheduled change keeps the anchor of the booking it replaces.
        func anchorInForce(bookingID: Int64, at target: BookingPeriod) -> Int {
            guard let entry = known[bookingID] else { return target.plannedStart.dayOfMonth }
            var anchor = target.plannedStart.dayOfMonth
            for period in entry.periods.sorted(by: { $0.plannedStart < $1.plannedStart }) where period.plannedStart <= target.plannedStart {
                if period.startsOnPayment {
                    if period.paidOn != nil { anchor = period.start.dayOfMonth }
                } else if !entry.periods.contains(where: { $0.end.adding(days: 1) == period.plannedStart }) {
                    if period.reason == .change, let replaced = entry.booking.replacesID, let before = known[replaced],
                       let last = before.periods.filter({ $0.paidOn != nil && $0.end < period.plannedStart }).max(by: { $0.end < $1.end }) {
                        anchor = anchorInForce(bookingID: replaced, at: last)
                    } else {
                        anchor = period.plannedStart.dayOfMonth
                    }
                }
            }
            return anchor
        }

        /// The rules of SPEC §1 on `day`, after the run.
        func check(on day: Day, op: Operator) throws -> Int {
            // Violations are collected and expected empty once per day (an #expect per booking and day is slow).
            var problems: [String] = []
            func require(_ condition: Bool, _ message: @autoclosure () -> String) {
                if !condition { problems.append(message()) }
            }
            var plansWithAccess: [Int64: Int] = [:]
            var active = 0
            func dueDate(_ id: Int64) throws -> Day? {
                if let due = dueDates[id] { return due }
                let due = try store.invoice(id: id).dueDate
                dueDates[id] = due
                return due
            }
            // Every change of a booking or its periods writes a history line: reload only what changed,
            // check the rest (access on this day) from memory.
            for (id, event) in try store.latestBookingEventIDs() where known[id]?.event != event {
                known[id] = (event, try store.booking(id: id), try store.periods(bookingID: id))
            }
            for (_, entry) in known where !entry.booking.status.isHistory || !verifiedHistory.contains(entry.booking.id) {
                let booking = entry.booking
                if booking.status.isHistory { verifiedHistory.insert(booking.id) }
                let periods = entry.periods
                let live = periods.filter { $0.state != .void }
                let paid = live.filter { $0.state == .paid }
                // A period is invoiced once; live periods of a booking never overlap.
                require(Set(live.map(\.plannedStart)).count == live.count, "booking \(booking.id) has a period invoiced twice")
                let sorted = live.sorted { $0.start < $1.start }
                for (a, b) in zip(sorted, sorted.dropFirst()) {
                    require(a.end < b.start, "booking \(booking.id): periods \(a.start)–\(a.end) and \(b.start)–\(b.end) overlap")
                }
                for period in live {
                    if period.reason == .renewal {
                        // Renewals are contiguous: the day after the period before (paid, open or given up);
                        // after a period paid only once it had ended, from the day that payment renewed it
                        // (README, issue 17: the days without access are not billed).
                        require(periods.contains { before in
                                    before.end.adding(days: 1) == period.plannedStart
                                        || (before.end < period.plannedStart && (before.paidOn.map { $0 > before.end && $0 <= period.plannedStart } ?? false))
                                },
                                "booking \(booking.id): renewal from \(period.plannedStart) does not follow a period")
                    }
                    if period.state == .paid, let paidOn = period.paidOn {
                        // Delivered as printed: a printed period keeps its dates; "from the day of payment"
                        // starts on the payment day (or the day it was invoiced, if the money moved earlier).
                        let expectedStart = period.startsOnPayment ? max(period.plannedStart, paidOn) : period.plannedStart
                        require(period.start == expectedStart, "booking \(booking.id): period planned \(period.plannedStart) paid \(paidOn) starts \(period.start)")
                        let anchor = period.startsOnPayment ? period.start.dayOfMonth : nil
                        if !period.startsOnPayment {
                            // A printed renewal or scheduled change runs from its planned start to the day before
                            // the anchor day a cycle later, the anchor in force when it was invoiced (derived from
                            // the periods before it, not the booking's anchor of today: a later restart moves it).
                            let anchorDay = anchorInForce(bookingID: booking.id, at: period)
                            let expectedEnd = try SimulatedYearTests.expectedPeriodEnd(start: period.plannedStart, cycle: period.cycle,
                                                                                       anchorDay: anchorDay)
                            require(period.end == expectedEnd, "booking \(booking.id): \(period.reason) from \(period.plannedStart) (anchor \(anchorDay)) ends \(period.end)")
                        }
                        if period.startsOnPayment {
                            require(period.end == (try SimulatedYearTests.expectedPeriodEnd(start: period.start, cycle: period.cycle, anchorDay: anchor ?? period.start.dayOfMonth)),
                                    "booking \(booking.id): period from \(period.start) ends \(period.end)")
                        }
                    }
                }
                // No access without a paid period covering today, or an open renewal within grace.
                if booking.grantsAccess(on: day) {
                    if booking.kind == .plan { plansWithAccess[booking.customerID, default: 0] += 1 }
                    if booking.cycle.isRecurring {
                        active += 1
                        let covering = paid.filter { $0.contains(day) }.count
                        if covering != 1 {
                            let openPeriod = live.first { $0.state == .invoiced && $0.contains(day) }
                            let due = try openPeriod.flatMap { try dueDate($0.invoiceID) }
                            // Usable up to and including due date + grace days (SPEC §1), counted here in days.
                            let withinGrace = due.map { day.daysSinceEpoch <= $0.daysSinceEpoch + op.graceDays } ?? false
                            require(covering == 0 && withinGrace,
                                    "booking \(booking.id) (\(booking.status) \(booking.start?.description ?? "-")–\(booking.end?.description ?? "-")) usable on \(day): \(covering) paid periods, open renewal within grace: \(withinGrace); periods \(periods.map { "\($0.plannedStart)/\($0.start)–\($0.end) \($0.state) \($0.reason)" })")
                        }
                        // The booking shows the period it is in.
                        require(live.contains { $0.start == booking.start && $0.end == booking.end },
                                "booking \(booking.id): \(booking.start?.description ?? "-")–\(booking.end?.description ?? "-") is no invoiced period")
                    }
                }
                if booking.status == .lapsed {
                    require(!booking.grantsAccess(on: day), "booking \(booking.id): lapsed but usable")
                }
                if let start = booking.start, let end = booking.end {
                    require(start <= end, "booking \(booking.id) \(booking.status): \(start) – \(end)")
                }
            }
            for (customer, count) in plansWithAccess {
                require(count == 1, "customer \(customer) has \(count) plans on \(day)")
            }
            #expect(problems.isEmpty, "\(day): \(problems.count) violations, first: \(problems.prefix(5))")
            return active
        }

        /// Each paid period was activated exactly once ("paid" once in its booking's history), and the
        /// money adds up, invoice by invoice and in total: Σ lines of live periods' invoices =
        /// Σ list prices − Σ credits used + Σ corrections settled on them (booking adjustments, read
        /// from the file with sqlite3).
        // Mutation (mutants.tsv period-end-anchor-simulated, downgrade-keeps-anchor): RenewalPlan.periodEnd
        // ignores the anchor day, or a downgrade takes its start's day as anchor → check's "ends" fails.
        // Mutation: mutants.tsv adjustment-line-dropped (Bookings.invoicePeriod settles a correction without
        // its line) → the identity breaks and this test fails. Mutation: mutants.tsv period-end-anchor
        // (RenewalPlan.periodEnd ignores the anchor day) → the independent period end differs and this fails.
        func checkLedger() throws {
            var paidPeriods: [Int64: Int] = [:]
            var listed: Int64 = 0, credited: Int64 = 0
            var periodsByInvoice: [Int64: [BookingPeriod]] = [:]
            try store.forEachPeriod { period in
                // A paid period whose invoice was credited in full is void, but was activated once.
                if period.state == .paid || (period.state == .void && period.paidOn != nil) {
                    paidPeriods[period.bookingID, default: 0] += 1
                }
                guard period.state != .void else { return }
                listed += period.listAmount.minorUnits
                credited += period.credit.minorUnits
                periodsByInvoice[period.invoiceID, default: []].append(period)
            }
            for (booking, count) in paidPeriods {
                let paidEvents = try store.bookingEvents(bookingID: booking).filter { $0.action == "paid" }.count
                #expect(paidEvents == count, "booking \(booking): \(count) paid periods, \(paidEvents) activations")
            }
            let settled = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/sqlite3"), [path,
                "SELECT invoice_id, amount, gross FROM booking_adjustments WHERE invoice_id IS NOT NULL"])
            try #require(settled.status == 0, "sqlite3: \(settled.stderr)")
            var corrections: [Int64: Int64] = [:]
            for line in settled.stdout.split(separator: "\n") {
                let fields = line.split(separator: "|").map(String.init)
                try #require(fields.count == 3, "\(line)")
                let invoiceID = try #require(Int64(fields[0])), amount = try #require(Int64(fields[1]))
                // The simulation's prices are net, so a correction is written as it is stored.
                #expect(fields[2] == "0", "adjustment on invoice \(invoiceID) is gross")
                corrections[invoiceID, default: 0] += amount
            }
            var invoiced: Int64 = 0, corrected: Int64 = 0
            for (id, periods) in periodsByInvoice {
                #expect(periods.count == 1, "invoice \(id) bills \(periods.count) live periods")
                let invoice = try store.invoice(id: id)
                #expect(invoice.status != .cancelled, "invoice \(id) of a live period is cancelled")
                #expect(invoice.lines.allSatisfy { $0.quantity == DecimalNumber(1) && $0.discount == .zero },
                        "invoice \(id) has a line that is not one unit at its price")
                let lines = invoice.lines.reduce(Int64(0)) { $0 + $1.unitPrice.minorUnits }
                let expected = periods.reduce(Int64(0)) { $0 + $1.listAmount.minorUnits - $1.credit.minorUnits } + corrections[id, default: 0]
                #expect(lines == expected, "invoice \(id): lines add up to \(lines), list − credit + corrections is \(expected)")
                // The period's price is the first line.
                #expect(invoice.lines.first?.unitPrice == periods.first?.listAmount, "invoice \(id): first line ≠ the period's list price")
                invoiced += lines
                corrected += corrections[id, default: 0]
            }
            #expect(invoiced == listed - credited + corrected,
                    "Σ invoiced \(invoiced) ≠ Σ listed \(listed) − Σ credited \(credited) + Σ corrections \(corrected)")
            #expect(credited > 0, "the simulation should include upgrade credits")
            #expect(corrected != 0, "the simulation should include corrections")
        }
    }

    /// The last day of a period from `start`: the anchor day `months` later (the month's last day when it
    /// is shorter), less one day. Written from SPEC §1 with its own calendar, not with `RenewalPlan`.
    static func expectedPeriodEnd(start: Day, cycle: BookingCycle, anchorDay: Int) throws -> Day? {
        let months: Int
        switch cycle {
        case .monthly: months = 1
        case .yearly: months = 12
        case .free, .trial, .onetime: return nil
        }
        let (year, month, _) = start.components
        let index = year * 12 + (month - 1) + months
        let (endYear, endMonth) = (index / 12, index % 12 + 1)
        let leap = endYear % 4 == 0 && (endYear % 100 != 0 || endYear % 400 == 0)
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][endMonth - 1]
        let next = try Day(year: endYear, month: endMonth, day: min(anchorDay, length))
        return Day(daysSinceEpoch: next.daysSinceEpoch - 1)
    }

    func simulate(customers: Int, days: Int, every interval: Int, seed: UInt64) throws {
        let world = try World(customers: customers, seed: seed)
        defer { world.directory.remove() }
        let op = try world.store.loadOperator()
        var totals = (renewals: 0, renewed: 0, lapsed: 0, stopped: 0, started: 0, expired: 0, inactive: 0, active: 0)
        let clock = ContinuousClock()
        var spent: [String: Duration] = [:]
        func timed<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
            let began = clock.now
            defer { spent[name, default: .zero] += clock.now - began }
            return try body()
        }
        defer { print("SIMTIME", spent) }
        for n in 0..<days {
            let day = world.start.adding(days: n)
            try timed("act") { try world.act(on: day) }
            try timed("pay") { try world.pay(on: day) }
            guard n % interval == 0 else { continue }
            let first = try timed("run") { try world.run.run(today: day) }
            #expect(first.errors.isEmpty, "run on \(day): \(first.errors)")
            totals.renewals += first.renewalsInvoiced
            totals.renewed += first.renewed
            totals.lapsed += first.lapsed
            totals.stopped += first.stopped
            totals.started += first.scheduledStarted
            totals.expired += first.expired
            totals.inactive += first.inactiveNotRenewed
            let second = try timed("run2") { try world.run.run(today: day) }
            #expect(!second.changedAnything, "a second run on \(day) changed something: \(second)")
            #expect(second.errors.isEmpty)
            totals.active = max(totals.active, try timed("check") { try world.check(on: day, op: op) })
        }
        try world.checkLedger()
        var statuses = Set<BookingStatus>()
        try world.store.forEachBooking { statuses.insert($0.status) }
        for expected: BookingStatus in [.active, .expired, .withdrawn] {
            #expect(statuses.contains(expected), "no booking ended \(expected)")
        }
        #expect(totals.renewals > 300 && totals.renewed > 300 && totals.lapsed > 10 && totals.stopped > 10 && totals.started > 5
                    && totals.expired > 50 && totals.inactive > 0 && totals.active > 100,
                "the simulation should renew, lapse, stop, start scheduled changes and skip inactive customers: \(totals)")
        for action in ["activate monthly", "activate yearly", "change", "cancel", "withdraw", "reprice", "deactivate customer"] {
            #expect(world.actions[action, default: 0] > 0, "no \(action) in \(world.actions)")
        }
    }

    // Mutation (mutants.tsv renewal-inactive-customer-daily): in ScheduledRun.stepRunning, invoice renewals for inactive customers → "no run fails" fails;
    // (mutants.tsv watcher-printed-start-daily) in PaidStatusWatcher.activate, start printed periods on the
    // payment day → "delivered as printed" fails.
    @Test func twoYearsOfDailyRunsKeepEveryRule() throws {
        try simulate(customers: 200, days: 730, every: 1, seed: 42)
    }

    // Mutation (mutants.tsv watcher-printed-start-simulated): printed periods start on the payment day → "delivered
    // as printed" fails in the catch-up too.
    @Test func runningOnlyEveryFourthDayCatchesUpAndKeepsEveryRule() throws {
        try simulate(customers: 120, days: 400, every: 4, seed: 7)
    }

    @Test func aShortSimulationThroughTheCommandLineMatchesTheRules() throws {
        let desk = try BookingDesk(label: "simulated-cli").withCustomer()
        defer { desk.remove() }
        let first = try desk.json(["plan", desk.customer, "activate", "Starter", "--monthly"], date: "2026-01-31")
        try desk.ok(["pay", try #require(first["invoice"] as? String), "--amount", "11.90", "--date", "2026-01-30"], date: "2026-02-02")
        var day = try Day(parsing: "2026-02-02")
        for _ in 0..<95 {
            try desk.ok(["run"], date: day.description)
            let before = try desk.dump()
            let again = try desk.json(["run"], date: day.description)
            #expect(again["changed"] as? Bool == false)
            #expect(try desk.dump() == before, "second run on \(day) changed the database")
            let plan = try desk.plan(day.description)
            if let number = (plan["next_renewal"] as? [String: Any])?["invoice"] as? String,
               try desk.invoice(number)["status"] as? String == "open", day.dayOfMonth % 3 == 0 {
                try desk.ok(["pay", number, "--amount", "11.90"], date: day.description)
            }
            #expect(try desk.plan(day.description)["status"] as? String == "active")
            day = day.adding(days: 1)
        }
        let periods = ((try desk.plan(day.description)["periods"] as? [[String: Any]]) ?? []).map {
            "\($0["start"] as? String ?? "")…\($0["end"] as? String ?? "")"
        }
        #expect(periods == ["2026-01-31…2026-02-27", "2026-02-28…2026-03-30", "2026-03-31…2026-04-29", "2026-04-30…2026-05-30"],
                "\(periods)")
    }
}
