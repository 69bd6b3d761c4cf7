using System.Globalization;

namespace Focus.LoadBench;

/// <summary>Command-line options of the load bench; defaults finish in a few minutes on 2 cores.</summary>
internal sealed record BenchOptions
{
    public int Jobs { get; init; } = 200;
    public int Clients { get; init; } = 20;
    public int ChannelsPerJob { get; init; } = 50;
    public int ReadSeconds { get; init; } = 20;
    public int WarmupSeconds { get; init; } = 3;
    public int FirstLineSample { get; init; } = 50;
    public int[] ReadSteps { get; init; } = [10, 25, 50, 100];
    public string? OutFile { get; init; }
    public string? RepoRoot { get; init; }
    public bool Build { get; init; } = true;
    public bool Read { get; init; } = true;
    public string[] SiloArgs { get; init; } = [];

    /// <summary><c>grain</c> (default) or <c>process</c>: where the silo runs each job's analyzer (Focus:Analyzer:Host).</summary>
    public string Host { get; init; } = "grain";

    public string? JsonFile { get; init; }

    /// <summary>0: one silo (the default); N: N silos on PostgreSQL behind one standalone gateway.</summary>
    public int ClusterSilos { get; init; }

    /// <summary>Npgsql connection string of the cluster's database (<c>--cluster</c> needs it).</summary>
    public string? Postgres { get; init; }

    public const string Usage = """
        Focus.LoadBench — drives the real silo (child process) over HTTP and gRPC and prints a markdown table.

          --jobs N            live jobs to create under load (default 200)
          --clients N         concurrent /configure clients (default 20)
          --channels N        channels per MULTICHANNEL job (default 50)
          --read-seconds S    measurement window of each read step (default 20)
          --warmup-seconds S  readers attached before the window opens (default 3)
          --sample N          jobs timed for the first line, sequentially and under load (default 50)
          --steps A,B,C       read steps below --jobs; --jobs itself is always the last step (default 10,25,50,100)
          --out FILE          append the markdown report to FILE
          --repo DIR          repository root (default: found upwards from the current directory)
          --no-build          skip `dotnet build Silo -c Release`
          --host grain|process  where jobs' analyzers run (Focus:Analyzer:Host; process: also the analyzer processes' RSS)
          --no-read           skip the read steps (only /configure, first line, memory and cleanup: ~1 min)
          --silo-arg ARG      extra argument for the silo (repeatable), e.g. --silo-arg=--Focus:Jobs:IdleTimeout=00:05:00
          --json FILE         also write the run's summary as JSON (input of `compare`)
          --cluster N         run N silos (Focus:Cluster:Kind=adonet) and one standalone gateway instead of one silo;
                              clients use the gateway, CPU and memory are summed over all N + 1 processes
          --pg CONNSTRING     the cluster's PostgreSQL (Npgsql connection string; --cluster needs it; init-db is run)

        Focus.LoadBench compare A.json B.json ...
                              prints the runs' summaries side by side as one markdown table

        FOCUS_LOADBENCH_TRACE=1 prints the first row_index jumps of each reader to stderr.
        """;

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        var siloArgs = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            string? inline = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }
            string Value() => inline ?? (++i < args.Length ? args[i] : throw new ArgumentException($"{arg} needs a value"));
            int Int() => int.Parse(Value(), NumberStyles.None, CultureInfo.InvariantCulture) is var v and > 0
                ? v : throw new ArgumentException($"{arg} must be a positive integer");
            o = arg switch
            {
                "--jobs" => o with { Jobs = Int() },
                "--clients" => o with { Clients = Int() },
                "--channels" => o with { ChannelsPerJob = Int() },
                "--read-seconds" => o with { ReadSeconds = Int() },
                "--warmup-seconds" => o with { WarmupSeconds = Int() },
                "--sample" => o with { FirstLineSample = Int() },
                "--steps" => o with
                {
                    ReadSteps = Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray(),
                },
                "--out" => o with { OutFile = Value() },
                "--repo" => o with { RepoRoot = Value() },
                "--no-build" => o with { Build = false },
                "--host" => Value() is var host && host is "grain" or "process" ? o with { Host = host }
                    : throw new ArgumentException("--host is grain or process"),
                "--no-read" => o with { Read = false },
                "--silo-arg" => AddSiloArg(o, siloArgs, Value()),
                "--json" => o with { JsonFile = Value() },
                "--cluster" => o with { ClusterSilos = Int() },
                "--pg" => o with { Postgres = Value() },
                "--help" or "-h" => throw new HelpRequested(),
                _ => throw new ArgumentException($"unknown option {arg}"),
            };
        }
        if (o.Host == "process") siloArgs.Add("--Focus:Analyzer:Host=process");
        if (o.ClusterSilos > 0 && string.IsNullOrWhiteSpace(o.Postgres))
            throw new ArgumentException("--cluster needs --pg \"Host=...;Port=...;Database=...;Username=...;Password=...\"");
        if (o.ClusterSilos == 0 && o.Postgres is not null)
            throw new ArgumentException("--pg is for --cluster N only");
        return o with { SiloArgs = [.. siloArgs] };
    }

    private static BenchOptions AddSiloArg(BenchOptions o, List<string> list, string value)
    {
        list.Add(value);
        return o;
    }

    /// <summary>The read steps actually run: those below <see cref="Jobs"/>, then <see cref="Jobs"/>.</summary>
    public int[] EffectiveSteps => [.. ReadSteps.Where(s => s > 0 && s < Jobs).Distinct().Order(), Jobs];
}

internal sealed class HelpRequested : Exception;
