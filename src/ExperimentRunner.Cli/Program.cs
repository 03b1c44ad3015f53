using ExperimentRunner.Cli;

return ExprunCli.Run(args, CliContext.ForConsole());
