import Foundation

/// One section of the bench: a group of figures, each next to its peer.
///
/// To add a section: write one file with a type conforming to this protocol and list the type in
/// `BenchSections.all` (the one registration point). `invoice-bench NAME…` runs only the named sections.
protocol BenchSection: SendableMetatype {
    /// The name on the command line, e.g. `store`.
    static var name: String { get }
    /// One line for `invoice-bench --help`.
    static var summary: String { get }
    init(environment: BenchEnvironment)
    var environment: BenchEnvironment { get }
    func run() throws
}

/// What every section gets: a scratch directory, the counts to use, where figures go, the
/// `invoice` binary to time as a process and the peers' folder.
struct BenchEnvironment {
    var directory: URL
    var quick: Bool
    var report: BenchReport
    /// The `invoice` executable built beside this one.
    var invoice: String
    /// `Benchmarks/peers` of the package (nil when not found).
    var peers: URL?
}

extension BenchSection {
    var directory: URL { environment.directory }
    var quick: Bool { environment.quick }
    var report: BenchReport { environment.report }
    var invoice: String { environment.invoice }
    var peers: URL? { environment.peers }
}
