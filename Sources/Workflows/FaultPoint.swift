#if DEBUG
import Foundation

/// Crash points for tests, compiled into debug builds only: a process run with
/// `INVOICE_FAULT=<point>` kills itself with SIGKILL when it reaches that point, so a test can crash
/// it at exactly the worst moment instead of hoping a random kill lands there.
public enum FaultPoint: String, Sendable {
    /// Inside the issuing transaction, after the gapless counter was drawn and before the invoice
    /// row is written.
    case afterNumberDrawn = "after-number-drawn"
    /// A mail file is written (under its temporary name) and its queue row inserted, not committed.
    case mailQueuedBeforeCommit = "mail-queued-before-commit"
    /// The transaction that queued a mail committed; its file is not renamed to its final name yet.
    case mailCommittedBeforeRename = "mail-committed-before-rename"
    /// A webhook delivery (`/webhooks/payments`, `/webhooks/stripe`) committed; its answer is not
    /// written yet: the provider sees no answer and delivers again.
    case webhookCommittedBeforeAnswer = "webhook-committed-before-answer"

    /// Dies here (SIGKILL, no cleanup, no rollback) when `INVOICE_FAULT` names this point.
    public func reach() {
        guard ProcessInfo.processInfo.environment["INVOICE_FAULT"] == rawValue else { return }
        kill(getpid(), SIGKILL)
    }
}
#endif
