import Foundation

// Entry point: read the arguments as UTF-8, parse, dispatch, map failures to one line on stderr and an exit code.
signal(SIGPIPE, SIG_IGN)
switch RawArguments.decode(argc: CommandLine.argc, argv: CommandLine.unsafeArgv) {
case .success(let arguments):
    exit(Runner.run(arguments))
case .failure(let error):
    Runner.report("invoice: \(error)")
    exit(ExitCode.usage)
}
