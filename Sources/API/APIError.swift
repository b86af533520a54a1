import Billing
import Documents
import EInvoice
import HTTPServer
import Store
import Workflows

/// The module's one error: what the API answers instead of the resource, always as
/// `{"error": {"type", "message", "param"?}}` (Stripe's shape).
public struct APIError: Error, Sendable, CustomStringConvertible {
    public let status: Int
    /// `invalid_request_error` (400, 413), `authentication_error` (401), `permission_error` (403),
    /// `not_found_error` (404), `conflict_error` (409), `idempotency_error` (409, 422),
    /// `validation_error` (422: the command line's message), `rate_limit_error` (429), `api_error` (5xx).
    public let type: String
    public let message: String
    /// The body field or query parameter at fault, when one is.
    public let param: String?
    /// For a 405: the methods the path takes (the `Allow` header).
    public let allow: String?

    public init(_ status: Int, _ type: String, _ message: String, param: String? = nil, allow: String? = nil) {
        self.status = status
        self.type = type
        self.message = message
        self.param = param
        self.allow = allow
    }

    public var description: String { "\(status) \(type): \(message)" }

    static func badRequest(_ message: String, param: String? = nil) -> APIError {
        APIError(400, "invalid_request_error", message, param: param)
    }

    static func notFound(_ message: String) -> APIError { APIError(404, "not_found_error", message) }

    static func validation(_ message: String, param: String? = nil) -> APIError {
        APIError(422, "validation_error", message, param: param)
    }

    /// How the billing desk's refusals reach the app: the command line's message, 422 (or 409 for a
    /// state conflict, 404 for something that does not exist, 503 for a store that cannot write now).
    static func from(_ error: any Error, log: (String) -> Void) -> APIError {
        switch error {
        case let error as APIError: return error
        case let error as WorkflowError:
            return error.isConflict ? APIError(409, "conflict_error", error.message) : validation(error.message)
        case let error as BillingError: return validation(error.message)
        case let error as EInvoiceError: return validation(error.description)
        case let error as DocumentError: return validation(error.description)
        case let error as StoreError:
            switch error.kind {
            case .notFound: return notFound(error.message)
            case .diskFull, .readOnly:
                log("the store cannot write: \(error.message)")
                return APIError(503, "api_error", error.message.components(separatedBy: "; nothing was changed")[0]
                                + "; nothing was changed, try again later")
            case .duplicate, .mustRunAgain:  // a concurrent writer won (unique row, or retries used up)
                return APIError(409, "conflict_error", "a concurrent request changed the same object; try again")
            case .other:
                if error.message.hasPrefix("database error:") {
                    log("internal error: \(error.message)")
                    return internalError
                }
                return validation(error.message)
            }
        default:
            log("internal error: \(error)")
            return internalError
        }
    }

    /// A 500 says nothing about the inside (the detail goes to stderr).
    static let internalError = APIError(500, "api_error", "internal error; nothing was changed")

    var json: JSON {
        var pairs: [(String, JSON)] = [("type", .string(type)), ("message", .string(message))]
        if let param { pairs.append(("param", .string(param))) }
        return .object([("error", .object(pairs))])
    }

    var response: HTTPResponse {
        var headers: [HTTPHeader] = []
        if status == 401 { headers.append(HTTPHeader("WWW-Authenticate", "Bearer realm=\"invoice\"")) }
        if status == 503 || status == 429 { headers.append(HTTPHeader("Retry-After", "5")) }
        if let allow { headers.append(HTTPHeader("Allow", allow)) }
        return .json(status, json.compact, headers: headers)
    }
}
