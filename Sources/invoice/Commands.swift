/// Every command, in the order `invoice --help` lists them. Adding a command is adding its
/// declaration here: parsing, help, completion and the help test follow from it.
enum Commands {
    static let all: [Command] = [
        InitCommand.command,
        DatabaseCommand.command,
        DemoCommand.command,
        SettingsCommand.command,
        CustomerCommand.command,
        UserCommand.command,
        CatalogCommand.command,
        InvoiceCommands.new,
        InvoiceCommands.edit,
        InvoiceCommands.show,
        InvoiceCommands.list,
        InvoiceCommands.issue,
        InvoiceCommands.delete,
        InvoiceCommands.cancel,
        InvoiceCommands.pay,
        MoneyCommands.creditNote,
        MoneyCommands.refund,
        MoneyCommands.payments,
        PlanCommand.plan,
        PlanCommand.module,
        RunCommand.command,
        PrintCommand.command,
        MailCommands.send,
        MailCommands.mail,
        MailCommands.outbox,
        ServeCommand.command,
        CompletionCommand.command,
        HelpCommand.command,
    ]
}
