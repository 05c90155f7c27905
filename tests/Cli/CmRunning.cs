using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Cm.Tests.Cli;

/// <summary>
/// A <c>cm</c> process still running, whose stderr is read line by line as it comes, so a test can wait for a
/// progress line and then send a signal (SIGINT as Ctrl+C sends it, or SIGTERM).
/// </summary>
public sealed class CmRunning : IDisposable
{
    private readonly Process _p;
    private readonly StringBuilder _err = new();
    private readonly Task<string> _out;
    private readonly object _gate = new();

    private CmRunning(Process p)
    {
        _p = p;
        _out = p.StandardOutput.ReadToEndAsync();
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_gate) _err.AppendLine(e.Data);
        };
        p.BeginErrorReadLine();
    }

    /// <summary>Starts <c>dotnet cm.dll ARGS</c> in <paramref name="workingDirectory"/>.</summary>
    public static CmRunning Start(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CmProcess.DllPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        return new CmRunning(Process.Start(info)!);
    }

    /// <summary>Runs <c>cm ARGS</c> to the end with stdout taken as bytes (for <c>--out -</c>).</summary>
    public static (int Code, byte[] Out, string Err) RunBytes(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(CmProcess.DllPath);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        using var bytes = new MemoryStream();
        var copy = p.StandardOutput.BaseStream.CopyToAsync(bytes);
        var err = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"cm {string.Join(' ', args)} did not finish in 120 s");
        }
        copy.Wait();
        return (p.ExitCode, bytes.ToArray(), err.Result);
    }

    /// <summary>stderr so far.</summary>
    public string Err
    {
        get { lock (_gate) return _err.ToString(); }
    }

    /// <summary>Waits until stderr contains <paramref name="text"/>; fails loudly on timeout or exit.</summary>
    public void WaitForErr(string text, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!Err.Contains(text, StringComparison.Ordinal))
        {
            if (_p.HasExited) throw new InvalidOperationException($"cm exited ({_p.ExitCode}) before writing '{text}'; stderr:\n{Err}");
            if (clock.Elapsed > timeout) throw new TimeoutException($"cm did not write '{text}' in {timeout}; stderr:\n{Err}");
            Thread.Sleep(20);
        }
    }

    /// <summary>Sends a POSIX signal to the process.</summary>
    public void Signal(int signal)
    {
        if (Kill(_p.Id, signal) != 0) throw new InvalidOperationException($"kill({_p.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the exit and returns what the process gave.</summary>
    public CliResult Wait(TimeSpan timeout)
    {
        if (!_p.WaitForExit(timeout))
        {
            _p.Kill(entireProcessTree: true);
            throw new TimeoutException($"cm did not exit in {timeout}; stderr:\n{Err}");
        }
        _p.WaitForExit();
        return new CliResult(_p.ExitCode, _out.Result, Err);
    }

    /// <summary>SIGINT, what Ctrl+C sends.</summary>
    public const int SigInt = 2;

    /// <summary>SIGTERM, what kill(1) and service managers send.</summary>
    public const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_p.HasExited) _p.Kill(entireProcessTree: true);
        _p.Dispose();
    }
}
