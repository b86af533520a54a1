/// The calendar rules of paid periods: how long one lasts, when its renewal is invoiced, when it starts.
public enum RenewalPlan: Sendable {
    /// The inclusive last day of a period of `cycle` starting on `start`: one cycle later, minus a day
    /// (2026-01-31 monthly ends 2027-02-27; the next starts 2027-02-28).
    public static func periodEnd(start: Day, cycle: BookingCycle) -> Day {
        guard let months = cycle.months else { return start }
        return start.adding(months: months).adding(days: -1)
    }

    /// The day a period that is paid on `paidOn` actually starts: the payment day, or the planned
    /// start if it was paid earlier.
    public static func actualStart(planned: Day, paidOn: Day) -> Day { max(planned, paidOn) }

    /// A renewal starts the day after the current period ends (contiguous, never "today").
    public static func renewalStart(after end: Day) -> Day { end.adding(days: 1) }

    /// The first day on which the renewal of a period ending on `end` is invoiced.
    public static func renewalDue(periodEnd end: Day, leadDays: Int) -> Day { end.adding(days: -max(0, leadDays)) }

    /// The last day of a trial of `days` days starting on `start`.
    public static func trialEnd(start: Day, days: Int) -> Day { start.adding(days: max(1, days) - 1) }

    /// The day an unpaid invoice's booking is given up: the day after due date + grace days.
    public static func graceExpired(dueDate: Day, graceDays: Int, on day: Day) -> Bool {
        day > dueDate.adding(days: max(0, graceDays))
    }
}
