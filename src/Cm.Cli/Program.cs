using Cm.Cli.Hosting;

// The process edge: real consoles in, exit code out. Everything else is testable in-process through CliApp.
return CliApp.Run(args, CliConsoles.System());
