import Foundation
import SMTP
import Testing
import TestSupport

extension SMTPNetworkTests {
@Suite("Messages larger than libcurl's upload buffer")
struct UploadChunkTests {
    /// A raw message of about `total` bytes in which the line that starts at each multiple of `chunk`
    /// bytes starts with a dot, so dot-stuffing happens right at the
    /// edges of the upload chunks; the other lines number themselves, so a chunk that is repeated,
    /// dropped or shifted changes the bytes.
    static func message(chunk: Int, total: Int) -> [UInt8] {
        var bytes = Array("From: a@example.com\r\nSubject: chunks\r\n\r\n".utf8)
        var line = 0
        while bytes.count < total {
            let edge = (bytes.count / chunk + 1) * chunk
            // A line that ends two bytes before the edge, so the next line (a dotted one) starts on it.
            let room = edge - bytes.count - 2
            if room >= 8 && room < 200 {
                bytes += Array(String(repeating: "x", count: room).utf8) + [0x0D, 0x0A]
                bytes += Array(".edge \(edge)\r\n".utf8)
            } else {
                let number = String(line)
                bytes += Array("line \(String(repeating: "0", count: 8 - number.count))\(number) \(String(repeating: "-", count: 60))\r\n".utf8)
            }
            line += 1
        }
        bytes += Array("..\r\n.\r\nend\r\n".utf8)
        return bytes
    }

    /// The smallest upload buffer libcurl takes (16 KiB) and a 100 KiB message: seven read callbacks
    /// for one message, dotted lines on each edge. Then a second, shorter message sent from the same
    /// buffer (the mailing run reuses one buffer per worker): each arrives exactly as given.
    /// Mutation (mutants.tsv smtp-read-from-base): SMTPTranscript.read copies from `base` instead of `base + offset` (every chunk is the
    /// message's start) → the first message arrives wrong and this fails.
    @Test func chunksAndDotsAtTheirEdgesArriveByteExactFromOneReusedBuffer() throws {
        try SMTPTestServer.with { server in
            var configuration = try SMTPFixtures.configuration(server.url)
            configuration.uploadBufferSize = 16 * 1024
            let sender = try SMTPSender(configuration: configuration)
            let long = Self.message(chunk: 16 * 1024, total: 100 * 1024)
            let short = Self.message(chunk: 4096, total: 30 * 1024)
            #expect(long.count > 6 * 16 * 1024)
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: long.count, alignment: 16)
            defer { buffer.deallocate() }
            for message in [long, short] {
                buffer.copyBytes(from: message)
                let outcome = try sender.send(bytes: UnsafeRawBufferPointer(rebasing: buffer[..<message.count]),
                                              from: "a@example.com", to: "b@example.net")
                #expect(outcome.isSent, "\(outcome)")
            }
            let captured = try server.messages()
            try #require(captured.count == 2)
            #expect(captured[0].data == Data(long))
            #expect(captured[1].data == Data(short))
            #expect(sender.connectionsOpened == 1)
        }
    }

    /// The default upload buffer holds a whole invoice mail; a 1.2 MiB message (a large PDF) still goes
    /// out in several chunks and arrives exactly.
    /// Mutation (mutants.tsv smtp-upload-offset): SMTPTranscript.read sets `offset = count` instead of `offset += count` (every later
    /// chunk is read from the same place) → wrong bytes, the data never completes, and this fails.
    @Test func aMessageLargerThanTheDefaultBufferArrivesByteExact() throws {
        try SMTPTestServer.with { server in
            let configuration = try SMTPFixtures.configuration(server.url)
            #expect(configuration.uploadBufferSize == 512 * 1024)
            let sender = try SMTPSender(configuration: configuration)
            let message = Self.message(chunk: configuration.uploadBufferSize, total: 1_200 * 1024)
            let outcome = try sender.send(message, from: "a@example.com", to: "b@example.net")
            #expect(outcome.isSent, "\(outcome)")
            #expect(try server.messages().first?.data == Data(message))
        }
    }
}
}
