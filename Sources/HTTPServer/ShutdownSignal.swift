import Glibc

/// Waiting for SIGTERM or SIGINT without a signal handler: block them in every thread (call `block()`
/// before starting any thread, since threads inherit the mask), then `wait()` on one thread.
/// This also works when the parent started us with these signals blocked.
public enum ShutdownSignal: Sendable {
    private static func set() -> sigset_t {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        return signals
    }

    public static func block() {
        var signals = set()
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
    public static func wait() -> Int32 {
        var signals = set()
        var received: Int32 = 0
        while sigwait(&signals, &received) != 0 {}
        return received
    }
}
