import Foundation
import Mail
import SMTP
import Testing
import TestSupport

extension SMTPNetworkTests {
@Suite("Throughput smoke")
struct ThroughputTests {
    /// Two hundred ~40 KB messages over one kept connection to Postfix's smtp-sink. No timing
    /// assertion; the rate is printed for the record.
    @Test func twoHundredMessagesGoOutOverOneConnection() throws {
        let sink = try LoopbackSink()
        defer { sink.stop() }
        let sender = try SMTPSender(configuration: SMTPFixtures.configuration(sink.url))
        let message = try SMTPFixtures.message(attachmentSize: 29_000)
        let bytes = Array(try message.rendered())
        let count = 200
        let start = ContinuousClock.now
        var sent = 0
        for _ in 0..<count where try sender.send(bytes, from: "billing@example.com", to: "zoe@example.org").isSent {
            sent += 1
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("smtp-sink throughput: \(count) messages of \(bytes.count) bytes in \(seconds) s = \(Int(Double(count) / seconds)) msg/s")
        #expect(sent == count)
        #expect(sender.connectionsOpened == 1)
    }
}
}
