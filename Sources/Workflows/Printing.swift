import Billing
import Documents
import EInvoice
import Foundation
import Store
import Synchronization

/// `invoice print`: renders many invoices into files, streaming them from the database.
///
/// One reader streams matching invoice ids from SQLite into a small bounded queue; `workers`
/// threads (two by default, one per core) take ids from it, each with its **own** `Store`
/// connection, load that one invoice, render every format and write the files. Memory stays
/// flat whatever the number of invoices: at most the queue's capacity plus one invoice per
/// worker is held at a time. A failure on one invoice is recorded and the batch goes on.
public struct Printing: Sendable {
    public let databasePath: String
    public let renderer: DocumentRenderer
    public let formats: [DocumentFormat]
    public let outputDirectory: URL
    /// `outputDirectory` as a path, made once.
    private let outputPath: String
    public var workers: Int
    /// The PDFs' creation date (document metadata).
    public var creationDate: Date?
    /// E-invoice XML written beside the documents (`STEM.cii.xml`, `STEM.ubl.xml`); drafts get none (a warning).
    public var eInvoiceSyntaxes: [EInvoiceSyntax] = []
    /// Also the Factur-X PDF (`STEM.facturx.pdf`); drafts get none (a warning).
    public var facturX = false

    public init(databasePath: String, renderer: DocumentRenderer, formats: [DocumentFormat], outputDirectory: URL,
                workers: Int = 2, creationDate: Date? = Date()) {
        self.databasePath = databasePath
        self.renderer = renderer
        self.formats = formats
        self.outputDirectory = outputDirectory
        outputPath = outputDirectory.path
        self.workers = max(1, workers)
        self.creationDate = creationDate
    }

    /// Where `invoice print` writes unless told: `print/` in the Outbox beside the database.
    public static func defaultDirectory(databasePath: String) -> URL {
        Outbox.defaultDirectory(databasePath: databasePath).appendingPathComponent("print")
    }

    /// One invoice's trouble: a failure (nothing or not everything written) or a warning.
    public struct Problem: Sendable, Hashable {
        public var invoice: String
        public var message: String

        public init(invoice: String, message: String) {
            self.invoice = invoice
            self.message = message
        }
    }

    public struct Report: Sendable {
        public var printed = 0
        public var files = 0
        public var failures: [Problem] = []
        public var warnings: [Problem] = []
    }

    /// How far the batch is: invoices finished (printed or failed) so far.
    public struct Progress: Sendable {
        public var done: Int
        public var failed: Int

        public init(done: Int, failed: Int) {
            self.done = done
            self.failed = failed
        }
    }

    /// How many invoices `filter` selects (a counting pass, for a progress bar's total).
    public func count(_ filter: InvoiceFilter) throws -> Int {
        let store = try Store(path: databasePath)
        var count = 0
        try store.forEachInvoice(filter) { _ in count += 1 }
        return count
    }

    /// Prints every invoice `filter` selects. `progress` and `warning` are called from worker threads.
    public func run(_ filter: InvoiceFilter, progress: @escaping @Sendable (Progress) -> Void = { _ in },
                    warning: @escaping @Sendable (Problem) -> Void = { _ in }) throws -> Report {
        try Printing.makeFolder(outputDirectory.path)
        // The drafts' seller. Issued documents carry the seller and logo frozen at issue; a logo that
        // cannot be used is left out with one warning per batch (see `work`), not one per invoice.
        let seller = try Store(path: databasePath).loadOperator()
        let queue = BoundedQueue<Int64>(capacity: workers * 8)
        let tally = Tally()
        let finished = DispatchGroup()
        for _ in 0..<workers {
            finished.enter()
            let worker = Thread { [self] in
                defer { finished.leave() }
                work(queue: queue, seller: seller, tally: tally, progress: progress, warning: warning)
            }
            worker.stackSize = 4 << 20
            worker.start()
        }
        do {
            let reader = try Store(path: databasePath)
            try reader.forEachInvoice(filter) { summary in queue.push(summary.id) }
        } catch {
            queue.close()
            finished.wait()
            throw error
        }
        queue.close()
        finished.wait()
        return tally.report
    }

    private func work(queue: BoundedQueue<Int64>, seller: Operator, tally: Tally,
                      progress: @Sendable (Progress) -> Void, warning: @Sendable (Problem) -> Void) {
        let store: Store
        do {
            store = try Store(path: databasePath)
        } catch {
            while let id = queue.pop() {
                progress(tally.fail(Problem(invoice: "id \(id)", message: "\(error)")))
            }
            return
        }
        while let id = queue.pop() {
            var name = "id \(id)"
            do {
                let invoice = try store.invoice(id: id)
                name = invoice.number ?? "draft \(invoice.id)"
                let (customer, addressee) = try store.billedTo(invoice)
                // An issued document shows the seller of its issue date; a draft today's settings.
                let document = InvoiceDocument(invoice: invoice, customer: customer, addressee: addressee,
                                               seller: try store.frozenSeller(invoiceID: invoice.id) ?? seller,
                                               creationDate: creationDate)
                var written = 0
                let documents = try renderer.render(formats, document)
                // A frozen logo that cannot be used is the same for every invoice issued with it: one warning.
                let logoProblem = renderer.logoProblem(for: document.seller)
                if let logoProblem, tally.firstTime(logoProblem) {
                    let problem = Problem(invoice: name, message: logoProblem)
                    tally.warn(problem)
                    warning(problem)
                }
                for message in documents.first?.warnings ?? [] where message != logoProblem {
                    let problem = Problem(invoice: name, message: message)
                    tally.warn(problem)
                    warning(problem)
                }
                for rendered in documents {
                    let format = rendered.format
                    try Printing.replaceFile(in: outputPath, named: "\(document.fileStem).\(format.rawValue)",
                                             with: rendered.data)
                    written += 1
                    if !rendered.substitutions.isEmpty {
                        let problem = Problem(invoice: name, message: Printing.substitutionWarning(rendered))
                        tally.warn(problem)
                        warning(problem)
                    }
                }
                written += try writeEInvoices(document, store: store, name: name, tally: tally, warning: warning)
                progress(tally.succeed(files: written))
            } catch {
                progress(tally.fail(Problem(invoice: name, message: "\(error)")))
            }
        }
    }

    /// Writes the e-invoice XML of one document; returns how many files. A draft gets a warning instead.
    private func writeEInvoices(_ document: InvoiceDocument, store: Store, name: String, tally: Tally,
                                warning: @Sendable (Problem) -> Void) throws -> Int {
        guard !eInvoiceSyntaxes.isEmpty || facturX else { return 0 }
        guard document.invoice.number != nil else {
            let problem = Problem(invoice: name, message: "a draft has no e-invoice (issue it first)")
            tally.warn(problem)
            warning(problem)
            return 0
        }
        let invoice = try EInvoicing.eInvoice(for: document, store: store)
        for syntax in eInvoiceSyntaxes {
            try Printing.replaceFile(in: outputPath, named: "\(document.fileStem).\(syntax.fileExtension)",
                                     with: Data(syntax.xml(invoice)))
        }
        if facturX {
            try Printing.replaceFile(in: outputPath, named: "\(document.fileStem).facturx.pdf",
                                     with: Data(try FacturX.pdf(document, invoice: invoice, renderer: renderer).data))
        }
        return eInvoiceSyntaxes.count + (facturX ? 1 : 0)
    }

    /// `the PDF shows '東' as '□', '京' as '□' (its font lacks them)`: one warning per document.
    public static func substitutionWarning(_ rendered: RenderedDocument) -> String {
        "the PDF shows \(rendered.substitutionSummary) (its font lacks them)"
    }
}

/// Customers of recent invoices, so a batch does not reload the same customer for every invoice.
/// The batch's counts and problems, updated from several threads.
private final class Tally: Sendable {
    private let state = Mutex(Printing.Report())
    private let seen = Mutex(Set<String>())

    /// Whether `message` is new to this batch (then remembered).
    func firstTime(_ message: String) -> Bool {
        seen.withLock { $0.insert(message).inserted }
    }

    func succeed(files: Int) -> Printing.Progress {
        state.withLock { state in
            state.printed += 1
            state.files += files
            return Printing.Progress(done: state.printed + state.failures.count, failed: state.failures.count)
        }
    }

    func fail(_ problem: Printing.Problem) -> Printing.Progress {
        state.withLock { state in
            state.failures.append(problem)
            return Printing.Progress(done: state.printed + state.failures.count, failed: state.failures.count)
        }
    }

    func warn(_ problem: Printing.Problem) {
        state.withLock { $0.warnings.append(problem) }
    }

    var report: Printing.Report { state.withLock { $0 } }
}

extension Printing {
    /// The document for one invoice read from `store`: its customer, addressee and seller (as frozen
    /// at issue; a draft's are those of now).
    public static func document(for invoice: Invoice, store: Store, creationDate: Date? = Date()) throws -> InvoiceDocument {
        let (customer, addressee) = try store.billedTo(invoice)
        return InvoiceDocument(invoice: invoice, customer: customer, addressee: addressee,
                               seller: try store.seller(for: invoice), creationDate: creationDate)
    }
}

extension Printing {
    /// Writes a document beside its final name and renames it into place: readers never see half a
    /// file. No fsync: printed documents can always be printed again, and a flush per file costs
    /// more than rendering it.
    /// Paths as plain strings: building a `URL` per file costs as much as writing a small one.
    /// Creates `path` and its missing parents (mkdir -p), or says in one line why it cannot: a part of
    /// the path that is a file, or the system's reason ("Permission denied", "No such file or directory").
    static func makeFolder(_ path: String) throws {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var prefix = ""
        for component in absolute.split(separator: "/") {
            prefix += "/" + component
            var info = stat()
            if stat(prefix, &info) == 0 {
                guard info.st_mode & UInt32(S_IFMT) == UInt32(S_IFDIR) else {
                    throw WorkflowError("cannot print into \(path): \(prefix) is a file, not a folder")
                }
                continue
            }
            guard mkdir(prefix, 0o755) == 0 || errno == EEXIST else {
                throw WorkflowError("cannot create the folder \(prefix) for --out \(path): \(String(cString: strerror(errno)))")
            }
        }
    }

    static func replaceFile(in directory: String, named name: String, with data: Data) throws {
        let final = directory + "/" + name
        let temporary = directory + "/." + name + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        func reason(_ code: Int32) -> String {
            code == ENOSPC || code == EDQUOT ? DiskSpace.fullMessage(near: directory) : String(cString: strerror(code))
        }
        guard fd >= 0 else { throw WorkflowError("cannot write \(temporary): \(reason(errno))") }
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress?.advanced(by: offset), buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        close(fd)
        guard failure == 0 else {
            unlink(temporary)
            throw WorkflowError("cannot write \(final): \(reason(failure))")
        }
        guard rename(temporary, final) == 0 else {
            let why = reason(errno)
            unlink(temporary)
            throw WorkflowError("cannot write \(final): \(why)")
        }
    }
}
