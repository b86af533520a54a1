import Billing
import Foundation
import Store

/// `invoice payments import` of camt.054 notifications the bench writes (batch entries of 100 QR-bill
/// credits, each with its own bank reference and a QR reference no invoice has, so each is recorded
/// as unmatched money): the dry run and the real import into a fresh database, seconds and peak
/// memory, next to Python's `lxml` iterparse reading the same file and doing nothing else (the parse
/// floor), in the same run. Two sizes show whether memory stays flat; the full run also reads a
/// 200 MB file (`--max-mb 300`: the default limit refuses it).
struct CamtBench: BenchSection {
    static let name = "camt"
    static let summary = "payments import of camt.054 files (10k, 100k transactions, 200 MB) against lxml iterparse"
    let environment: BenchEnvironment

    func run() throws {
        guard let peers else { throw BenchError("peer material not found (Benchmarks/peers, or --peers DIR)") }
        let script = peers.appendingPathComponent("camt_iterparse.py").path
        let sizes = quick ? [2_000, 10_000] : [10_000, 100_000]
        report.section("Bank file import (camt.054, batches of 100 QR-bill credits, all kept as unmatched money)")
        var peaks: [(count: Int, kib: Int)] = []
        for count in sizes {
            let file = directory.appendingPathComponent("camt054-\(count).xml").path
            let bytes = try CamtBench.write(transactions: count, to: file)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let label = "\(count / 1000)k tx, \(CamtBench.megabytes(bytes)) MB"
            let floor = try measureProcess("/usr/bin/env", ["python3", script, file])
            let database = try freshDatabase("camt-\(count)")
            let dry = try measureProcess(invoice, ["--db", database, "payments", "import", "--dry-run", file])
            let real = try measureProcess(invoice, ["--db", database, "payments", "import", file])
            let recorded = try Store(path: database).unmatchedPayments().count
            guard recorded == count else { throw BenchError("payments import kept \(recorded) of \(count) transactions") }
            report.figure("payments import --dry-run, \(label)", Double(count) / dry.seconds, unit: "tx/s",
                          peer: ("lxml iterparse", Double(count) / floor.seconds))
            report.figure("payments import, \(label)", Double(count) / real.seconds, unit: "tx/s",
                          peer: ("lxml iterparse", Double(count) / floor.seconds))
            report.figure("peak memory, import of \(label)", Double(real.peakKiB) / 1024, unit: "MB",
                          peer: ("lxml iterparse", Double(floor.peakKiB) / 1024), higherIsBetter: false)
            peaks.append((count, max(dry.peakKiB, real.peakKiB)))
        }
        if let first = peaks.first, let last = peaks.last {
            report.note("peak memory \(first.count / 1000)k → \(last.count / 1000)k transactions: \(first.kib / 1024) MB → \(last.kib / 1024) MB (flat: the file is read as a stream)")
        }
        if !quick {
            let count = 560_000
            let file = directory.appendingPathComponent("camt054-200mb.xml").path
            let bytes = try CamtBench.write(transactions: count, to: file)
            defer { try? FileManager.default.removeItem(atPath: file) }
            let floor = try measureProcess("/usr/bin/env", ["python3", script, file])
            let database = try freshDatabase("camt-200mb")
            let dry = try measureProcess(invoice, ["--db", database, "payments", "import", "--dry-run", "--max-mb", "300", file])
            report.figure("payments import --dry-run, \(count / 1000)k tx, \(CamtBench.megabytes(bytes)) MB", Double(count) / dry.seconds,
                          unit: "tx/s", peer: ("lxml iterparse", Double(count) / floor.seconds))
            report.figure("peak memory, dry run of \(CamtBench.megabytes(bytes)) MB", Double(dry.peakKiB) / 1024, unit: "MB",
                          peer: ("lxml iterparse", Double(floor.peakKiB) / 1024), higherIsBetter: false)
        }
        report.note("target: ≥ 0.5× lxml iterparse (which only parses; the import also matches each reference and records it in SQLite, in one transaction)")
    }

    /// A new database made by `invoice init`.
    private func freshDatabase(_ name: String) throws -> String {
        let path = directory.appendingPathComponent("\(name).sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        _ = try measureProcess(invoice, ["--db", path, "init"])
        return path
    }

    static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_000_000) }

    /// Writes a camt.054.001.08 notification with `transactions` credits of CHF 10.00 (entries of 100,
    /// a batch each); returns the file's size in bytes.
    static func write(transactions: Int, to path: String) throws -> Int {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw BenchError("cannot write \(path)")
        }
        defer { try? handle.close() }
        var written = 0
        var chunk = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn>\
            <GrpHdr><MsgId>BENCH-1</MsgId><CreDtTm>2026-11-25T18:00:00</CreDtTm></GrpHdr>\
            <Ntfctn><Id>BENCH-1-1</Id><CreDtTm>2026-11-25T18:00:00</CreDtTm><Acct><Id><IBAN>CH4431999123000889012</IBAN></Id></Acct>

            """
        func flush() throws {
            let data = Data(chunk.utf8)
            try handle.write(contentsOf: data)
            written += data.count
            chunk = ""
        }
        var next = 0
        while next < transactions {
            let size = min(100, transactions - next)
            chunk += "<Ntry><Amt Ccy=\"CHF\">\(size * 10).00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>"
            chunk += "<BookgDt><Dt>2026-11-25</Dt></BookgDt><ValDt><Dt>2026-11-25</Dt></ValDt><AcctSvcrRef>E-\(next)</AcctSvcrRef>"
            chunk += "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>VCOM</SubFmlyCd></Fmly></Domn></BkTxCd>"
            chunk += "<NtryDtls><Btch><NbOfTxs>\(size)</NbOfTxs></Btch>"
            for index in next..<(next + size) {
                let base = "9" + String(repeating: "0", count: 25 - String(index).count) + String(index)
                let reference = base + String(PaymentReference.modulo10RecursiveCheckDigit(base) ?? 0)
                chunk += "<TxDtls><Refs><AcctSvcrRef>TX-\(index)</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
                chunk += "<Amt Ccy=\"CHF\">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RltdPties><Dbtr><Pty><Nm>Muster AG</Nm></Pty></Dbtr></RltdPties>"
                chunk += "<RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>\(reference)</Ref></CdtrRefInf></Strd></RmtInf></TxDtls>"
            }
            chunk += "</NtryDtls></Ntry>\n"
            next += size
            if chunk.utf8.count > 1 << 20 { try flush() }
        }
        chunk += "</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>\n"
        try flush()
        return written
    }
}
