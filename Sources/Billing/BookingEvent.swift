/// One line of a booking's history: what happened, when, and the details an operator wants to see.
public struct BookingEvent: Sendable, Hashable {
    public var date: Day
    public var action: String
    public var detail: String

    public init(date: Day, action: String, detail: String) {
        self.date = date
        self.action = action
        self.detail = detail
    }
}
