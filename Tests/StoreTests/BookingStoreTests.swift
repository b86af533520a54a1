import Billing
import Foundation
import Store
import Testing
import TestSupport

@Suite struct BookingStoreTests {
    /// A store with a customer, a plan, a booking and one issued invoice row for it.
    func seeded() throws -> (TemporaryDirectory, Store, Booking, Int64) {
        let directory = try TemporaryDirectory("booking-store")
        let store = try Store(path: try TestEngine.location(for: directory.path("invoice.sqlite")))
        let eur = try Currency(code: "EUR")
        let customer = try store.addCustomer(Customer(
            id: 0, company: "Acme", contact: "", address: Address(street: "", building: "", postcode: "", town: "",
                                                                  country: try Country(code: "DE")),
            email: "a@example.com", vatID: "", currency: eur, language: .de, billingInfo: ""))
        let plan = try store.saveProduct(Product(id: 0, kind: .plan, name: "Starter"))
        let booking = try store.insertBooking(Booking(customerID: customer.id, productID: plan.id, kind: .plan, productName: "Starter",
                                                      cycle: .monthly, status: .pending, start: try Day(parsing: "2026-01-01"),
                                                      end: try Day(parsing: "2026-01-31")))
        let invoice = try store.insertInvoice(Invoice(customerID: customer.id, currency: eur, language: .de, status: .open))
        return (directory, store, booking, invoice.id)
    }

    func period(_ booking: Booking, invoiceID: Int64, start: String) throws -> BookingPeriod {
        let eur = try Currency(code: "EUR")
        let day = try Day(parsing: start)
        return BookingPeriod(bookingID: booking.id, cycle: .monthly, reason: .initial, plannedStart: day, start: day,
                             end: RenewalPlan.periodEnd(start: day, cycle: .monthly), invoiceID: invoiceID,
                             listAmount: Money(minorUnits: 1000, currency: eur), credit: .zero(eur), carriedCredit: .zero(eur))
    }

    @Test func aPeriodIsMarkedPaidExactlyOnce() throws {
        let (directory, store, booking, invoiceID) = try seeded()
        defer { directory.remove() }
        let stored = try store.insertPeriod(try period(booking, invoiceID: invoiceID, start: "2026-01-01"))
        let day = try Day(parsing: "2026-01-03")
        #expect(try store.markPeriodPaid(id: stored.id, start: day, end: day.adding(days: 30), paidOn: day))
        #expect(try !store.markPeriodPaid(id: stored.id, start: day, end: day.adding(days: 30), paidOn: day))
        #expect(try !store.voidPeriod(id: stored.id))
        #expect(try store.periods(bookingID: booking.id).map(\.state) == [.paid])
    }

    @Test func theSamePeriodCannotBeInvoicedTwiceUnlessTheFirstWasVoided() throws {
        let (directory, store, booking, invoiceID) = try seeded()
        defer { directory.remove() }
        let first = try store.insertPeriod(try period(booking, invoiceID: invoiceID, start: "2026-02-01"))
        let eur = try Currency(code: "EUR")
        let second = try store.insertInvoice(Invoice(customerID: booking.customerID, currency: eur, language: .de, status: .open))
        #expect(throws: (any Error).self) { try store.insertPeriod(try period(booking, invoiceID: second.id, start: "2026-02-01")) }
        #expect(try store.voidPeriod(id: first.id))
        _ = try store.insertPeriod(try period(booking, invoiceID: second.id, start: "2026-02-01"))
        #expect(try store.periods(bookingID: booking.id).map(\.state) == [.void, .invoiced])
    }

    @Test func aTrialIsRecordedOncePerCustomerAndProduct() throws {
        let (directory, store, booking, _) = try seeded()
        defer { directory.remove() }
        let day = try Day(parsing: "2026-01-01")
        #expect(try store.recordTrial(customerID: booking.customerID, productID: booking.productID, date: day))
        #expect(try !store.recordTrial(customerID: booking.customerID, productID: booking.productID, date: day.adding(days: 40)))
        #expect(try store.trialStarted(customerID: booking.customerID, productID: booking.productID) == day)
    }

    @Test func aCustomerWithoutInvoicesIsDeletedWithItsBookings() throws {
        let directory = try TemporaryDirectory("booking-store-delete")
        defer { directory.remove() }
        let store = try Store(path: try TestEngine.location(for: directory.path("invoice.sqlite")))
        let customer = try store.addCustomer(Customer(
            id: 0, company: "Trial Only", contact: "", address: Address(street: "", building: "", postcode: "", town: "",
                                                                        country: try Country(code: "DE")),
            email: "t@example.com", vatID: "", currency: try Currency(code: "EUR"), language: .de, billingInfo: ""))
        let plan = try store.saveProduct(Product(id: 0, kind: .plan, name: "Starter", trialDays: 14))
        let booking = try store.insertBooking(Booking(customerID: customer.id, productID: plan.id, kind: .plan, productName: "Starter",
                                                      cycle: .trial, status: .trial, start: try Day(parsing: "2026-01-01"),
                                                      end: try Day(parsing: "2026-01-14")))
        try store.addBookingEvent(bookingID: booking.id, date: try Day(parsing: "2026-01-01"), action: "activate", detail: "trial")
        try store.deleteCustomer(id: customer.id)
        #expect(try store.bookings(customerID: customer.id, kind: .plan).isEmpty)
    }
}
