import HTTPServer
import Testing

/// The request parser as a pure unit: bytes in, a request or a refusal out, no sockets.
struct HTTPRequestParserTests {
    func parse(_ chunks: [String], limits: HTTPRequestParser.Limits = .init()) throws(HTTPError) -> HTTPRequest? {
        var parser = HTTPRequestParser(limits: limits)
        var result: HTTPRequest?
        for chunk in chunks { result = try parser.consume(Array(chunk.utf8)) }
        return result
    }

    func refusal(_ text: String, limits: HTTPRequestParser.Limits = .init()) -> Int? {
        do { _ = try parse([text], limits: limits); return nil } catch { return error.status }
    }

    @Test func aRequestSplitIntoOneByteChunksIsFramedExactly() throws {
        let text = "POST /webhooks/payments?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nWebhook-Id: m1\r\n\r\nhello"
        var parser = HTTPRequestParser()
        var result: HTTPRequest?
        for (index, byte) in text.utf8.enumerated() {
            result = try parser.consume([byte])
            if index < text.utf8.count - 1 { #expect(result == nil) }
        }
        let request = try #require(result)
        #expect(request.method == "POST")
        #expect(request.path == "/webhooks/payments")
        #expect(request.header("webhook-id") == "m1")
        #expect(request.body == Array("hello".utf8))
    }

    @Test func theBodyMayArriveInTheSameChunkAsTheHeaderOrInMany() throws {
        let whole = try #require(try parse(["GET /healthz HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"]))
        #expect(whole.body == Array("abc".utf8))
        let split = try #require(try parse(["POST / HTTP/1.1\r\nContent-Len", "gth: 6\r\n\r", "\nab", "cd", "ef"]))
        #expect(split.body == Array("abcdef".utf8))
        #expect(try parse(["POST / HTTP/1.1\r\nContent-Length: 6\r\n\r\nabc"]) == nil)
    }

    @Test func aPostWithoutContentLengthHasAnEmptyBody() throws {
        let request = try #require(try parse(["POST /webhooks/payments HTTP/1.1\r\nHost: a\r\n\r\n"]))
        #expect(request.body.isEmpty)
    }

    @Test func aHeaderBlockOverTheCapIs431() {
        let big = "GET / HTTP/1.1\r\nX-Fill: " + String(repeating: "a", count: 17_000) + "\r\n\r\n"
        #expect(refusal(big) == 431)
        let unfinished = "GET / HTTP/1.1\r\nX-Fill: " + String(repeating: "a", count: 17_000)
        #expect(refusal(unfinished) == 431)
        #expect(refusal("GET / HTTP/1.1\r\nX: 1\r\n\r\n", limits: .init(maxHeaderBytes: 10)) == 431)
    }

    @Test func aContentLengthOverTheBodyCapIs413BeforeTheBodyArrives() {
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length: 1048577\r\n\r\n") == 413)
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n") == 413)
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length: 1048576\r\n\r\n") == nil)
    }

    @Test func transferEncodingIsRefusedAloneOrWithContentLength() {
        #expect(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello") == 400)
        #expect(refusal("POST / HTTP/1.1\r\ntransfer-encoding: identity\r\n\r\n") == 400)
    }

    @Test func repeatedOrDifferingContentLengthIsRefused() {
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 6\r\n\r\nhello!") == 400)
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length: 5, 5\r\n\r\nhello") == 400)
    }

    @Test(arguments: ["+5", "-5", "5 5", "0x5", "5.0", "", "٥"])
    func aContentLengthThatIsNotPlainDigitsIsRefused(_ value: String) {
        #expect(refusal("POST / HTTP/1.1\r\nContent-Length:\(value)\r\n\r\nhello") == 400)
    }

    @Test func malformedRequestLinesAndHeadersAreRefused() {
        #expect(refusal("GET /\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/2.0\r\n\r\n") == 400)
        #expect(refusal("GET http://x/ HTTP/1.1\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nNo colon\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n") == 400)
        #expect(refusal("GET / HTTP/1.1\nHost: a\n\n") == 400)
        #expect(refusal("GET / HTTP/1.1\r\nBad Name: a\r\n\r\n") == 400)
    }

    @Test func expectContinueIsReportedOnceForABodyWithinTheCap() throws {
        var parser = HTTPRequestParser()
        let head = try parser.consume(Array("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        #expect(head == nil)
        let first = parser.takeContinueRequest(), second = parser.takeContinueRequest()
        #expect(first && !second)
        let request = try parser.consume(Array("ok".utf8))
        #expect(request?.body == Array("ok".utf8))
    }

    @Test func responsesCarryLengthAndConnectionClose() {
        let text = String(decoding: HTTPResponse.json(200, "{}").serialized(), as: UTF8.self)
        #expect(text == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}\n")
    }
}
