import Billing
import Documents
import EInvoice
import Foundation
import Store
import Workflows

/// E-invoices (issue #12): for the 8-line sample invoice, the EN 16931 model, its CII and UBL and the
/// Factur-X PDF made from the plain PDF, per second, next to the `factur-x` Python library making the
/// Factur-X PDF from the same plain PDF and the same CII (`Benchmarks/peers/facturx_peer.py`).
struct EInvoiceBench: BenchSection {
    static let name = "einvoice"
    static let summary = "CII + UBL + Factur-X per second against the factur-x Python library"
    let environment: BenchEnvironment

    func run() throws {
        let path = directory.appendingPathComponent("einvoice-sample.sqlite").path
        try DocumentBench.seed(path: path, count: 6)
        let store = try Store(path: path)
        var chosen: Invoice?
        try store.forEachInvoice(InvoiceFilter()) { summary in
            if chosen == nil {
                let invoice = try store.invoice(id: summary.id)
                if invoice.lines.count == 8 { chosen = invoice }
            }
        }
        guard let invoice = chosen else { throw BenchError("no 8-line sample invoice was seeded") }
        let document = try Printing.document(for: invoice, store: store, creationDate: Date())
        let plain = Array(try DocumentRenderer().pdf(document).data)

        report.section("E-invoices, one core: the \(invoice.lines.count)-line invoice \(invoice.number ?? "")")
        let count = quick ? 500 : 3_000
        var bytes = 0
        let seconds = try measure {
            for _ in 0..<count {
                let model = try EInvoice(document)
                bytes &+= CIIWriter.xml(model).count + UBLWriter.xml(model).count
                bytes &+= try FacturX.pdf(plain, document: document, invoice: model).count
            }
        }
        let ours = Double(count) / seconds
        let xmlOnly = try measure {
            for _ in 0..<count {
                let model = try EInvoice(document)
                bytes &+= CIIWriter.xml(model).count + UBLWriter.xml(model).count
            }
        }
        report.figure("EN 16931 model + CII + UBL", Double(count) / xmlOnly, unit: "inv/s")

        var peer: Double?
        if let peers {
            let pdfFile = directory.appendingPathComponent("einvoice-plain.pdf")
            let xmlFile = directory.appendingPathComponent("einvoice-cii.xml")
            try Data(plain).write(to: pdfFile)
            var embedded = try EInvoice(document)
            embedded.specification = .en16931
            try Data(CIIWriter.xml(embedded)).write(to: xmlFile)
            peer = Self.python(peers.appendingPathComponent("facturx_peer.py"),
                               [pdfFile.path, xmlFile.path, String(quick ? 50 : 300)])
        }
        if let peer {
            report.figure("model + CII + UBL + Factur-X PDF", ours, unit: "inv/s", peer: ("factur-x (Python), Factur-X only", peer))
        } else {
            report.figure("model + CII + UBL + Factur-X PDF", ours, unit: "inv/s")
            report.note("factur-x (Python): not installed (pip install factur-x)")
        }
        let model = try EInvoice(document)
        let sizes = (CIIWriter.xml(model).count, UBLWriter.xml(model).count, try FacturX.pdf(plain, document: document, invoice: model).count)
        report.note("target: ≥ 20× the factur-x library; CII \(sizes.0) B, UBL \(sizes.1) B, Factur-X \(sizes.2) B (plain PDF \(plain.count) B)")
        _ = bytes
    }

    /// Runs a peer script; its last line is its rate. Nil when it cannot run (module missing).
    static func python(_ script: URL, _ arguments: [String]) -> Double? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).last
        else { return nil }
        return Double(line.trimmingCharacters(in: .whitespaces))
    }
}
