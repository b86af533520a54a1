import Billing
import Testing

@Suite struct BookingRulesTests {
    @Test func aMonthlyPeriodEndsTheDayBeforeTheSameDayNextMonthClampedToTheMonthEnd() throws {
        #expect(RenewalPlan.periodEnd(start: try Day(parsing: "2026-01-01"), cycle: .monthly) == (try Day(parsing: "2026-01-31")))
        #expect(RenewalPlan.periodEnd(start: try Day(parsing: "2026-01-31"), cycle: .monthly) == (try Day(parsing: "2026-02-27")))
        #expect(RenewalPlan.periodEnd(start: try Day(parsing: "2028-02-29"), cycle: .yearly) == (try Day(parsing: "2029-02-27")))
        #expect(RenewalPlan.renewalStart(after: try Day(parsing: "2026-02-28")) == (try Day(parsing: "2026-03-01")))
    }

    @Test func aPeriodPaidLateStartsOnThePaymentDayAndOneNotYetDueOnItsPlannedStart() throws {
        let planned = try Day(parsing: "2026-03-01")
        #expect(RenewalPlan.actualStart(planned: planned, paidOn: try Day(parsing: "2026-02-20")) == planned)
        #expect(RenewalPlan.actualStart(planned: planned, paidOn: try Day(parsing: "2026-03-05")) == (try Day(parsing: "2026-03-05")))
    }

    @Test func theCreditIsThePaidAmountTimesUnusedDaysOverDaysInThePeriodRoundedHalfUp() throws {
        let eur = try Currency(code: "EUR")
        let paid = Money(minorUnits: 1000, currency: eur)
        let start = try Day(parsing: "2026-01-01"), end = try Day(parsing: "2026-01-31")
        #expect(Proration.credit(paid: paid, periodStart: start, periodEnd: end, from: try Day(parsing: "2026-01-11")).minorUnits == 677)
        #expect(Proration.credit(paid: paid, periodStart: start, periodEnd: end, from: start).minorUnits == 1000)
        #expect(Proration.credit(paid: paid, periodStart: start, periodEnd: end, from: try Day(parsing: "2026-02-01")).minorUnits == 0)
        // 31.00 × 1 / 2 = 15.50 exactly; 0.05 × 1 / 2 = 0.025 → 0.03 (half-up).
        let two = try Day(parsing: "2026-01-02")
        #expect(Proration.credit(paid: Money(minorUnits: 5, currency: eur), periodStart: start, periodEnd: two, from: two).minorUnits == 3)
    }

    @Test func aDearerPlanOrMonthlyToYearlyIsAnUpgradeAndTheRestADowngrade() throws {
        let eur = try Currency(code: "EUR")
        let vat = try Percentage(parsing: "19", field: "VAT")
        func price(_ monthly: Int64) -> ProductPrice {
            ProductPrice(currency: eur, monthly: Money(minorUnits: monthly, currency: eur),
                         yearly: Money(minorUnits: monthly * 10, currency: eur), vatRate: vat, isGross: false)
        }
        #expect(BookingChange.classify(currentPaid: true, sameProduct: false, currentCycle: .monthly, newCycle: .monthly,
                                       currentPrice: price(1000), newPrice: price(3100)) == .upgrade)
        #expect(BookingChange.classify(currentPaid: true, sameProduct: false, currentCycle: .yearly, newCycle: .yearly,
                                       currentPrice: price(3100), newPrice: price(1000)) == .downgrade)
        #expect(BookingChange.classify(currentPaid: true, sameProduct: true, currentCycle: .monthly, newCycle: .yearly,
                                       currentPrice: price(1000), newPrice: price(1000)) == .upgrade)
        #expect(BookingChange.classify(currentPaid: true, sameProduct: true, currentCycle: .yearly, newCycle: .monthly,
                                       currentPrice: price(1000), newPrice: price(1000)) == .downgrade)
        #expect(BookingChange.classify(currentPaid: false, sameProduct: false, currentCycle: .trial, newCycle: .monthly,
                                       currentPrice: price(3100), newPrice: price(1000)) == .conversion)
    }

    @Test func accessFollowsStatusAndPeriod() throws {
        let day = try Day(parsing: "2026-05-10")
        var booking = Booking(customerID: 1, productID: 1, kind: .plan, productName: "Starter", cycle: .monthly, status: .active,
                              start: try Day(parsing: "2026-05-01"), end: try Day(parsing: "2026-05-31"))
        #expect(booking.grantsAccess(on: day))
        booking.status = .pending
        #expect(!booking.grantsAccess(on: day))
        booking.status = .cancelled
        #expect(!booking.grantsAccess(on: try Day(parsing: "2026-06-01")))
    }
}
