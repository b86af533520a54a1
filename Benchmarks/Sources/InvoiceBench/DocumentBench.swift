import Billing
import Documents
import Foundation
import Mustache
import PDF
import Store
import Workflows

/// Documents (issue #4): our Mustache engine against Jinja2 (and chevron, pystache) on the same
/// template and data; our PDF writer against ReportLab drawing the same page (and WeasyPrint,
/// wkhtmltopdf for scale); and `invoice print --all` over SQLite databases of 1,000 and 10,000
/// invoices. The peers and their data are `Benchmarks/peers` (`bench_peers.py`, `invoice_data.py`).
struct DocumentBench: BenchSection {
    static let name = "documents"
    static let summary = "HTML and PDF rendering against Jinja2, chevron, pystache, ReportLab, WeasyPrint, wkhtmltopdf; print --all"
    let environment: BenchEnvironment

    /// How many distinct sample invoices both sides cycle through.
    static let sampleCount = 200

    func run() throws {
        let peers = self.peers
        var samples: (values: [TemplateValue], invoices: [PeerInvoice])?
        if let peers {
            do {
                samples = try Self.loadSamples(peers)
            } catch {
                report.note("peer data from \(peers.path) unreadable (\(error)); skipping the peer comparisons")
            }
        } else {
            report.note("peer material not found (Benchmarks/peers of the package, from the executable or the "
                        + "current directory; or --peers DIR); skipping the Jinja2/ReportLab comparisons")
        }
        let realDocument = try sampleDocument()
        let renderer = try DocumentRenderer()
        try htmlFigures(peers: peers, samples: samples, renderer: renderer, document: realDocument)
        try pdfFigures(peers: peers, samples: samples, renderer: renderer, document: realDocument)
        try printFigures()
    }

    // MARK: HTML

    private func htmlFigures(peers: URL?, samples: (values: [TemplateValue], invoices: [PeerInvoice])?,
                             renderer: DocumentRenderer, document: InvoiceDocument) throws {
        report.section("HTML rendering, one core, the same invoice template and data (\(Self.sampleCount) invoices of 8 lines)")
        if let peers, let samples {
            let source = try String(contentsOf: peers.appendingPathComponent("invoice.mustache.html"), encoding: .utf8)
            let template = try Template(source, name: "invoice.mustache.html")
            let count = quick ? 20_000 : 100_000
            var bytes = 0
            _ = try template.render(samples.values[0])
            let seconds = try measure {
                for i in 0..<count { bytes &+= try template.render(samples.values[i % samples.values.count]).utf8.count }
            }
            let ours = Double(count) / seconds
            let jinja = python(peers, "jinja2", quick ? 3_000 : 20_000)
            figure("Mustache engine", ours, unit: "inv/s", peerName: "Jinja2", peer: jinja)
            for (name, kind) in [("chevron", "chevron"), ("pystache", "pystache")] {
                figure("Mustache engine", ours, unit: "inv/s", peerName: name, peer: python(peers, kind, quick ? 300 : 3_000))
            }
            report.note("target: ≥ 5× Jinja2 (autoescape on); \(bytes / count) bytes of HTML per invoice")
        }
        let count = quick ? 2_000 : 10_000
        _ = try renderer.html(document)
        let seconds = try measure { for _ in 0..<count { _ = try renderer.html(document) } }
        report.figure("DocumentRenderer.html, real invoice (\(document.invoice.lines.count) lines)", Double(count) / seconds,
                      unit: "renders/s")
    }

    // MARK: PDF

    private func pdfFigures(peers: URL?, samples: (values: [TemplateValue], invoices: [PeerInvoice])?,
                            renderer: DocumentRenderer, document: InvoiceDocument) throws {
        report.section("PDF, one core: the same one-page invoice drawn with the standard Helvetica fonts")
        if let peers, let samples {
            let count = quick ? 5_000 : 30_000
            var bytes = 0
            _ = Self.drawPeerPage(samples.invoices[0])
            let seconds = measure {
                for i in 0..<count { bytes &+= Self.drawPeerPage(samples.invoices[i % samples.invoices.count]).count }
            }
            let ours = Double(count) / seconds
            figure("PDF writer, ReportLab's page", ours, unit: "inv/s", peerName: "ReportLab",
                   peer: python(peers, "reportlab", quick ? 200 : 1_000))
            figure("PDF writer, ReportLab's page", ours, unit: "inv/s", peerName: "WeasyPrint (HTML→PDF)",
                   peer: python(peers, "weasyprint", quick ? 3 : 20))
            figure("PDF writer, ReportLab's page", ours, unit: "inv/s", peerName: "wkhtmltopdf (a process each)",
                   peer: try wkhtmltopdf(samples.values[0], peers: peers, runs: quick ? 2 : 5))
            report.note("target: ≥ 5× ReportLab (uncompressed page streams on both sides); \(bytes / count) bytes per PDF")
        }
        let count = quick ? 1_000 : 5_000
        _ = try renderer.pdf(document)
        var pdfBytes = 0
        let seconds = try measure { for _ in 0..<count { pdfBytes &+= try renderer.pdf(document).data.count } }
        let name = "DocumentRenderer.pdf, real invoice (\(document.invoice.lines.count) lines, QR-bill, embedded font)"
        if let peers {
            // The real path (layout, embedded Liberation Sans subsets, the QR-bill) against ReportLab
            // drawing its invoice page with the same TrueType font embedded as a subset.
            figure(name, Double(count) / seconds, unit: "inv/s", peerName: "ReportLab, embedded TTF",
                   peer: python(peers, "reportlab-ttf", quick ? 200 : 1_000))
            report.note("target: ≥ 10× ReportLab; \(pdfBytes / count) bytes per PDF")
        } else {
            report.figure(name, Double(count) / seconds, unit: "renders/s")
        }
    }

    /// The ReportLab routine of `peers.py` (`rl`), ported: same strings, positions, fonts and sizes.
    /// ReportLab measures from the bottom-left corner, our pages from the top-left.
    static func drawPeerPage(_ inv: PeerInvoice) -> [UInt8] {
        let mm = 72.0 / 25.4
        var page = PDFPage(size: .a4)
        let top = page.size.height
        func text(_ s: String, _ x: Double, _ y: Double, _ font: PDFFont, _ size: Double, right: Bool = false) {
            page.drawText(s, x: x, y: top - y, font: font, size: size, alignment: right ? .right : .left)
        }
        text(inv.seller.company, 20 * mm, 280 * mm, .helveticaBold, 10)
        var y = 250 * mm
        for s in [inv.customer.company, inv.customer.contact ?? "", inv.customer.street, inv.customer.city,
                  inv.customer.country ?? ""] {
            text(s, 120 * mm, y, .helvetica, 10)
            y -= 5 * mm
        }
        text("Rechnung " + inv.number, 20 * mm, 200 * mm, .helveticaBold, 14)
        y = 185 * mm
        for l in inv.lines {
            text(String(l.pos), 20 * mm, y, .helvetica, 9)
            text(l.title, 30 * mm, y, .helvetica, 9)
            text("\(l.qty) \(l.unit)", 130 * mm, y, .helvetica, 9, right: true)
            text(l.price, 155 * mm, y, .helvetica, 9, right: true)
            text(l.vat, 170 * mm, y, .helvetica, 9, right: true)
            text(l.total, 190 * mm, y, .helvetica, 9, right: true)
            text(l.description, 30 * mm, y - 4 * mm, .helvetica, 9)
            page.drawLine(fromX: 20 * mm, y: top - (y - 6 * mm), toX: 190 * mm, y: top - (y - 6 * mm), width: 1)
            y -= 10 * mm
        }
        text("Total netto", 120 * mm, y, .helvetica, 9)
        text(inv.net, 190 * mm, y, .helvetica, 9, right: true)
        text("Total CHF", 120 * mm, y - 5 * mm, .helvetica, 9)
        text(inv.gross, 190 * mm, y - 5 * mm, .helvetica, 9, right: true)
        text(inv.seller.company + " · IBAN " + (inv.seller.iban ?? ""), 20 * mm, 10 * mm, .helvetica, 8)
        var document = PDFDocument(info: PDFDocumentInfo(producer: nil))
        document.append(page)
        return document.render()
    }

    /// One `wkhtmltopdf` process per PDF, on our HTML of the same template; nil when not installed.
    private func wkhtmltopdf(_ value: TemplateValue, peers: URL, runs: Int) throws -> Double? {
        guard let exe = Self.which("wkhtmltopdf") else { return nil }
        let source = try String(contentsOf: peers.appendingPathComponent("invoice.mustache.html"), encoding: .utf8)
        let html = directory.appendingPathComponent("wk-invoice.html")
        try Data(try Template(source, name: "invoice.mustache.html").render(value).utf8).write(to: html)
        let pdf = directory.appendingPathComponent("wk-invoice.pdf").path
        var total = 0.0
        for _ in 0..<runs {
            // Through `sh -c 'exec …'` (no extra process) only to silence Qt's notes on stderr.
            guard let run = try? measureProcess("/bin/sh", ["-c", "exec \"$0\" -q \"$1\" \"$2\" 2>/dev/null", exe, html.path, pdf])
            else { return nil }
            total += run.seconds
        }
        return Double(runs) / total
    }

    // MARK: invoice print --all

    private func printFigures() throws {
        let small = quick ? 200 : 1_000
        let large = quick ? 2_000 : 10_000
        let runs = quick ? 1 : 2
        report.section("`invoice print --all --format html,pdf,txt` from SQLite (one process, 2 workers)")
        var results: [(count: Int, seconds: Double, peakKiB: Int, floor: Double?, cpu: Double)] = []
        var tmpfsSeconds: Double?
        // Every folder written stays until the section ends: on a file system without a journal, ext4
        // skips inodes freed in the last ~30 s when it allocates new ones (find_inode_bit →
        // recently_deleted), so deleting one run's 30,000 files slows the next run's creations (ours
        // or python's) by seconds. Nothing is deleted between the timed runs, for either side.
        var written: [URL] = []
        defer { for folder in written { try? FileManager.default.removeItem(at: folder) } }
        for count in [small, large] {
            let path = directory.appendingPathComponent("print-\(count).sqlite").path
            try Self.seed(path: path, count: count)
            var best = Double.infinity
            var peak = 0
            var floorSeconds: Double?
            var cpu = Double.infinity
            for run in 0..<runs {
                let out = directory.appendingPathComponent("print-\(count)-\(run)")
                written.append(out)
                let measured = try measureProcess(invoice,
                                                  ["--db", path, "print", "--all", "--format", "html,pdf,txt", "--out", out.path])
                let files = (try? FileManager.default.contentsOfDirectory(atPath: out.path).count) ?? 0
                guard files == count * 3 else {
                    throw BenchError("print wrote \(files) files for \(count) invoices, expected \(count * 3)")
                }
                if run == 0 {
                    let copy = out.deletingLastPathComponent().appendingPathComponent(out.lastPathComponent + "-floor")
                    written.append(copy)
                    floorSeconds = try Self.fileSystemFloor(copying: out, to: copy)
                }
                best = min(best, measured.seconds)
                cpu = min(cpu, measured.cpuSeconds)
                peak = max(peak, measured.peakKiB)
            }
            results.append((count, best, peak, floorSeconds, cpu))
            if count == large, FileManager.default.isWritableFile(atPath: "/dev/shm") {
                let out = URL(fileURLWithPath: "/dev/shm/invoice-bench-print-\(getpid())")
                defer { try? FileManager.default.removeItem(at: out) }
                tmpfsSeconds = try measureProcess(invoice,
                                                  ["--db", path, "print", "--all", "--format", "html,pdf,txt", "--out", out.path]).seconds
            }
        }
        for r in results {
            let floorPeer = r.floor.map { ("the same files written by python3 alone", $0) }
            report.figure("print \(r.count) invoices × 3 formats to disk", r.seconds, unit: "s", peer: floorPeer, higherIsBetter: false)
            report.figure("invoices/s at \(r.count)", Double(r.count) / r.seconds, unit: "inv/s")
            report.figure("CPU time (user + system) at \(r.count)", r.cpu, unit: "s")
            report.figure("peak memory at \(r.count) invoices", Double(r.peakKiB) / 1024, unit: "MiB")
        }
        if let tmpfsSeconds {
            report.figure("print \(large) invoices × 3 formats to tmpfs", tmpfsSeconds, unit: "s")
        }
        report.figure("memory growth \(small) → \(large) invoices",
                      Double(results[1].peakKiB - results[0].peakKiB) / Double(max(results[0].peakKiB, 1)) * 100, unit: "%")
        report.note("target: ≤ 5 s for 10,000 invoices on 2 cores, peak < 100 MiB, growth < 20 %"
                    + (quick ? " (quick counts: run without --quick for 10,000)" : ""))
        report.note("creating files is this disk's floor: the ratio to python3 writing the same files shows how close print gets")
    }

    /// Seconds python3 needs just to write the files of `folder` again (read into memory first):
    /// what creating that many files costs on this disk, whoever renders them.
    static func fileSystemFloor(copying folder: URL, to destination: URL) throws -> Double? {
        let script = """
            import os, sys, time
            src, dst = sys.argv[1], sys.argv[2]
            blobs = [(n, open(os.path.join(src, n), 'rb').read()) for n in os.listdir(src)]
            os.makedirs(dst)
            t = time.perf_counter()
            for n, b in blobs:
                with open(os.path.join(dst, n), 'wb') as f: f.write(b)
            print(time.perf_counter() - t)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, folder.path, destination.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return Double(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    // MARK: Peers

    /// Runs one peer in `python3` and returns its rate, nil when its module is not installed.
    private func python(_ peers: URL, _ kind: String, _ count: Int) -> Double? {
        guard let output = try? Self.runPython(peers, kind, count),
              let line = output.split(whereSeparator: \.isNewline).last,
              let value = Double(line.trimmingCharacters(in: .whitespaces))
        else { return nil }
        return value
    }

    private func figure(_ name: String, _ value: Double, unit: String, peerName: String, peer: Double?) {
        if let peer {
            report.figure(name, value, unit: unit, peer: (peerName, peer))
        } else {
            report.figure(name, value, unit: unit)
            report.note("\(peerName): not installed (run scripts/bench)")
        }
    }

    /// The data of `make_invoice(i)` for the first `sampleCount` invoices, as JSON from python3.
    static func loadSamples(_ peers: URL) throws -> (values: [TemplateValue], invoices: [PeerInvoice]) {
        let json = try runPython(peers, "data", sampleCount)
        let data = Data(json.utf8)
        let values = try JSONDecoder().decode([TemplateValue].self, from: data)
        let invoices = try JSONDecoder().decode([PeerInvoice].self, from: data)
        guard !values.isEmpty, values.count == invoices.count else {
            throw BenchError("no sample invoices from invoice_data.py")
        }
        return (values, invoices)
    }

    static func runPython(_ peers: URL, _ kind: String, _ count: Int) throws -> String {
        guard let python = which("python3") else { throw BenchError("python3 not found") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [peers.appendingPathComponent("bench_peers.py").path, kind, String(count), String(sampleCount)]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("python3 \(kind) failed (status \(process.terminationStatus))")
        }
        return String(decoding: output, as: UTF8.self)
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    // MARK: Data

    /// The fields of `make_invoice(i)` the ReportLab page draws.
    struct PeerInvoice: Decodable, Sendable {
        struct Party: Decodable, Sendable {
            var company: String
            var contact: String?
            var street: String
            var city: String
            var country: String?
            var iban: String?
        }
        struct Line: Decodable, Sendable {
            var pos: Int
            var title: String
            var description: String
            var qty: Int
            var unit: String
            var price: String
            var vat: String
            var total: String
        }
        var number: String
        var customer: Party
        var seller: Party
        var lines: [Line]
        var net: String
        var gross: String
    }

    /// A real invoice from the database (8 lines, German, CHF), for `DocumentRenderer`.
    private func sampleDocument() throws -> InvoiceDocument {
        let path = directory.appendingPathComponent("documents-sample.sqlite").path
        try Self.seed(path: path, count: 6)
        let store = try Store(path: path)
        var chosen: Invoice?
        try store.forEachInvoice(InvoiceFilter()) { summary in
            if chosen == nil, let invoice = try? store.invoice(id: summary.id), invoice.lines.count == 8 { chosen = invoice }
        }
        guard let invoice = chosen else { throw BenchError("no sample invoice was seeded") }
        return InvoiceDocument(invoice: invoice, customer: try store.customer(id: invoice.customerID),
                               addressee: try invoice.userID.map { try store.user(id: $0) },
                               seller: try store.loadOperator(), creationDate: Date())
    }

    /// An operator, six customers (de, fr, it, en; CHF, EUR, USD) and `count` issued invoices of
    /// 3 to 8 lines, all in one transaction.
    static func seed(path: String, count: Int) throws {
        let store = try Store(path: path)
        let today = try Day(parsing: "2026-11-25")
        try store.write {
            for (key, value) in [
                ("company", "Cloudwerk AG"), ("street", "Technoparkstrasse"), ("building", "1"), ("postcode", "8005"),
                ("town", "Zürich"), ("country", "CH"), ("vat_id", "CHE-109.322.551 MWST"), ("email", "billing@cloudwerk.ch"),
                ("iban", "CH93 0076 2011 6238 5295 7"), ("currency", "CHF"), ("language", "de"),
                ("number_format", "CW-{YYYY}-{SEQ:5}"), ("payment_terms", "30"), ("cash_rounding", "CHF:0.05"),
            ] { try store.setSetting(key, to: value) }
            let people: [(String, String, String, String, String, String, String, String, String)] = [
                ("Müller & Söhne AG", "Jürg Müller", "Bahnhofstrasse", "12", "8001", "Zürich", "CH", "CHF", "de"),
                ("Café Lumière Sàrl", "Hélène Rousseau", "Rue du Rhône", "48", "1204", "Genève", "CH", "CHF", "fr"),
                ("Bäckerei Kühn GmbH", "Björn Kühn", "Königsallee", "5a", "40212", "Düsseldorf", "DE", "EUR", "de"),
                ("Studio Bianchi SA", "Lucia Bianchi", "Via Nassa", "21", "6900", "Lugano", "CH", "CHF", "it"),
                ("Acme Analytics Inc.", "Sarah O'Connor", "Market Street", "555", "94105", "San Francisco", "US", "USD", "en"),
                ("Crêperie Le Goéland", "Maëlle Le Bihan", "Quai de la Fosse", "17", "44000", "Nantes", "FR", "EUR", "fr"),
            ]
            var customers: [(Customer, Int64)] = []
            for p in people {
                let customer = try store.addCustomer(Customer(
                    id: 0, company: p.0, contact: p.1,
                    address: Address(street: p.2, building: p.3, postcode: p.4, town: p.5, country: try Country(code: p.6)),
                    email: "billing@example.com", currency: try Currency(code: p.7), language: try Language(code: p.8)))
                let names = p.1.split(separator: " ", maxSplits: 1).map(String.init)
                let user = try store.addUser(User(id: 0, customerID: customer.id, firstName: names.first ?? p.1,
                                                  surname: names.count > 1 ? names[1] : "", email: "person@example.com"))
                customers.append((customer, user.id))
            }
            let specs = [
                "Plan Business;1;99.00;{vat};;Monat", "Modul Zeiterfassung;{n};12.00;{vat};;Monat",
                "Support;1.5;120.00;{vat};10;h", "E-Banking;1;19.90;{vat};;Monat", "Mahnwesen;1;9.00;{vat};;Monat",
                "Speicher 100 GB;2;15.00;{vat};;Monat", "Einrichtung;1;150.00;{vat};;", "Schulung;3;180.00;{vat};5;h",
            ]
            var pools: [String: [[InvoiceLine]]] = [:]
            for (customer, _) in customers where pools[customer.currency.code] == nil {
                let vat = switch customer.currency.code { case "EUR": "19"; case "USD": "0"; default: "8.1" }
                pools[customer.currency.code] = try (1...5).map { n in
                    try specs.map { spec in
                        var line = try InvoiceLine(parsing: spec.replacingOccurrences(of: "{vat}", with: vat)
                            .replacingOccurrences(of: "{n}", with: String(n)), currency: customer.currency)
                        line.description = "Abonnement 01.12.2026 – 31.12.2026"
                        return line
                    }
                }
            }
            let invoicing = Invoicing(store: store)
            for i in 0..<count {
                let (customer, userID) = customers[i % customers.count]
                let pool = pools[customer.currency.code] ?? []
                guard !pool.isEmpty else { continue }
                let lines = Array(pool[i % pool.count].prefix(3 + i % 6))
                _ = try invoicing.create(customerReference: String(customer.id),
                                         InvoiceDraft(title: "Abonnement Dezember 2026", userID: i % 2 == 0 ? userID : nil,
                                                      lines: lines),
                                         issue: true, today: today)
            }
        }
    }
}
