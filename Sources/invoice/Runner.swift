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
    static func run(_ arguments: inout [String]) -> Int32 {
        do {
            let wantsHelp = arguments.contains("--help") || arguments.contains("-h")
            arguments.removeAll { $0 == "--help" || $0 == "-h" }
            let context = try Context.extract(from: &arguments)
            guard let name = arguments.first else {
                context.emit(Help.text(for: []))
                return wantsHelp ? ExitCode.success : ExitCode.usage
            }
            if wantsHelp || name == "help" {
                let path = name == "help" ? Array(arguments.dropFirst()) : arguments
                context.emit(Help.text(for: path.filter { !$0.hasPrefix("-") }))
                return ExitCode.success
            }
            guard let command = Commands.all[name] else {
                throw UsageError("unknown command '\(name)'", command: "")
            }
            try command(Arguments(Array(arguments.dropFirst()), command: name), context)
            return ExitCode.success
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

typealias Command = @Sendable (Arguments, Context) throws -> Void

enum Commands {
    static let all: [String: Command] = [
        "settings": SettingsCommand.run,
        "customer": CustomerCommand.run,
        "user": UserCommand.run,
        "catalog": CatalogCommand.run,
        "new": InvoiceCommands.new,
        "edit": InvoiceCommands.edit,
        "show": InvoiceCommands.show,
        "list": InvoiceCommands.list,
        "issue": InvoiceCommands.issue,
        "delete": InvoiceCommands.delete,
        "cancel": InvoiceCommands.cancel,
        "pay": InvoiceCommands.pay,
        "print": PrintCommand.run,
        "send": MailCommands.send,
        "mail": MailCommands.mail,
        "outbox": MailCommands.outbox,
        "plan": PlanCommand.plan,
        "module": PlanCommand.module,
        "run": RunCommand.run,
        "demo": DemoCommand.run,
        "serve": ServeCommand.run,
        "credit-note": MoneyCommands.creditNote,
        "refund": MoneyCommands.refund,
        "payments": MoneyCommands.payments,
    ]
}
