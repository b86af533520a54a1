import Billing
import Curl
import Foundation
import Store
import Synchronization
import Workflows

/// Delivers the due events to their endpoints (`invoice events run`, a step of `invoice run`, and
/// continuously in `invoice serve`): HTTP POST through libcurl, signed per Standard Webhooks 1.0.
///
/// - `webhook-id` is the event's (`evt_<id>`), the same on every attempt and every endpoint;
///   `webhook-timestamp` is the attempt's unix time; `webhook-signature` is `v1,<base64 HMAC-SHA256>`
///   of `id.timestamp.body` with each secret in force (two while a rotation overlaps).
/// - Any 2xx delivers. 410 Gone disables the endpoint with the reason (the delivery waits for it to
///   be enabled). Any other answer, a timeout or no connection retries after the backoff of
///   `EventSettings` (±20 % jitter); after `event_max_attempts` the delivery is `failed`.
/// - Workers (`connections`) each hold one endpoint's batch at a time and keep their connection;
///   at most `perEndpoint` of them serve one endpoint, and an endpoint that failed once in this run
///   is left for the next one, so a slow or dead endpoint never holds up another's deliveries.
/// - Claims carry a lease: two runs never take the same delivery; a run that dies leaves its
///   batch to the next run once the lease ran out, delivered again under the same `webhook-id`.
public struct EventDeliveryRun: Sendable {
    public let databasePath: String
    public let settings: EventSettings
    public let clock: QueueClock
    public var batchSize = 16
    /// How long a claim holds (wall clock): enough for a whole batch to time out.
    public var leaseSeconds: Int64

    public init(databasePath: String, settings: EventSettings, clock: QueueClock, leaseSeconds: Int64? = nil) {
        self.databasePath = databasePath
        self.settings = settings
        self.clock = clock
        self.leaseSeconds = leaseSeconds ?? Int64(16 * (settings.timeout + 2) + 30)
    }

    public struct Summary: Sendable {
        public var delivered = 0
        public var retrying = 0
        public var failed = 0
        /// Endpoints this run disabled (they answered 410), with the reason.
        public var disabled: [String] = []
        public var errors: [String] = []
        public var attempted: Int { delivered + retrying + failed }
    }

    private struct State: Sendable {
        var summary = Summary()
        var busy: [Int64: Int] = [:]
        var failing: Set<Int64> = []
        var remaining: Int
    }

    /// One pass: delivers what is due now, at most `limit` attempts, over `connections` workers.
    public func run(limit: Int? = nil, connections: Int = 4, perEndpoint: Int? = nil) throws -> Summary {
        guard CurlEasy.globalInit() == 0 else { throw WebhookError(500, "libcurl could not be initialised") }
        let workers = max(1, min(connections, 32))
        let perEndpointLimit = max(1, min(perEndpoint ?? max(1, workers / 2), workers))
        let shared = Shared(State(remaining: limit ?? Int.max))
        let group = DispatchGroup()
        for index in 0..<workers {
            group.enter()
            let thread = Thread { [self] in
                defer { group.leave() }
                do {
                    try work(owner: "events-\(getpid())-\(index)-\(UUID().uuidString.prefix(8))", shared: shared,
                             perEndpoint: perEndpointLimit)
                } catch {
                    shared.state.withLock { $0.summary.errors.append("\(error)") }
                }
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        return shared.state.withLock { $0.summary }
    }

    private struct Result {
        var id: Int64
        var attempt: DeliveryAttempt
        var state: EventDelivery.State
        var nextAttemptAt: Int64?
        var disable: String?
    }

    /// What the workers of one pass share: the counts and busy endpoints, and the lock that
    /// serialises their writes (SQLite has one writer; waiting here beats waiting on its lock).
    private final class Shared: Sendable {
        let state: Mutex<State>
        let writes = Mutex(())
        init(_ state: State) { self.state = Mutex(state) }
    }

    private func work(owner: String, shared: Shared, perEndpoint: Int) throws {

        let store = try Store(path: databasePath)
        var posters: [Int64: HTTPPoster] = [:]
        var generator = SystemRandomNumberGenerator()
        var results: [Result] = []
        func writeResults() throws {
            for r in results {
                try store.recordDeliveryAttempt(id: r.id, owner: owner, attempt: r.attempt, state: r.state,
                                                nextAttemptAt: r.nextAttemptAt, disableEndpoint: r.disable)
            }
            results.removeAll()
        }
        defer {
            // What was delivered must be recorded even when the loop ends on an error.
            if !results.isEmpty { _ = try? shared.writes.withLock { _ in try store.write(writeResults) } }
        }
        while true {
            let wanted = shared.state.withLock { s -> Int in
                let n = min(batchSize, s.remaining)
                s.remaining -= n
                return n
            }
            guard wanted > 0 else { break }
            // The last batch's results and the next claim share one transaction (one commit).
            let claimed: [ClaimedDelivery] = try shared.writes.withLock { _ in
                try store.write {
                    try writeResults()
                    let excluded = shared.state.withLock { s in s.failing.union(s.busy.filter { $0.value >= perEndpoint }.keys) }
                    let claimed = try store.claimDueDeliveries(now: clock.now, wallNow: clock.wallNow, owner: owner,
                                                               leaseUntil: clock.wallNow + leaseSeconds, limit: wanted,
                                                               excluding: excluded)
                    if let endpoint = claimed.first?.endpoint.id { shared.state.withLock { $0.busy[endpoint, default: 0] += 1 } }
                    return claimed
                }
            }
            shared.state.withLock { $0.remaining += wanted - claimed.count }
            guard let endpoint = claimed.first?.endpoint else { break }
            defer { shared.state.withLock { $0.busy[endpoint.id, default: 1] -= 1 } }
            if posters[endpoint.id] == nil {
                guard let poster = HTTPPoster() else { throw WebhookError(500, "libcurl could not make a handle") }
                posters[endpoint.id] = poster
            }
            guard let poster = posters[endpoint.id] else { continue }
            // Checked again now (the name may point elsewhere than when it was added), and the
            // addresses checked are the ones connected to.
            let target = Swift.Result { try EndpointTarget.check(endpoint.url, allowPrivate: endpoint.allowPrivate,
                                                                 atDelivery: true) }
            if case .success(let checked) = target { poster.pin(checked.pin) }
            for (index, item) in claimed.enumerated() {
                let result = deliver(item, poster: poster, target: target, generator: &generator)
                results.append(result)
                shared.state.withLock { s in
                    switch result.state {
                    case .delivered: s.summary.delivered += 1
                    case .failed: s.summary.failed += 1
                    default: s.summary.retrying += 1
                    }
                    if let reason = result.disable { s.summary.disabled.append("endpoint \(endpoint.id): \(reason)") }
                }
                guard result.state == .delivered else {
                    // This endpoint is not answering well: the rest of its batch waits for the next run.
                    shared.state.withLock { $0.failing.insert(endpoint.id) }
                    let rest = claimed[(index + 1)...].map(\.delivery.id)
                    shared.state.withLock { $0.remaining += rest.count }
                    try shared.writes.withLock { _ in
                        try store.write {
                            try writeResults()
                            if !rest.isEmpty { try store.releaseDeliveries(ids: rest, owner: owner) }
                        }
                    }
                    break
                }
            }
        }
        try shared.writes.withLock { _ in try store.write(writeResults) }
    }

    /// One attempt: the signed POST and what its answer means for the delivery.
    private func deliver(_ item: ClaimedDelivery, poster: HTTPPoster, target: Swift.Result<EndpointTarget, any Error>,
                         generator: inout SystemRandomNumberGenerator) -> Result {
        let now = clock.wallNow
        let body = Array(item.event.payload.utf8)
        let headers = EventDeliveryRun.headers(for: item.event, endpoint: item.endpoint, body: body, timestamp: now)
        let answer: HTTPAnswer
        switch target {
        case .success: answer = poster.post(url: item.endpoint.url, headers: headers, body: body, timeoutMilliseconds: settings.timeout * 1000)
        case .failure(let error): answer = HTTPAnswer(status: 0, body: [], milliseconds: 0, error: "\(error)", timedOut: false)
        }
        let text = String(decoding: answer.body, as: UTF8.self)
        let attempt = DeliveryAttempt(attemptedAt: UTCTimestamp.string(epochSeconds: now), status: answer.status,
                                      latencyMilliseconds: answer.milliseconds, answer: String(text.prefix(200)),
                                      error: answer.error.map { answer.timedOut ? "no answer within \(settings.timeout) s: \($0)" : $0 } ?? "")
        let attempts = item.delivery.attempts + 1
        if (200...299).contains(answer.status) {
            return Result(id: item.delivery.id, attempt: attempt, state: .delivered, nextAttemptAt: nil, disable: nil)
        }
        if answer.status == 410 {
            let reason = "answered 410 Gone at \(attempt.attemptedAt); invoice endpoints enable \(item.endpoint.id) sends to it again"
            return Result(id: item.delivery.id, attempt: attempt, state: .pending, nextAttemptAt: clock.now, disable: reason)
        }
        guard let delay = settings.delay(afterAttempts: attempts, using: &generator) else {
            return Result(id: item.delivery.id, attempt: attempt, state: .failed, nextAttemptAt: nil, disable: nil)
        }
        return Result(id: item.delivery.id, attempt: attempt, state: .pending, nextAttemptAt: clock.now + Int64(delay), disable: nil)
    }

    /// The request headers of an event for an endpoint at `timestamp`: Standard Webhooks' three, and
    /// one `v1,` signature per secret in force.
    public static func headers(for event: StoredEvent, endpoint: EventEndpoint, body: [UInt8], timestamp: Int64) -> [String] {
        let stamp = String(timestamp)
        let signatures = endpoint.signingSecrets(now: timestamp).compactMap { text -> String? in
            guard let secret = try? WebhookSecret(text) else { return nil }
            return secret.signature(id: event.webhookID, timestamp: stamp, body: body)
        }
        return ["Content-Type: application/json", "User-Agent: invoice-events/1", "webhook-id: \(event.webhookID)",
                "webhook-timestamp: \(stamp)", "webhook-signature: \(signatures.joined(separator: " "))"]
    }
}
