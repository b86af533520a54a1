import Foundation
import HTTPServer
import Workflows

/// One API request taken apart: the path below `/v1` as segments, the query, the JSON body.
struct APIRequest {
    let raw: HTTPRequest
    var method: String { raw.method }
    /// `/v1/customers/7/users` → `["customers", "7", "users"]` (percent-decoded).
    let segments: [String]
    let query: [String: String]
    /// The body's top-level object (empty for a request without a body).
    let body: BodyFields

    init(_ request: HTTPRequest) throws {
        raw = request
        let path = request.path.dropFirst(3)  // "/v1"
        segments = try path.split(separator: "/", omittingEmptySubsequences: true).map { part in
            guard let decoded = String(part).removingPercentEncoding else { throw APIError.badRequest("the path is not valid percent-encoding") }
            return decoded
        }
        var query: [String: String] = [:]
        if let mark = request.target.firstIndex(of: "?") {
            for pair in request.target[request.target.index(after: mark)...].split(separator: "&") where !pair.isEmpty {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decode(_ text: Substring) throws -> String {
                    guard let value = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                        throw APIError.badRequest("the query is not valid percent-encoding")
                    }
                    return value
                }
                let name = try decode(parts[0])
                guard query[name] == nil else { throw APIError.badRequest("the query names \"\(name)\" twice", param: name) }
                query[name] = parts.count == 2 ? try decode(parts[1]) : ""
            }
        }
        self.query = query
        guard !request.body.isEmpty else {
            body = BodyFields([:])
            return
        }
        guard request.body.count <= APIHandler.maxBodyBytes else {
            throw APIError(413, "invalid_request_error", "the body is larger than \(APIHandler.maxBodyBytes / 1024) KiB")
        }
        if let type = request.header("content-type"), !type.lowercased().hasPrefix("application/json") {
            throw APIError(415, "invalid_request_error", "send the body as application/json")
        }
        let value: JSONBody
        do { value = try JSONDecoder().decode(JSONBody.self, from: Data(request.body)) } catch {
            throw APIError.badRequest("the body is not valid JSON")
        }
        guard case .object(let fields) = value else { throw APIError.badRequest("the body must be a JSON object") }
        if let twice = JSONDuplicateKeys.first(in: request.body) {
            throw APIError.badRequest("the body names \"\(twice)\" twice", param: twice)
        }
        body = BodyFields(fields)
    }

    /// Refuses query parameters the route does not know.
    func refuseUnknownQuery(_ known: Set<String>) throws {
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw APIError.badRequest("unknown query parameter \"\(unknown)\"", param: unknown)
        }
    }

    /// `limit` (1…100, default 10) and `starting_after` (an object id: the last one of the page before).
    func page() throws -> (limit: Int, after: Int64) {
        var limit = 10
        if let text = query["limit"] {
            guard let value = Int(text), (1...100).contains(value) else {
                throw APIError.badRequest("limit must be a whole number from 1 to 100", param: "limit")
            }
            limit = value
        }
        var after: Int64 = 0
        if let text = query["starting_after"] {
            guard let value = Int64(text), value > 0 else {
                throw APIError.badRequest("starting_after must be the id of an object of the page before", param: "starting_after")
            }
            after = value
        }
        return (limit, after)
    }
}

/// `{"object": "list", "data", "has_more", "url"}` (Stripe's list).
func listObject(_ items: [JSON], hasMore: Bool, url: String) -> JSON {
    .object([("object", .string("list")), ("data", .array(items)), ("has_more", .bool(hasMore)), ("url", .string(url))])
}

func ok(_ json: JSON, status: Int = 200) -> HTTPResponse { .json(status, json.compact) }
