import Foundation

// Entry point: parse, dispatch, map failures to one line on stderr and an exit code.
signal(SIGPIPE, SIG_IGN)
var arguments = Array(CommandLine.arguments.dropFirst())
let status = Runner.run(&arguments)
exit(status)
