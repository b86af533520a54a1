import Foundation

/// Who changes the books and through what, for the audit trail: the actor (the operating-system user
/// on the command line, `webhook` for the receiver, `run` for the scheduled run, later an API key's
/// name) and the action (the command, e.g. `invoice pay`, or the route, `POST /webhooks/payments`).
/// Every write transaction a `Store` commits is recorded under its current context.
public struct AuditContext: Sendable, Equatable {
    public var actor: String
    public var action: String

    public init(actor: String, action: String) {
        self.actor = actor
        self.action = action
    }

    /// A command typed by the operating-system user running this process.
    public static func commandLine(_ action: String) -> AuditContext {
        AuditContext(actor: operatingSystemUser, action: action)
    }

    /// The payment webhook's receiver (`invoice serve`).
    public static var webhook: AuditContext { AuditContext(actor: "webhook", action: "POST /webhooks/payments") }

    /// The scheduled run (`invoice run`, from cron).
    public static var scheduledRun: AuditContext { AuditContext(actor: "run", action: "invoice run") }

    /// What a store records when nobody said who is writing (library use, tests).
    public static var unattributed: AuditContext { AuditContext(actor: operatingSystemUser, action: "unattributed") }

    /// The user this process runs as: the password database's name for the effective uid, else `USER`,
    /// else `uid N`.
    public static var operatingSystemUser: String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        return "uid \(geteuid())"
    }
}
