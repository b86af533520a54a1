import Billing
import Foundation
import HTTPServer
import Store
import Workflows

/// The JSON API under `/v1/` on `invoice serve` (issue 20): Bearer keys, one error shape, cursor
/// pagination, `Idempotency-Key` on every POST; every write goes through the same workflows as the
/// command line (`Customers`, `Bookings`, `Invoicing`), so the rules and messages are the same.
///
/// Each request opens its own `Store` (a connection belongs to one thread); the value holds only
/// Sendable configuration, so one handler serves every worker.
public struct APIHandler: Sendable {
    public let databasePath: String
    public let outbox: Outbox?
    /// "Today" for the billing rules (`serve --date`); nil: the local calendar day, as on the command line.
    public let fixedToday: Day?
    /// The operator's `--templates` directory for documents (nil: the shipped templates).
    public let templatesDirectory: String?
    /// Where internal failures are described (stderr); the client only learns that one happened.
    public let log: @Sendable (String) -> Void

    public init(databasePath: String, outbox: Outbox?, today: Day? = nil, templatesDirectory: String? = nil,
                log: @escaping @Sendable (String) -> Void = APIHandler.logToStandardError) {
        self.databasePath = databasePath
        self.outbox = outbox
        self.fixedToday = today
        self.templatesDirectory = templatesDirectory
        self.log = log
    }

    public static let logToStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("invoice serve: api: \(message)\n".utf8))
    }

    /// Whether a request is the API's (everything under `/v1`).
    public static func handles(_ path: String) -> Bool { path == "/v1" || path.hasPrefix("/v1/") }

    public static let openAPIPath = "/v1/openapi.json"
    /// Request bodies larger than this are refused (413) before they are read as JSON.
    public static let maxBodyBytes = 256 * 1024
    public static let maxIdempotencyKeyLength = 255

    var today: Day {
        if let fixedToday { return fixedToday }
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return (try? Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)) ?? Day(daysSinceEpoch: 0)
    }

    /// Answers one request under `/v1`; never throws, never crashes on input.
    public func respond(to request: HTTPRequest) -> HTTPResponse {
        let store: Store
        do {
            store = try Store(path: databasePath, audit: AuditContext(actor: "api", action: "\(request.method) \(request.path)"))
        } catch {
            return APIError.from(error, log: log).response
        }
        do {
            // Without any key the API does not exist: the receiver alone, as before it.
            guard try store.apiEnabled() else {
                return APIError.notFound("no such path: \(request.path) (the API is off until a key exists: invoice api-keys create --name NAME)").response
            }
            if request.path == APIHandler.openAPIPath {
                guard request.method == "GET" || request.method == "HEAD" else { throw methodNotAllowed("GET") }
                return HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")],
                                   body: Array(OpenAPIDocument.text.utf8))
            }
            let key = try authenticate(request, store: store)
            store.audit = AuditContext(actor: "api:\(key.name)", action: "\(request.method) \(request.path)")
            let isWrite = request.method != "GET" && request.method != "HEAD"
            if isWrite && key.isReadOnly {
                throw APIError(403, "permission_error", "the API key '\(key.name)' is read-only; \(request.method) needs a key made without --read-only")
            }
            let parsed = try APIRequest(request)
            if request.method == "POST" {
                return try idempotent(parsed, key: key, store: store)
            }
            if isWrite { return try store.write { try route(parsed, store: store) } }
            return try route(parsed, store: store)
        } catch {
            return APIError.from(error, log: log).response
        }
    }

    /// The key in `Authorization: Bearer KEY`; 401 without one, with a wrong or a revoked one.
    func authenticate(_ request: HTTPRequest, store: Store) throws -> APIKey {
        guard let header = request.header("authorization") else {
            throw APIError(401, "authentication_error", "no API key: send Authorization: Bearer KEY")
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw APIError(401, "authentication_error", "the Authorization header must be Bearer KEY")
        }
        guard let key = try store.authenticateAPIKey(String(parts[1]).trimmingCharacters(in: .whitespaces)) else {
            throw APIError(401, "authentication_error", "invalid or revoked API key")
        }
        return key
    }

    /// 405 with `Allow`; `allowed` is "GET", "GET or POST", … (GET also allows HEAD).
    func methodNotAllowed(_ allowed: String) -> APIError {
        let methods = allowed.components(separatedBy: " or ").flatMap { $0 == "GET" ? ["GET", "HEAD"] : [$0] }
        return APIError(405, "invalid_request_error", "use \(allowed)", allow: methods.joined(separator: ", "))
    }

    /// A POST: with `Idempotency-Key`, the work and its answer are stored in one write transaction, and
    /// the key is looked up first inside that transaction. A second request with the key waits for the
    /// first (SQLite's write lock) and then replays its answer; on PostgreSQL the later of two concurrent
    /// ones fails to store its answer, is rolled back, and replays the first one's. Another body with the
    /// same key is 422. Answers of the work (2xx, 4xx) are kept for 24 hours; a 5xx is not, so a retry runs again.
    func idempotent(_ request: APIRequest, key: APIKey, store: Store) throws -> HTTPResponse {
        guard let idempotencyKey = request.raw.header("idempotency-key") else {
            return try store.write { try route(request, store: store) }
        }
        guard !idempotencyKey.isEmpty, idempotencyKey.count <= APIHandler.maxIdempotencyKeyLength else {
            throw APIError.badRequest("Idempotency-Key must be 1 to \(APIHandler.maxIdempotencyKeyLength) characters", param: "Idempotency-Key")
        }
        let fingerprint = Store.sha256Hex(Array("\(request.raw.method) \(request.raw.target)\n".utf8) + request.raw.body)
        func replay(_ stored: StoredAnswer) -> HTTPResponse {
            guard stored.requestHash == fingerprint else {
                return APIError(422, "idempotency_error",
                                "the Idempotency-Key '\(idempotencyKey)' was used with another request; use a new key for a new request",
                                param: "Idempotency-Key").response
            }
            return HTTPResponse(status: stored.status, headers: [HTTPHeader("Content-Type", stored.contentType),
                                                                 HTTPHeader("Idempotent-Replayed", "true")],
                                body: Array(stored.body.utf8))
        }
        func keep(_ response: HTTPResponse) throws {
            try store.keepAnswer(apiKeyID: key.id, key: idempotencyKey, requestHash: fingerprint, status: response.status,
                                 contentType: response.headers.first { $0.name == "Content-Type" }?.value ?? "application/json",
                                 body: response.bodyText)
        }
        do {
            return try store.write {
                if let first = try store.storedAnswer(apiKeyID: key.id, key: idempotencyKey) { return replay(first) }
                let response = try route(request, store: store)
                try keep(response)
                return response
            }
        } catch let error as StoreError where error.kind == .duplicate || error.kind == .mustRunAgain {
            // A concurrent request with the same key stored its answer first (PostgreSQL): replay it.
            if let stored = try store.storedAnswer(apiKeyID: key.id, key: idempotencyKey) { return replay(stored) }
            throw APIError(409, "idempotency_error", "a request with the Idempotency-Key '\(idempotencyKey)' is in progress; try again",
                           param: "Idempotency-Key")
        } catch {
            // The work was refused and rolled back: its refusal is the answer to this key (as Stripe keeps
            // errors), unless it is the server's own failure.
            let refusal = APIError.from(error, log: log)
            guard refusal.status < 500, refusal.status != 400 else { throw refusal }
            let refused = refusal.response
            return try store.write {
                if let stored = try store.storedAnswer(apiKeyID: key.id, key: idempotencyKey) { return replay(stored) }
                try keep(refused)
                return refused
            }
        }
    }
}
