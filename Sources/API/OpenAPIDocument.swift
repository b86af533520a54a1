/// The OpenAPI 3.1 document served at `GET /v1/openapi.json`; the same bytes are `openapi.json` at the
/// top of the repository (APITests compares them).
enum OpenAPIDocument {
    static let text = #"""
{}
"""#
}
