import Billing
import Documents
import Foundation
import SMTP
import Store
import Workflows

enum SettingsCommand {
    /// The operator's settings, then the mail settings.
    static let all: [Operator.Setting] = Operator.settings + MailSettings.settings + AccountChart.settings + DatevSettings.settings + EventSettings.settings

    static let keyList: String = all.map { "  \($0.key.padding(16))\($0.help)" }.joined(separator: "\n")

    static let command = Command(
        name: "settings", summary: "the operator's details and billing settings",
        discussion: "Keys:\n\(keyList)",
        subcommands: [
            Command(name: "show", summary: "every setting with its value", run: show),
            Command(name: "set", summary: "change one setting",
                    arguments: [Argument("KEY", "the setting (see the list of keys)",
                                         completion: .choices(all.map(\.key))),
                                Argument("VALUE", "its new value")],
                    examples: ["invoice settings set number_format \"RE-{YYYY}-{SEQ:4}\""], run: set),
        ])

    static func show(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let op = try store.loadOperator()
        let mail = try MailSettings.load(from: store)
        let events = try EventSettings.load(from: store)
        let accounts = try AccountChart.load(from: store)
        let datev = try DatevSettings.load(from: store)
        func value(_ key: String) -> String {
            op.value(for: key) ?? mail.value(for: key) ?? events.value(for: key) ?? accounts.value(for: key) ?? datev.value(for: key) ?? ""
        }
        // Per-rate account settings have no fixed key: the ones set are listed after the others.
        let keys = all.map(\.key).filter { !$0.hasSuffix("_RATE") } + accounts.overrides.keys.sorted().filter { key in !all.contains { $0.key == key } }
        if context.json {
            context.emit(.object(keys.map { ($0, .string(value($0))) }))
        } else {
            for key in keys {
                context.emit("\(key.padding(16))\(value(key))")
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
        if key == "smtp_ca_file" && !value.isEmpty {
            value = URL(fileURLWithPath: value).standardizedFileURL.path
            do { try SMTPConfiguration.checkCABundle(value) } catch {
                guard case .invalidConfiguration(let reason) = error else { throw error }
                throw CommandFailure(message: "smtp_ca_file: \(reason)")
            }
        }
        let shown: String
        if AccountChart.isAccountSetting(key) {
            shown = try AccountChart.set(key, to: value, in: store).value(for: key) ?? value
        } else if DatevSettings.isDatevSetting(key) {
            shown = try DatevSettings.set(key, to: value, in: store).value(for: key) ?? value
        } else if EventSettings.isEventSetting(key) {
            shown = try EventSettings.set(key, to: value, in: store).value(for: key) ?? value
        } else if MailSettings.isMailSetting(key) {
            shown = try MailSettings.set(key, to: value, in: store).value(for: key) ?? value
        } else {
            shown = try store.setSetting(key, to: value).value(for: key) ?? value
        }
        context.json ? context.emit(.object([(key, .string(shown))])) : context.emit("\(key) = \(shown)")
    }
}
