/// The calendar rules of paid periods (SPEC §1 "Periods and renewals"): how long one lasts, when its
/// renewal is invoiced, how long an unpaid renewal stays usable.
public enum RenewalPlan: Sendable {
    /// The inclusive last day of a period of `cycle` starting on `start` whose booking keeps the day of
    /// the month `anchorDay` (the day its first period started): the day before the next anchor date.
    /// A booking started on the 31st runs 01-31 – 02-27, 02-28 – 03-30, 03-31 – 04-29, 04-30 – 05-30, …
    /// (it renews on the 28th/29th/30th/31st, never drifting). Without an anchor the start's day is it.
    public static func periodEnd(start: Day, cycle: BookingCycle, anchorDay: Int? = nil) -> Day {
        guard let months = cycle.months else { return start }
        return anchored(start.adding(months: months), anchorDay: anchorDay ?? start.dayOfMonth).adding(days: -1)
    }

    /// `day` moved to the anchor day of its month, clamped to the month's last day.
    public static func anchored(_ day: Day, anchorDay: Int) -> Day {
        let (year, month, _) = day.components
        let target = min(max(1, anchorDay), Day.daysIn(month: month, year: year))
        return day.adding(days: target - day.dayOfMonth)
    }

    /// The day a period that starts "from the day of payment" starts when paid on `paidOn`: the payment
    /// day, or the planned start (the day it was invoiced) if the money moved earlier.
    public static func actualStart(planned: Day, paidOn: Day) -> Day { max(planned, paidOn) }

    /// A renewal starts the day after the current period ends (contiguous, never "today").
    public static func renewalStart(after end: Day) -> Day { end.adding(days: 1) }

    /// The first day on which the renewal of a period ending on `end` is invoiced.
    public static func renewalDue(periodEnd end: Day, leadDays: Int) -> Day { end.adding(days: -max(0, leadDays)) }

    /// The last day of a trial of `days` days starting on `start`.
    public static func trialEnd(start: Day, days: Int) -> Day { start.adding(days: max(1, days) - 1) }

    /// The last day an unpaid invoice keeps its booking usable: due date + grace days.
    public static func lastGraceDay(dueDate: Day, graceDays: Int) -> Day { dueDate.adding(days: max(0, graceDays)) }

    /// Whether an unpaid invoice due on `dueDate` is past due date + grace days on `day`.
    public static func graceExpired(dueDate: Day, graceDays: Int, on day: Day) -> Bool {
        day > lastGraceDay(dueDate: dueDate, graceDays: graceDays)
    }
}

/// Where the payment of a running booking's current period stands (shown by `plan show`).
public enum RenewalState: String, Sendable, Hashable {
    /// The current period's invoice is open and not yet due: usable.
    case open
    /// Past the due date, within `grace_days`: still usable.
    case pastDue = "past_due"

    /// The state of an unpaid invoice due on `dueDate` on `day` (nil once the grace is over: lapsed).
    public static func of(dueDate: Day, graceDays: Int, on day: Day) -> RenewalState? {
        if day <= dueDate { return .open }
        return RenewalPlan.graceExpired(dueDate: dueDate, graceDays: graceDays, on: day) ? nil : .pastDue
    }
}
