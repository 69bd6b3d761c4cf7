using System.Collections.Concurrent;
using System.Diagnostics;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// Runs each job's data plane in a child process (<c>Focus:Analyzer:Host=process</c>): <c>dotnet Focus.Analyzer.dll
/// --job ID --port N --parent PID</c> with this process's <c>Focus:*</c> and <c>Logging:*</c> configuration, which
/// serves the job with the same in-process host a silo uses. <see cref="StartAsync"/> returns once the child's port
/// accepts calls; the <see cref="ProcessAnalyzerJob"/> then watches, restarts and finally stops and reaps it.
/// </summary>
public sealed class ProcessAnalyzerHost(
    IOptions<AnalyzerHostOptions> options,
    IConfiguration configuration,
    StreamInstruments instruments,
    IServiceProvider services,
    ILoggerFactory loggerFactory) : IAnalyzerHost, IAsyncDisposable
{
    private readonly ConcurrentDictionary<ProcessAnalyzerJob, byte> _jobs = new();
    private RecorderFiber? _fiber;
    private bool _fiberWatched;

    public int RunningJobs => _jobs.Count;

    internal AnalyzerHostOptions Options => options.Value;

    internal ILoggerFactory LoggerFactory => loggerFactory;

    internal StreamInstruments Instruments => instruments;

    public Task<IAnalyzerJob> StartAsync(PipelineSpec spec, int port, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        WatchFiber();
        // Off the caller's scheduler (a grain turn): starting a process blocks, and its events arrive on the thread pool.
        return Task.Run(async () =>
        {
            var job = new ProcessAnalyzerJob(this, spec, port);
            await job.StartAsync(cancellationToken);
            _jobs.TryAdd(job, 0);
            return (IAnalyzerJob)job;
        }, cancellationToken);
    }

    /// <summary>Starts one process for <paramref name="spec"/> and waits until it serves (or throws what an in-process start would).</summary>
    internal async Task<AnalyzerProcess> LaunchAsync(PipelineSpec spec, int port, Action<LauncherEvent> onEvent, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var start = new LauncherCommand
        {
            Command = LauncherCommand.Start,
            Spec = spec,
            PrpcastInfo = _fiber?.Info is { } info ? Convert.ToBase64String(Google.Protobuf.MessageExtensions.ToByteArray(info)) : null,
        };
        var process = await AnalyzerProcess.StartAsync(StartInfo(o, spec.JobId, port), spec.JobId, start, loggerFactory, onEvent);
        LauncherEvent answer;
        try
        {
            answer = await process.Started.WaitAsync(o.StartTimeout, cancellationToken);
        }
        catch (Exception ex)
        {
            await process.DisposeAsync(); // killed and reaped
            throw ex switch
            {
                TimeoutException => new TimeoutException($"analyzer process {process.Pid} did not serve port {port} within {o.StartTimeout}"),
                _ => ex,
            };
        }
        if (answer.Event == LauncherEvent.Started) return process;

        await process.DisposeAsync();
        var message = answer.Message ?? "unknown";
        throw answer.Failure switch
        {
            LauncherFailure.PortInUse => new StreamPortUnavailableException(port),
            LauncherFailure.LiveInputUnavailable => new LiveInputUnavailableException(message)
            {
                RetryAfter = TimeSpan.FromSeconds(answer.RetryAfterSeconds is > 0 and < 3600 ? answer.RetryAfterSeconds.Value : 5),
            },
            LauncherFailure.Invalid => new ArgumentException($"analyzer process refused job {spec.JobId}: {message}", nameof(spec)),
            _ => new InvalidOperationException($"analyzer process failed to start job {spec.JobId}: {message}"),
        };
    }

    private ProcessStartInfo StartInfo(AnalyzerHostOptions o, string jobId, int port)
    {
        var path = o.ResolvedProcessPath;
        var runsDll = path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        var info = new ProcessStartInfo(runsDll ? DotnetHost() : path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path)!,
        };
        if (runsDll) info.ArgumentList.Add(path);
        foreach (var arg in (string[])["--job", jobId, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--parent", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            info.ArgumentList.Add(arg);

        // The silo's own settings, whatever their source (appsettings, command line, environment), as environment
        // variables: out of `ps`, and no length limit worth the name.
        foreach (var section in (string[])["Focus", "Logging"])
            foreach (var (key, value) in configuration.GetSection(section).AsEnumerable())
                if (value is not null) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        info.Environment["Focus__Analyzer__Host"] = AnalyzerHostOptions.Grain; // the child runs its one job in its own process
        info.Environment["DOTNET_gcServer"] = "0";                         // one job: the workstation GC's small heap
        return info;
    }

    /// <summary>The <c>dotnet</c> running this process when it is one, else the one the SDK names, else the PATH's.</summary>
    private static string DotnetHost()
    {
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        return "dotnet";
    }

    /// <summary>A RabbitMQ silo forwards the recorder's fiber to its jobs' processes as it changes (channels may leave it).</summary>
    private void WatchFiber()
    {
        if (_fiberWatched) return;
        lock (_jobs)
        {
            if (_fiberWatched) return;
            _fiber = services.GetService(typeof(RecorderFiber)) as RecorderFiber;
            if (_fiber is not null) _fiber.Changed += OnFiberChanged;
            _fiberWatched = true;
        }
    }

    private void OnFiberChanged(Sources.RabbitMq.Protos.PrpcastInfo info)
    {
        var command = new LauncherCommand
        {
            Command = LauncherCommand.Fiber,
            PrpcastInfo = Convert.ToBase64String(Google.Protobuf.MessageExtensions.ToByteArray(info)),
        };
        foreach (var job in _jobs.Keys) job.Send(command);
    }

    internal void Remove(ProcessAnalyzerJob job) => _jobs.TryRemove(job, out _);

    /// <summary>Stops every job's process (the silo is shutting down): streams end CANCELLED, processes are reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_fiber is not null) _fiber.Changed -= OnFiberChanged;
        var end = new JobEnd(JobEndKind.Cancelled, "analyzer host shutting down");
        await Task.WhenAll(_jobs.Keys.Select(job => job.StopAsync(end)));
    }
}
