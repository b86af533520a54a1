import Billing
import Documents
import Foundation
import Store

enum SettingsCommand {
    static let keyList: String = Operator.settings.map { "  \($0.key.padding(16))\($0.help)" }.joined(separator: "\n")

    static let command = Command(
        name: "settings", summary: "the operator's details and billing settings",
        discussion: "Keys:\n\(keyList)",
        subcommands: [
            Command(name: "show", summary: "every setting with its value", run: show),
            Command(name: "set", summary: "change one setting",
                    arguments: [Argument("KEY", "the setting (see the list of keys)",
                                         completion: .choices(Operator.settings.map(\.key))),
                                Argument("VALUE", "its new value")],
                    examples: ["invoice settings set number_format \"RE-{YYYY}-{SEQ:4}\""], run: set),
        ])

    static func show(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let op = try store.loadOperator()
        if context.json {
            context.emit(.object(Operator.settings.map { ($0.key, .string(op.value(for: $0.key) ?? "")) }))
        } else {
            for setting in Operator.settings {
                context.emit("\(setting.key.padding(16))\(op.value(for: setting.key) ?? "")")
            }
        }
    }

    static func set(_ args: Arguments, _ context: Context) throws {
        let key = try args.positional("KEY")
        var value = try args.positional("VALUE")
        let store = try context.openStore()
        if key == "logo" && !value.isEmpty {
            // Checked here, where the file is at hand; stored absolute so any directory finds it.
            value = URL(fileURLWithPath: value).standardizedFileURL.path
            _ = try LogoFile(path: value)
        }
        let op = try store.setSetting(key, to: value)
        let shown = op.value(for: key) ?? value
        context.json ? context.emit(.object([(key, .string(shown))])) : context.emit("\(key) = \(shown)")
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
}
