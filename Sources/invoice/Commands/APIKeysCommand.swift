import Store
import Workflows

/// `invoice api-keys create|list|revoke`: the keys of the HTTP API on `invoice serve` (issue 20).
enum APIKeysCommand {
    static let command = Command(
        name: "api-keys", summary: "the HTTP API's keys: create, list, revoke",
        discussion: """
            The JSON API under /v1/ on invoice serve exists once a key does (before that it answers 404).
            create prints the key once (ik_ + 64 hex digits); only its SHA-256 is stored, so a lost key
            cannot be shown again: revoke it and create another. Requests send Authorization: Bearer KEY.
            A --read-only key may only GET (a write answers 403). A revoked key answers 401 from then on;
            its name stays taken. list shows name, kind, created, last used (to the minute), revoked.
            """,
        subcommands: [
            Command(name: "create", summary: "a new key; prints it once",
                    options: [.value("--name", "NAME", "what or who uses it (unique)", required: true),
                              .flag("--read-only", "GET only")],
                    examples: ["invoice api-keys create --name web-app"],
                    run: create),
            Command(name: "list", summary: "the keys (never the keys themselves)", run: list),
            Command(name: "revoke", summary: "refuse a key from now on", arguments: [Argument("NAME", "the key's name")], run: revoke),
        ])

    static func pairs(_ key: APIKey) -> [(String, JSON)] {
        [("name", .string(key.name)), ("read_only", .bool(key.isReadOnly)), ("created_at", .string(key.createdAt)),
         ("last_used_at", .optional(key.lastUsedAt)), ("revoked_at", .optional(key.revokedAt))]
    }

    static func create(_ args: Arguments, _ context: Context) throws {
        guard let name = try args.option("--name") else { throw args.usageError("api-keys create needs --name NAME") }
        let store = try context.openStore()
        let (key, secret) = try store.createAPIKey(name: name, readOnly: args.flag("--read-only"))
        if context.json {
            context.emit(.object(pairs(key) + [("key", .string(secret))]))
        } else {
            context.emit(secret)
            context.warn("API key '\(key.name)'\(key.isReadOnly ? " (read-only)" : ""): shown once, only its hash is stored")
        }
    }

    static func list(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let keys = try store.apiKeys()
        if context.json { return context.emit(.array(keys.map { .object(pairs($0)) })) }
        if keys.isEmpty { return context.emit("no API keys; create one with: invoice api-keys create --name NAME") }
        context.emit("NAME".padding(24) + "KIND".padding(11) + "CREATED".padding(22) + "LAST USED".padding(22) + "REVOKED")
        for key in keys {
            context.emit(key.name.truncated(23).padding(24) + (key.isReadOnly ? "read-only" : "read-write").padding(11)
                         + key.createdAt.padding(22) + (key.lastUsedAt ?? "never").padding(22) + (key.revokedAt ?? "-"))
        }
    }

    static func revoke(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let key = try store.revokeAPIKey(name: try args.positional("NAME"))
        context.json ? context.emit(.object(pairs(key))) : context.emit("revoked API key '\(key.name)'")
    }
}
