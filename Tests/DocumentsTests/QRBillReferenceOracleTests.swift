import Documents
import Foundation
import Testing
import TestSupport

/// QR references (modulo 10 recursive) and creditor references (ISO 11649) judged by an independent
/// implementation, `python-stdnum` (`stdnum.ch.esr`, `stdnum.iso11649`): the exact reference it
/// computes for the same digits or characters, and its validator, over many invoice numbers.
struct QRBillReferenceOracleTests {
    /// Invoice numbers as the numbering makes them, plus random digit and letter sources.
    static func sources() -> [String] {
        var rng = SplitMix64(seed: 11_649)
        var sources = (1...600).map { "INV-2026-" + String(repeating: "0", count: 5 - String($0).count) + String($0) }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")
        for _ in 0..<600 {
            let length = Int.random(in: 1...30, using: &rng)
            sources.append(String((0..<length).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }))
        }
        return sources
    }

    /// One python3 run over all sources: per line `<esr or ->\t<esr valid>\t<rf or ->\t<rf valid>`, where
    /// the references are stdnum's own for the same input and the validity is stdnum's verdict on ours.
    static func oracle(_ rows: [(source: String, qr: String?, rf: String?)]) throws -> [[String]] {
        let script = """
            import sys
            from stdnum.ch import esr
            from stdnum import iso11649
            from stdnum.iso7064 import mod_97_10
            for line in sys.stdin.read().split("\\n"):
                if not line: continue
                source, qr, rf = line.split("\\t")
                digits = "".join(c for c in source if c in "0123456789")[-26:]
                mine_qr = digits.rjust(26, "0") + esr.calc_check_digit(digits.rjust(26, "0")) if digits else "-"
                body = "".join(c for c in source.upper() if c.isascii() and c.isalnum())[-21:]
                mine_rf = "RF" + mod_97_10.calc_check_digits(body + "RF") + body if body else "-"
                qr_valid = "zero" if qr != "-" and not qr.strip("0") else str(qr != "-" and esr.is_valid(qr))
                print("\\t".join([mine_qr, qr_valid, mine_rf, str(rf != "-" and iso11649.is_valid(rf))]))
            """
        let input = rows.map { "\($0.source)\t\($0.qr ?? "-")\t\($0.rf ?? "-")" }.joined(separator: "\n") + "\n"
        let result = try ProcessRunner.run(URL(fileURLWithPath: "/usr/bin/env"), ["python3", "-c", script],
                                           stdin: Data(input.utf8), timeout: 60)
        guard result.status == 0 else { throw ProcessRunnerError.failed("python3 stdnum: \(result.stderr)") }
        return result.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    // Check digit 0: INV-2026-00008 is 00000000000000000202600008 + 0 (27 digits), not + "10".
    // Mutation: mutants.tsv qr-check-mod10 (`(10 - carry) % 10` → `10 - carry` in
    // QRBillReference.modulo10RecursiveCheckDigit) → a 28-digit reference and this test fails.
    @Test func qrReferencesWithCheckDigitZeroHave27Digits() {
        for (source, reference) in [("INV-2026-00008", "000000000000000002026000080"),
                                    ("INV-2026-00013", "000000000000000002026000130"),
                                    ("INV-2026-00029", "000000000000000002026000290")] {
            #expect(QRBillReference.qrReference(from: source) == reference)
            #expect(QRBillReference.isValidQRReference(reference))
        }
    }

    // ISO 11649 check values below 10 are written with a leading zero: RF05INV202600018, not RF5….
    // Mutation: mutants.tsv rf-zero-pad (the `(check < 10 ? "0" : "")` dropped in
    // QRBillReference.creditorReference) → "RF5INV202600018" and this test fails.
    @Test func creditorReferencesWithCheckValuesBelowTenArePadded() {
        for (source, reference) in [("INV-2026-00018", "RF05INV202600018"), ("INV-2026-00036", "RF04INV202600036"),
                                    ("INV-2026-00043", "RF09INV202600043"), ("INV-2026-00054", "RF03INV202600054")] {
            #expect(QRBillReference.creditorReference(from: source) == reference)
            #expect(QRBillReference.isValidCreditorReference(reference))
        }
    }

    // Mutation: mutants.tsv qr-check-mod10 → about 1 in 10 QR references differs from stdnum's and
    // fails esr.is_valid. Mutation: mutants.tsv rf-zero-pad → about 1 in 12 creditor references
    // differs from stdnum's and fails iso11649.is_valid.
    @Test func everyReferenceIsTheOneStdnumComputesAndStdnumAcceptsIt() throws {
        let rows = Self.sources().map { source in
            (source: source, qr: QRBillReference.qrReference(from: source), rf: QRBillReference.creditorReference(from: source))
        }
        let verdicts = try Self.oracle(rows)
        try #require(verdicts.count == rows.count, "stdnum answered \(verdicts.count) of \(rows.count) lines")
        var checkedQR = 0, checkedRF = 0
        for (row, verdict) in zip(rows, verdicts) {
            try #require(verdict.count == 4, "\(verdict)")
            #expect((row.qr ?? "-") == verdict[0], "QR reference of \(row.source)")
            #expect((row.rf ?? "-") == verdict[2], "creditor reference of \(row.source)")
            if let qr = row.qr {
                // stdnum strips leading zeros before it checks, so it reads an all-zero reference as
                // empty; that one is judged by the exact comparison above only.
                let allZero = qr.allSatisfy { $0 == "0" }
                #expect(verdict[1] == (allZero ? "zero" : "True"), "stdnum.ch.esr refuses \(qr) (from \(row.source))")
                #expect(QRBillReference.isValidQRReference(qr))
                checkedQR += 1
            }
            if let rf = row.rf {
                #expect(verdict[3] == "True", "stdnum.iso11649 refuses \(rf) (from \(row.source))")
                #expect(QRBillReference.isValidCreditorReference(rf))
                checkedRF += 1
            }
        }
        // Most random sources have digits and letters: the property is not held over nothing.
        #expect(checkedQR > 1_000 && checkedRF > 1_100)
    }
}
