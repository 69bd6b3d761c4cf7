using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.RabbitMq;
using Focus.Analyzer.Streaming;
using Focus.Grains.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// Runs each job's data plane in a child process (<c>Focus:Analyzer:Host=process</c>): <c>dotnet Focus.Analyzer.dll
/// --job ID --port N --parent PID</c> with this process's <c>Focus:*</c> and <c>Logging:*</c> configuration, which
/// serves the job with the same in-process host a silo uses. A job takes a warm spare process when one is ready
/// (<see cref="AnalyzerSpares"/>, <c>Focus:Analyzer:SpareProcesses</c>) and starts its own otherwise.
/// <see cref="StartAsync"/> returns once the child's port accepts calls; the <see cref="ProcessAnalyzerJob"/> then
/// watches, restarts and finally stops and reaps it.
/// </summary>
public sealed partial class ProcessAnalyzerHost : IAnalyzerHost, IAsyncDisposable
{
    private readonly IOptions<AnalyzerHostOptions> _options;
    private readonly IConfiguration _configuration;
    private readonly StreamInstruments _instruments;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ProcessAnalyzerJob, byte> _jobs = new();
    private readonly AnalyzerSpares _spares;
    private RecorderFiber? _fiber;
    private bool _fiberWatched;

    public ProcessAnalyzerHost(IOptions<AnalyzerHostOptions> options, IConfiguration configuration, StreamInstruments instruments,
        IServiceProvider services, ILoggerFactory loggerFactory, IMeterFactory meterFactory)
    {
        _options = options;
        _configuration = configuration;
        _instruments = instruments;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ProcessAnalyzerHost>();
        _spares = new AnalyzerSpares(() => StartInfo(options.Value, AnalyzerCommandLine.ForSpare(Environment.ProcessId)), options.Value, loggerFactory);
        meterFactory.Create(StreamInstruments.MeterName).CreateObservableGauge("focus_analyzer_processes", ObserveProcesses,
            description: "Analyzer processes of this silo: spare (started ahead of need) and job (serving a job).");
    }

    public int RunningJobs => _jobs.Count;

    /// <summary>Spare processes alive now (warming up or ready).</summary>
    public int SpareProcesses => _spares.Count;

    /// <summary>Spare processes ready to take a job now.</summary>
    public int ReadySpareProcesses => _spares.ReadyCount;

    /// <summary>The pid of the process serving <paramref name="jobId"/> now, or 0.</summary>
    public int ProcessOf(string jobId) => _jobs.Keys.FirstOrDefault(j => j.Spec.JobId == jobId)?.ProcessId ?? 0;

    /// <summary>Starts keeping the spare processes (the silo's start does it; else the first job).</summary>
    public void StartSpares() => _spares.Start();

    /// <summary>Kills and reaps the spare processes, and starts no more (the silo is stopping).</summary>
    public ValueTask StopSparesAsync() => _spares.DisposeAsync();

    internal AnalyzerHostOptions Options => _options.Value;

    internal ILoggerFactory LoggerFactory => _loggerFactory;

    internal StreamInstruments Instruments => _instruments;

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

    /// <summary>
    /// A process for <paramref name="spec"/> that serves its port: a ready spare given the job, or else one started for
    /// it (also when the spare exits before it answers); throws what an in-process start would.
    /// </summary>
    internal async Task<AnalyzerProcess> LaunchAsync(PipelineSpec spec, int port, Action<LauncherEvent> onEvent, CancellationToken cancellationToken)
    {
        var o = _options.Value;
        var start = new LauncherCommand
        {
            Command = LauncherCommand.Start,
            Spec = spec,
            Port = port,
            PrpcastInfo = _fiber?.Info is { } info ? Convert.ToBase64String(Google.Protobuf.MessageExtensions.ToByteArray(info)) : null,
        };
        if (_spares.TryTake() is { } spare)
        {
            try
            {
                await spare.TakeAsync(spec.JobId, start, onEvent);
                return await ServingAsync(spare, spec, port, cancellationToken);
            }
            catch (AnalyzerProcessExitedException ex)
            {
                using (_logger.BeginScope(new JobLogScope(spec.JobId))) LogSpareLost(ex.Message);
            }
            finally
            {
                _spares.Replenish(); // after the job's start, so the next spare's warm-up does not slow it
            }
        }
        var process = await AnalyzerProcess.StartAsync(StartInfo(o, AnalyzerCommandLine.ForJob(spec.JobId, port, Environment.ProcessId)),
            spec.JobId, start, _loggerFactory, onEvent);
        return await ServingAsync(process, spec, port, cancellationToken);
    }

    /// <summary>Waits for the process's <c>started</c>; kills and reaps it and throws on anything else.</summary>
    private async Task<AnalyzerProcess> ServingAsync(AnalyzerProcess process, PipelineSpec spec, int port, CancellationToken cancellationToken)
    {
        var o = _options.Value;
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

    private ProcessStartInfo StartInfo(AnalyzerHostOptions o, IEnumerable<string> arguments)
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
        foreach (var arg in arguments) info.ArgumentList.Add(arg);

        // The silo's own settings, whatever their source (appsettings, command line, environment), as environment
        // variables: out of `ps`, and no length limit worth the name.
        foreach (var section in (string[])["Focus", "Logging"])
            foreach (var (key, value) in _configuration.GetSection(section).AsEnumerable())
                if (value is not null) info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        info.Environment["Focus__Analyzer__Host"] = ConfigEnum.Name(AnalyzerHostKind.Grain); // the child runs its one job in its own process
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
            _fiber = _services.GetService(typeof(RecorderFiber)) as RecorderFiber;
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

    private IEnumerable<Measurement<int>> ObserveProcesses() =>
    [
        new(_spares.Count, new KeyValuePair<string, object?>("state", "spare")),
        new(_jobs.Keys.Count(job => job.ProcessId != 0), new KeyValuePair<string, object?>("state", "job")),
    ];

    /// <summary>Stops every job's process (the silo is shutting down): streams end CANCELLED; spares are killed; all are reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_fiber is not null) _fiber.Changed -= OnFiberChanged;
        var end = new JobEnd(JobEndKind.Cancelled, "analyzer host shutting down");
        await Task.WhenAll(_jobs.Keys.Select(job => job.StopAsync(end)).Append(_spares.DisposeAsync().AsTask()));
    }

    [LoggerMessage(1, LogLevel.Warning, "The spare analyzer process taken for the job exited before it served: starting one for the job ({Reason})")]
    private partial void LogSpareLost(string reason);
}
