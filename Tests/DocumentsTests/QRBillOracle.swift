import Documents
import Foundation
import QRCode
import Testing
import TestSupport

/// Outside checks of a QR-bill: `zbarimg` reads the code, and the independent `qrbill` library
/// (PyPI) must accept the decoded fields and write the very same payload from them.
enum QRBillOracle {
    /// Rebuilds the bill with `qrbill` from the decoded text and compares its `qr_data()`; also checks
    /// the IG 2.3 character set. Prints `ok` or the library's complaint.
    static let script = #"""
    import sys, qrbill
    def allowed(c):
        o = ord(c)
        return 0x20 <= o <= 0x7E or 0xA0 <= o <= 0x17F or 0x218 <= o <= 0x21B or o == 0x20AC
    def check(payload):
        f = payload.replace("\r\n", "\n").split("\n")
        bad = sorted({c for line in f for c in line if not allowed(c)})
        if bad:
            return "characters outside the IG 2.3 set: %r" % bad
        if f[0:3] != ["SPC", "0200", "1"]:
            return "header %r" % f[0:3]
        def address(i):
            if f[i] == "":
                assert all(x == "" for x in f[i:i + 7]), f[i:i + 7]
                return None
            assert f[i] == "S", "address type %r" % f[i]
            return dict(name=f[i + 1], street=f[i + 2], house_num=f[i + 3], pcode=f[i + 4], city=f[i + 5], country=f[i + 6])
        try:
            bill = qrbill.QRBill(account=f[3], creditor=address(4), amount=f[18] or None, currency=f[19],
                                 debtor=address(20), reference_number=f[28] or None, additional_information=f[29])
        except (ValueError, AssertionError) as error:
            return "qrbill refuses it: %s" % error
        ours = payload.replace("\r\n", "\n")
        theirs = bill.qr_data().replace("\r\n", "\n")
        if ours != theirs:
            return "qrbill writes it differently:\n%r\n%r" % (ours, theirs)
        return "ok"
    # One verdict a line, for each payload file named.
    for name in sys.argv[1:]:
        print(check(open(name, encoding="utf-8").read()).replace("\n", " | "))
    """#

    /// What `qrbill` says about `payload`: `ok` or the reason it refuses it.
    static func verdict(_ payload: String, in directory: TemporaryDirectory) throws -> String {
        try verdicts([payload], in: directory)[0]
    }

    /// One verdict for each payload, from one Python process.
    static func verdicts(_ payloads: [String], in directory: TemporaryDirectory) throws -> [String] {
        let script = directory.path("check_qrbill.py")
        try Data(QRBillOracle.script.utf8).write(to: URL(fileURLWithPath: script))
        var files: [String] = []
        for payload in payloads {
            let file = directory.path("payload-\(UUID().uuidString).txt")
            try Data(payload.utf8).write(to: URL(fileURLWithPath: file))
            files.append("'\(file)'")
        }
        let run = try ProcessRunner.shell("python3 '\(script)' \(files.joined(separator: " ")) 2>&1")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        return lines.count == payloads.count ? lines : [run.stdout] + Array(repeating: "no verdict", count: max(0, payloads.count - 1))
    }

    /// The code as a black-on-white PGM (4 px a module, 4-module quiet zone) with the Swiss cross
    /// drawn over its centre as the documents draw it (7 mm of 46 mm), read back by `zbarimg`.
    static func decode(_ code: QRCode, in directory: TemporaryDirectory) throws -> String? {
        let scale = 4, quiet = 4, n = code.size, side = (n + 2 * quiet) * scale
        var pixels = [UInt8](repeating: 255, count: side * side)
        for y in 0..<n { for x in 0..<n where code.isDark(x: x, y: y) {
            for dy in 0..<scale { for dx in 0..<scale { pixels[((y + quiet) * scale + dy) * side + (x + quiet) * scale + dx] = 0 } }
        } }
        let pixelsPerMillimetre = Double(n * scale) / 46, centre = Double(side) / 2
        func fill(_ width: Double, _ height: Double, _ value: UInt8) {
            let x0 = Int((centre - width * pixelsPerMillimetre / 2).rounded()), x1 = Int((centre + width * pixelsPerMillimetre / 2).rounded())
            let y0 = Int((centre - height * pixelsPerMillimetre / 2).rounded()), y1 = Int((centre + height * pixelsPerMillimetre / 2).rounded())
            for y in y0..<y1 { for x in x0..<x1 { pixels[y * side + x] = value } }
        }
        fill(7, 7, 255); fill(6.2, 6.2, 0); fill(3.9, 1.2, 255); fill(1.2, 3.9, 255)
        let path = directory.path("code-\(UUID().uuidString).pgm")
        try (Data("P5\n\(side) \(side)\n255\n".utf8) + Data(pixels)).write(to: URL(fileURLWithPath: path))
        let scan = try ProcessRunner.shell("zbarimg --raw -q -Sbinary '\(path)'")
        return scan.status == 0 ? String(decoding: scan.stdoutData, as: UTF8.self) : nil
    }
}
