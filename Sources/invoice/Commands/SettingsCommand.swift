import Billing
import Documents
import Foundation
import Store

enum SettingsCommand {
    static let keyList: String = Operator.settings.map { "  \($0.key.padding(16))\($0.help)" }.joined(separator: "\n")

    static func run(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let action = try args.positional("action (show or set)")
        let store = try context.openStore()
        switch action {
        case "show":
            try args.finish()
            let op = try store.loadOperator()
            if context.json {
                context.emit(.object(Operator.settings.map { ($0.key, .string(op.value(for: $0.key) ?? "")) }))
            } else {
                for setting in Operator.settings {
                    context.emit("\(setting.key.padding(16))\(op.value(for: setting.key) ?? "")")
                }
            }
        case "set":
            let key = try args.positional("KEY")
            var value = try args.positional("VALUE")
            try args.finish()
            if key == "logo" && !value.isEmpty {
                // Checked here, where the file is at hand; stored absolute so any directory finds it.
                value = URL(fileURLWithPath: value).standardizedFileURL.path
                _ = try LogoFile(path: value)
            }
            let op = try store.setSetting(key, to: value)
            let shown = op.value(for: key) ?? value
            context.json ? context.emit(.object([(key, .string(shown))])) : context.emit("\(key) = \(shown)")
        default:
            throw UsageError("unknown action '\(action)'", command: "settings")
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
