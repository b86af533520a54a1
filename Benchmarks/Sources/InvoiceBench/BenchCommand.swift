import Billing
import Foundation
import Store

/// The command line of `invoice-bench`.
enum BenchCommand {
    static let usage = """
        Usage: invoice-bench [--quick] [--json] [--invoice PATH] [--peers DIR] [SECTION...]
               invoice-bench seed-run DB [CUSTOMERS]
               invoice-bench seed-print DB [INVOICES]

        Measures this machine, each figure next to a peer measured in the same run. Sections (all by
        default, in this order):
        \(BenchSections.all.map { "  \($0.name.padded(10))\($0.summary)" }.joined(separator: "\n"))

        --quick uses smaller counts; --json prints the figures as JSON. The `invoice` binary timed as
        a process is the one built beside this executable (--invoice to choose another); the peers
        are Benchmarks/peers of the package (--peers to choose another folder). scripts/bench
        installs the peers, builds both in release and runs this.
        `seed-run DB [CUSTOMERS]` seeds a database (default 100,000 customers) for timing
        `invoice run` by hand; `seed-print DB [INVOICES]` one of issued invoices (default 10,000; the
        documents section's) for timing or profiling `invoice print --all` by hand.
        """

    static func run(_ arguments: [String]) throws {
        var quick = false
        var json = false
        var invoice: String?
        var peers: URL?
        var names: [String] = []
        var rest = arguments[...]
        if rest.first == "seed-run" { return try seedRun(Array(rest.dropFirst())) }
        if rest.first == "seed-print" { return try seedPrint(Array(rest.dropFirst())) }
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": quick = true
            case "--json": json = true
            case "-h", "--help": print(usage); return
            case "--invoice", "--peers":
                guard let value = rest.popFirst() else { throw BenchError("\(argument) needs a value") }
                if argument == "--invoice" { invoice = value } else { peers = URL(fileURLWithPath: value) }
            default:
                guard !argument.hasPrefix("-") else { throw BenchError("unknown option \(argument) (see --help)") }
                guard BenchSections.all.contains(where: { $0.name == argument }) else {
                    throw BenchError("unknown section \(argument); sections: \(BenchSections.all.map { $0.name }.joined(separator: ", "))")
                }
                names.append(argument)
            }
        }
        let executable = invoice ?? siblingExecutable("invoice")
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw BenchError("no invoice executable at \(executable) (build it: swift build -c release, or pass --invoice)")
        }
        let sections = BenchSections.all.filter { names.isEmpty || names.contains($0.name) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("invoice-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let report = BenchReport(json: json)
        let environment = BenchEnvironment(directory: directory, quick: quick, report: report, invoice: executable,
                                           peers: peers ?? peerDirectory())
        report.title("invoice bench — \(ProcessInfo.processInfo.activeProcessorCount) cores, \(quick ? "quick" : "full") counts")
        for section in sections { try section.init(environment: environment).run() }
        report.finish()
    }

    /// `seed-run DB [CUSTOMERS]`: a database for timing `invoice run` by hand.
    static func seedRun(_ arguments: [String]) throws {
        guard let path = arguments.first, arguments.count <= 2 else { throw BenchError("usage: invoice-bench seed-run DB [CUSTOMERS]") }
        let count = try arguments.dropFirst().first.map {
            guard let value = Int($0), value > 0 else { throw BenchError("CUSTOMERS must be a positive number, not \($0)") }
            return value
        } ?? 100_000
        let store = try Store(path: path)
        try RunSeed.seed(store: store, customers: count, today: try Day(parsing: "2026-06-01"))
        print("seeded \(count) customers into \(path); time it with: invoice --db \(path) --date 2026-06-01 run")
    }

    /// `seed-print DB [INVOICES]`: the documents section's database for timing `invoice print` by hand.
    static func seedPrint(_ arguments: [String]) throws {
        guard let path = arguments.first, arguments.count <= 2 else { throw BenchError("usage: invoice-bench seed-print DB [INVOICES]") }
        let count = try arguments.dropFirst().first.map {
            guard let value = Int($0), value > 0 else { throw BenchError("INVOICES must be a positive number, not \($0)") }
            return value
        } ?? 10_000
        try DocumentBench.seed(path: path, count: count)
        print("seeded \(count) invoices into \(path); time it with: invoice --db \(path) print --all --out DIR")
    }

    /// A file beside this very executable.
    static func siblingExecutable(_ name: String) -> String {
        URL(fileURLWithPath: currentExecutable).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// `Benchmarks/peers` of the package holding this executable (found from the executable's
    /// directory, then the current directory, walking up to the folder with Package.swift).
    static func peerDirectory() -> URL? {
        let starts = [URL(fileURLWithPath: currentExecutable).deletingLastPathComponent(),
                      URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        for start in starts {
            var directory = start.standardizedFileURL
            while directory.path != "/" {
                if FileManager.default.fileExists(atPath: directory.appendingPathComponent("Package.swift").path) {
                    let peers = directory.appendingPathComponent("Benchmarks/peers")
                    if FileManager.default.fileExists(atPath: peers.appendingPathComponent("invoice_data.py").path) {
                        return peers
                    }
                }
                directory = directory.deletingLastPathComponent()
            }
        }
        return nil
    }
}
