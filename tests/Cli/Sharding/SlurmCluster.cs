using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Cm.Tests.Cli.Sharding;

/// <summary>
/// A one-node Slurm cluster started by a test, everything in a temporary folder: munged with a generated key
/// and its own socket, slurmctld and slurmd on loopback ports chosen free, SlurmUser=root, process tracking
/// by /proc (proctrack/linuxproc), no task plugin and no accounting, so it runs in a container without
/// cgroups or systemd. Every daemon is stopped by its pid on dispose. A daemon that does not come up is a
/// loud failure carrying its log.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class SlurmCluster : IDisposable
{
    private readonly List<(string Name, int Pid)> _daemons = [];

    public TempDir Dir { get; } = new();

    public string Conf => Dir.File("slurm.conf");

    public IReadOnlyDictionary<string, string> Env => new Dictionary<string, string> { ["SLURM_CONF"] = Conf };

    public static SlurmCluster Start()
    {
        var cluster = new SlurmCluster();
        try
        {
            cluster.Boot();
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    private void Boot()
    {
        var munged = Processes.Require("munged", "munge");
        var slurmctld = Processes.Require("slurmctld", "slurm-wlm");
        var slurmd = Processes.Require("slurmd", "slurm-wlm");
        Processes.Require("sbatch", "slurm-wlm");

        Directory.CreateDirectory(Dir.File("state"));
        Directory.CreateDirectory(Dir.File("spool"));
        var key = Dir.File("munge.key");
        File.WriteAllBytes(key, System.Security.Cryptography.RandomNumberGenerator.GetBytes(1024));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Daemon("munged", munged,
            [$"--key-file={key}", $"--socket={Dir.File("munge.sock")}", $"--pid-file={Dir.File("munged.pid")}",
             $"--log-file={Dir.File("munged.log")}", $"--seed-file={Dir.File("munge.seed")}", "--force"],
            Dir.File("munged.pid"), Dir.File("munged.log"));

        var (ctldPort, slurmdPort) = (FreePort(), FreePort());
        File.WriteAllText(Conf, $"""
            ClusterName=cmtest
            SlurmctldHost=localhost(127.0.0.1)
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            AuthInfo=socket={Dir.File("munge.sock")}
            CredType=cred/munge
            StateSaveLocation={Dir.File("state")}
            SlurmdSpoolDir={Dir.File("spool")}
            SlurmctldPidFile={Dir.File("slurmctld.pid")}
            SlurmdPidFile={Dir.File("slurmd.pid")}
            SlurmctldPort={ctldPort}
            SlurmdPort={slurmdPort}
            SlurmctldLogFile={Dir.File("slurmctld.log")}
            SlurmdLogFile={Dir.File("slurmd.log")}
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            ReturnToService=2
            MpiDefault=none
            NodeName=localhost NodeAddr=127.0.0.1 CPUs={Environment.ProcessorCount} State=UNKNOWN
            PartitionName=cm Nodes=localhost Default=YES MaxTime=INFINITE State=UP

            """);
        Daemon("slurmctld", slurmctld, ["-f", Conf], Dir.File("slurmctld.pid"), Dir.File("slurmctld.log"));
        Daemon("slurmd", slurmd, ["-f", Conf, "-N", "localhost"], Dir.File("slurmd.pid"), Dir.File("slurmd.log"));

        var sinfo = Processes.Require("sinfo", "slurm-wlm");
        var clock = Stopwatch.StartNew();
        var state = "";
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var r = Processes.Run(sinfo, ["-h", "-o", "%T"], Env, 30);
            state = r.Out.Trim() + r.Err.Trim();
            if (r.Code == 0 && state.StartsWith("idle", StringComparison.Ordinal)) return;
            Thread.Sleep(500);
        }
        throw new InvalidOperationException($"the Slurm node did not become idle in 60 s (sinfo: '{state}')\n{Logs()}");
    }

    // A daemon forks and its launcher exits: success means exit 0 and a pid file naming a live process.
    private void Daemon(string name, string program, string[] args, string pidFile, string log)
    {
        var r = Processes.Run(program, args, Env, 60);
        var clock = Stopwatch.StartNew();
        while (!File.Exists(pidFile) && clock.Elapsed < TimeSpan.FromSeconds(20)) Thread.Sleep(100);
        if (r.Code != 0 || !File.Exists(pidFile))
            throw new InvalidOperationException($"{name} did not start (exit {r.Code}, pid file {(File.Exists(pidFile) ? "present" : "missing")}):\n{r}\n--- {log} ---\n{Read(log)}\n{Logs()}");
        Thread.Sleep(200);
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        _daemons.Add((name, pid));
    }

    /// <summary>Every daemon's log, for failure messages.</summary>
    public string Logs()
    {
        var sb = new StringBuilder();
        foreach (var log in new[] { "munged.log", "slurmctld.log", "slurmd.log" })
            sb.Append("--- ").Append(log).Append(" ---\n").Append(Read(Dir.File(log))).Append('\n');
        return sb.ToString();
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "(no log written)";

    private static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        // Stop in reverse order, each by its pid, and wait for it to go.
        foreach (var (_, pid) in Enumerable.Reverse(_daemons))
        {
            try
            {
                using var p = Process.GetProcessById(pid);
                p.Kill();
                p.WaitForExit(10_000);
            }
            catch (ArgumentException)
            {
                // already gone
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
        Dir.Dispose();
    }
}
