import Billing
import Foundation
import Store
import Workflows

/// Exit codes: 0 success, 1 the operation failed, 64 the command line was wrong (EX_USAGE).
enum ExitCode {
    static let success: Int32 = 0
    static let failure: Int32 = 1
    static let usage: Int32 = 64
}

enum Runner {
    /// Parses `arguments` against the declarations, then runs the command (or prints help).
    static func run(_ arguments: [String]) -> Int32 {
        do {
            switch try Parser().parse(arguments) {
            case .help(let path):
                Context.writeOut(Data((HelpPage.text(for: path) + "\n").utf8))
                return ExitCode.success
            case .run(let parsed):
                guard let run = parsed.command.run else {
                    // `invoice` alone: the overview, as a usage error.
                    Context.writeOut(Data((HelpPage.text(for: []) + "\n").utf8))
                    return ExitCode.usage
                }
                let context = try Context(parsed)
                if parsed.command.database == .existing { try context.requireDatabase() }
                try run(parsed, context)
                return ExitCode.success
            }
        } catch let error as UsageError {
            report("invoice: \(error)")
            return ExitCode.usage
        } catch let error as CommandFailure {
            if !error.message.isEmpty { report("invoice: \(error.message)") }
            return ExitCode.failure
        } catch {
            report("invoice: \(error)")
            return ExitCode.failure
        }
    }

    static func report(_ line: String) {
        let oneLine = line.split(whereSeparator: \.isNewline).joined(separator: " ")
        try? FileHandle.standardError.write(contentsOf: Data((oneLine + "\n").utf8))
    }
}

/// A command that already explained itself (e.g. a batch with some failures) and must exit non-zero.
struct CommandFailure: Error {
    let message: String
}
