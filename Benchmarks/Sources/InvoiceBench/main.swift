import Billing
import Foundation
import Store

// invoice-bench: figures for this machine, each next to a peer measured in the same run.
signal(SIGPIPE, SIG_IGN)
do {
    try BenchCommand.run(Array(CommandLine.arguments.dropFirst()))
} catch {
    FileHandle.standardError.write(Data("invoice-bench: \(error)\n".utf8))
    exit(1)
}
