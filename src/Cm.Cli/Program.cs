using System.Runtime.InteropServices;
using Cm.Cli.Hosting;

// The process edge: real consoles in, exit code out. Everything else is testable in-process through CliApp.
// Ctrl+C (SIGINT) and SIGTERM cancel the run: cm sample stops at the next step boundary, writes nothing and
// exits 130. A second signal ends the process at once (the default action), after showing the cursor again.
using var cancel = new CancellationTokenSource();
var signals = 0;
void OnSignal(PosixSignalContext context)
{
    if (Interlocked.Increment(ref signals) == 1)
    {
        context.Cancel = true;
        cancel.Cancel();
    }
    else if (!Console.IsErrorRedirected)
    {
        Console.Error.Write("\u001b[?25h");
    }
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
return CliApp.Run(args, CliConsoles.System(), cancel.Token);
