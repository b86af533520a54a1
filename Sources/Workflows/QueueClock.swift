import Billing
import Foundation

/// The mail queue's "now", in seconds since 1970.
///
/// Without an override it is the wall clock. With `--date D` it is D at the current time of day, so
/// `invoice --date 2099-01-01 mail run` finds every deferred message due, and tests skip waiting.
public struct QueueClock: Sendable {
    let overrideDay: Day?

    public init(overrideDay: Day?) { self.overrideDay = overrideDay }

    public var now: Int64 {
        let wall = Int64(Date().timeIntervalSince1970)
        guard let overrideDay else { return wall }
        let secondsToday = ((wall % 86_400) + 86_400) % 86_400
        return Int64(overrideDay.daysSinceEpoch) * 86_400 + secondsToday
    }

    /// Real time, for leases: a dead run's messages come back after their lease whatever `--date` says.
    public var wallNow: Int64 { Int64(Date().timeIntervalSince1970) }
}
