import Testing

/// The suites that start real servers. Serialised as a whole so that at most one peer process
/// runs at a time on the shared 2-core machine, and blocking sends never pile up on the
/// cooperative thread pool.
@Suite("SMTP against loopback servers", .serialized)
struct SMTPNetworkTests {}
