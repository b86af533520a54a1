import Foundation
import Testing
import Webhook

/// Standard Webhooks signatures, checked against Python's `hmac` as the independent oracle.
struct WebhookSignatureTests {
    let secret: WebhookSecret
    let now: Int64 = 1_795_000_000
    let body = Array(#"{"type":"payment.succeeded","data":{"id":"evt_1"}}"#.utf8)

    init() throws { secret = try TestSecret.secret }

    @Test func ourSignatureEqualsPythonsHMACForTheSameMessage() throws {
        for (id, body) in [("msg_1", body), ("msg_2", [UInt8]()), ("msg_ü", Array("ä\u{0}\n\r".utf8))] {
            let expected = try TestSecret.pythonSignature(id: id, timestamp: String(now), body: body)
            #expect(secret.signature(id: id, timestamp: String(now), body: body) == expected)
        }
    }

    @Test func theStandardWebhooksReferenceVectorVerifies() throws {
        // From the Standard Webhooks spec's test suite (svix/standard-webhooks), reproduced with Python here.
        let reference = try WebhookSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let key = try #require(Data(base64Encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let expected = try TestSecret.pythonSignature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330",
                                                      body: body, key: Array(key))
        #expect(expected == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        try reference.verify(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", signatures: expected,
                             body: body, now: 1_614_265_330)
    }

    // Key rotation sends the signatures of the old and the new secret: the valid one may stand first,
    // last or between others, and the list passes wherever it is; without it, the same lists fail.
    // Mutation: mutants.tsv signature-any-match (`matched = matched || equal` → `matched = equal` in
    // WebhookSecret.verify) → a valid signature followed by another one is refused and this test fails.
    @Test func aMatchingSignatureInAnyPositionOfTheListPasses() throws {
        let good = try TestSecret.pythonSignature(id: "m", timestamp: String(now), body: body)
        let rotated = try TestSecret.pythonSignature(id: "m", timestamp: String(now), body: body,
                                                     key: Array("another-secret-of-thirty-two-byte".utf8))
        let others = ["v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "v2,zzz", rotated, "v1,not-base64!"]
        for count in 0...others.count {
            let rest = Array(others.prefix(count))
            for position in 0...rest.count {
                var list = rest
                list.insert(good, at: position)
                #expect(throws: Never.self, "\(list)") {
                    try secret.verify(id: "m", timestamp: String(now), signatures: list.joined(separator: " "), body: body, now: now)
                }
            }
            if count > 0 {
                #expect(throws: WebhookError(401, "no webhook-signature matches")) {
                    try secret.verify(id: "m", timestamp: String(now), signatures: rest.joined(separator: " "), body: body, now: now)
                }
            }
        }
        // The same signature twice, and a signature under the rotated secret that matches it.
        try secret.verify(id: "m", timestamp: String(now), signatures: "\(good) \(good)", body: body, now: now)
        let rotatedSecret = try WebhookSecret("whsec_" + Data("another-secret-of-thirty-two-byte".utf8).base64EncodedString())
        try rotatedSecret.verify(id: "m", timestamp: String(now), signatures: "\(rotated) \(good)", body: body, now: now)
        try rotatedSecret.verify(id: "m", timestamp: String(now), signatures: "\(good) \(rotated)", body: body, now: now)
    }

    @Test func aChangedBodyIdOrTimestampFails() throws {
        let good = secret.signature(id: "m", timestamp: String(now), body: body)
        let cases: [(String, String, [UInt8])] = [("m", String(now), body + [32]), ("n", String(now), body),
                                                  ("m", String(now + 1), body)]
        for (id, timestamp, content) in cases {
            #expect(throws: WebhookError.self) {
                try secret.verify(id: id, timestamp: timestamp, signatures: good, body: content, now: now)
            }
        }
    }

    @Test func aSignatureFromAnotherSecretFails() throws {
        let other = try TestSecret.pythonSignature(id: "m", timestamp: String(now), body: body,
                                                   key: Array("another-secret-of-thirty-two-byte".utf8))
        #expect(throws: WebhookError(401, "no webhook-signature matches")) {
            try secret.verify(id: "m", timestamp: String(now), signatures: other, body: body, now: now)
        }
    }

    @Test func timestampsMoreThanFiveMinutesAwayFail() throws {
        for offset: Int64 in [-301, 301, -100_000] {
            let stamp = String(now + offset)
            let signature = secret.signature(id: "m", timestamp: stamp, body: body)
            #expect(throws: WebhookError.self) {
                try secret.verify(id: "m", timestamp: stamp, signatures: signature, body: body, now: now)
            }
        }
        for offset: Int64 in [-300, 0, 300] {
            let stamp = String(now + offset)
            let signature = secret.signature(id: "m", timestamp: stamp, body: body)
            try secret.verify(id: "m", timestamp: stamp, signatures: signature, body: body, now: now)
        }
    }

    @Test func missingHeadersAndNonNumericTimestampsFail() {
        let signature = secret.signature(id: "m", timestamp: "+1", body: body)
        #expect(throws: WebhookError.self) {
            try secret.verify(id: "m", timestamp: "+1", signatures: signature, body: body, now: 1)
        }
        #expect(throws: WebhookError.self) {
            try secret.verify(id: nil, timestamp: String(now), signatures: signature, body: body, now: now)
        }
    }

    @Test func secretsMustBeWhsecBase64() {
        #expect(throws: WebhookError.self) { try WebhookSecret("whsec_not base64!") }
        #expect(throws: WebhookError.self) { try WebhookSecret("whsec_c2hvcnQ=") }
    }
}
