import Billing
import Store
import Workflows

/// `invoice user add|edit|list|delete`: the people of a customer.
enum UserCommand {
    static let userArgument = Argument("USER-ID", "the user's id")
    static let customerArgument = Argument("CUSTOMER", "the customer's id (or exact company name)")

    static let command = Command(
        name: "user", summary: "the people of a customer: add, edit, list, delete",
        discussion: "Only the four fields below are editable. Changing an email sends no confirmation mail.",
        subcommands: [
            Command(name: "add", summary: "add a user to a customer; prints its id",
                    arguments: [customerArgument],
                    options: [.value("--first-name", "F", "first name", required: true),
                              .value("--surname", "S", "surname", required: true),
                              .value("--email", "E", "email address", required: true),
                              .value("--salutation", "S", "salutation (Frau, Mr, ...)")],
                    run: add),
            Command(name: "edit", summary: "change a user's name, salutation or email",
                    arguments: [userArgument],
                    options: [.value("--salutation", "S", "salutation"), .value("--first-name", "F", "first name"),
                              .value("--surname", "S", "surname"), .value("--email", "E", "email address")],
                    run: edit),
            Command(name: "list", summary: "the users of a customer", arguments: [customerArgument], run: list),
            Command(name: "delete", summary: "delete a user", arguments: [userArgument], run: delete),
        ])

    static func userID(_ args: Arguments) throws -> Int64 {
        guard let id = Int64(try args.positional("USER-ID")) else { throw args.usageError("a user id is a number") }
        return id
    }

    static func add(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let customer = try store.customer(reference: try args.positional("CUSTOMER"))
        guard let first = try args.option("--first-name"), let surname = try args.option("--surname"),
              let email = try args.option("--email")
        else { throw args.usageError("user add needs --first-name, --surname and --email") }
        let user = User(id: 0, customerID: customer.id, salutation: try args.option("--salutation") ?? "",
                        firstName: first, surname: surname, email: email)
        let stored = try Customers(store: store).addUser(user)
        context.json ? context.emit(Presenter.user(stored)) : context.emit(String(stored.id))
    }

    static func edit(_ args: Arguments, _ context: Context) throws {
        let id = try userID(args)
        let store = try context.openStore()
        var user = try store.user(id: id)
        let oldEmail = user.email
        if let v = try args.option("--salutation") { user.salutation = v }
        if let v = try args.option("--first-name") { user.firstName = v }
        if let v = try args.option("--surname") { user.surname = v }
        if let v = try args.option("--email") { user.email = v }
        let stored = try store.write {
            let stored = try store.updateUser(user)
            try EventLog(store: store).customer(.customerUpdated, id: stored.customerID)
            return stored
        }
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
    }

    static func list(_ args: Arguments, _ context: Context) throws {
        let store = try context.openStore()
        let customer = try store.customer(reference: try args.positional("CUSTOMER"))
        let users = try store.users(customerID: customer.id)
        if context.json {
            context.emit(.array(users.map(Presenter.user)))
        } else {
            for user in users { context.emit("\(String(user.id).padding(6))\(user.fullName.padding(32))\(user.email)") }
            if users.isEmpty { context.emit("no users for customer \(customer.id) (\(customer.company))") }
        }
    }

    static func delete(_ args: Arguments, _ context: Context) throws {
        let id = try userID(args)
        let store = try context.openStore()
        let user = try store.user(id: id)
        try store.write {
            try store.deleteUser(id: id)
            try EventLog(store: store).customer(.customerUpdated, id: user.customerID)
        }
        context.json ? context.emit(.object([("deleted", .int(id))])) : context.emit("deleted user \(id) (\(user.fullName))")
    }
}
