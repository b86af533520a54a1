import Billing
import Store

/// The one place that turns "an invoice became paid" into its consequences, inside the transaction
/// that recorded the payment: bookings it pays for are activated exactly once.
public struct PaidStatusWatcher {
    let store: Store

    public init(store: Store) { self.store = store }

    func invoiceBecamePaid(_ invoice: Invoice, on day: Day) throws {}

    func invoiceWasCancelled(_ invoice: Invoice, on day: Day) throws {}
}
