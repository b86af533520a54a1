import HTTPServer

extension WebhookHandler {
    /// What the server may answer on its event loop at once: everything but a payment delivery
    /// (health checks, unknown paths, wrong methods), none of which blocks or touches the database.
    public func immediateResponse(to request: HTTPRequest) -> HTTPResponse? {
        guard WebhookHandler.eventPaths.contains(request.path), request.method == "POST" else { return respond(to: request) }
        return nil
    }

    /// The same, with `/healthz` asking `committer` whether its store can record payments.
    public func immediateResponse(to request: HTTPRequest, committer: EventCommitter) -> HTTPResponse? {
        if request.path == WebhookHandler.healthPath, request.method == "GET" || request.method == "HEAD" {
            return WebhookHandler.health(problem: committer.storeProblem())
        }
        return immediateResponse(to: request)
    }

    /// Answers one request for the server: health checks, refusals and signature checks on the worker
    /// at once; a verified payment event goes to `committer` and is answered after its group commit.
    public func respond(to request: HTTPRequest, responder: HTTPResponder, committer: EventCommitter) {
        guard WebhookHandler.eventPaths.contains(request.path), request.method == "POST" else {
            responder.respond(respond(to: request))  // nothing else touches the database
            return
        }
        let event: PaymentEvent
        do { event = try verifiedEvent(request) } catch {
            responder.respond(.error(error.status, error.message))
            return
        }
        committer.submit(event, payload: String(decoding: request.body, as: UTF8.self)) { result in
            responder.respond(WebhookHandler.answer(result))
        }
    }
}
