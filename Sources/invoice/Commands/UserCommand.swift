import Billing
import Store

enum UserCommand {
    static func run(_ arguments: Arguments, _ context: Context) throws {
        var args = arguments
        let action = try args.positional("action (add, edit, list or delete)")
        let store = try context.openStore()
        switch action {
        case "add":
            let customer = try store.customer(reference: try args.positional("customer id"))
            guard let first = try args.option("--first-name"), let surname = try args.option("--surname"),
                  let email = try args.option("--email")
            else { throw UsageError("user add needs --first-name, --surname and --email", command: "user") }
            let user = User(id: 0, customerID: customer.id, salutation: try args.option("--salutation") ?? "",
                            firstName: first, surname: surname, email: email)
            try args.finish()
            let stored = try store.addUser(user)
            context.json ? context.emit(Presenter.user(stored)) : context.emit(String(stored.id))
        case "edit":
            guard let id = Int64(try args.positional("user id")) else { throw UsageError("a user id is a number", command: "user") }
            var user = try store.user(id: id)
            let oldEmail = user.email
            if let v = try args.option("--salutation") { user.salutation = v }
            if let v = try args.option("--first-name") { user.firstName = v }
            if let v = try args.option("--surname") { user.surname = v }
            if let v = try args.option("--email") { user.email = v }
            try args.finish()
            let stored = try store.updateUser(user)
            let emailChanged = stored.email != oldEmail
            if context.json {
                context.emit(.object(Presenter.userPairs(stored) + [("email_changed", .bool(emailChanged)),
                                                                  ("confirmation_mail_sent", .bool(false))]))
            } else {
                context.emit("updated user \(stored.id) (\(stored.fullName))")
                if emailChanged {
                    context.emit("email changed from \(oldEmail) to \(stored.email); no confirmation mail was sent")
                }
            }
        case "list":
            let customer = try store.customer(reference: try args.positional("customer id"))
            try args.finish()
            let users = try store.users(customerID: customer.id)
            if context.json {
                context.emit(.array(users.map(Presenter.user)))
            } else {
                for user in users { context.emit("\(String(user.id).padding(6))\(user.fullName.padding(32))\(user.email)") }
                if users.isEmpty { context.emit("no users for customer \(customer.id) (\(customer.company))") }
            }
        case "delete":
            guard let id = Int64(try args.positional("user id")) else { throw UsageError("a user id is a number", command: "user") }
            try args.finish()
            let user = try store.user(id: id)
            try store.deleteUser(id: id)
            context.json ? context.emit(.object([("deleted", .int(id))])) : context.emit("deleted user \(id) (\(user.fullName))")
        default:
            throw UsageError("unknown action '\(action)'", command: "user")
        }
    }
}
