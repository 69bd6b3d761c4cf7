using System.Globalization;
using Focus.Analyzer.Hosting;
using Focus.Analyzer.Pipeline;
using Focus.Analyzer.Sources.RabbitMq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// <c>Focus.Analyzer --job ID --port N [--parent PID]</c>: runs one job's data plane in this process, for a silo with
/// <c>Focus:Analyzer:Host=process</c> (which starts it). Configuration (<c>Focus:*</c>, <c>Logging:*</c>) comes from
/// environment variables and <c>--Key=value</c> arguments, as the silo passes its own; logs go to stderr as JSON
/// lines (the silo relogs them), stdout carries only the <see cref="LauncherProtocol"/>.
/// </summary>
public static class AnalyzerProgram
{
    private const string Usage = "usage: Focus.Analyzer --job ID --port N [--parent PID] [--Focus:Key=value ...]  (started by a silo with Focus:Analyzer:Host=process)";

    public static async Task<int> Main(string[] args)
    {
        if (!TryParse(args, out var jobId, out var port, out var parentPid, out var settings))
        {
            await Console.Error.WriteLineAsync(Usage);
            return 64;
        }
        ParentProcess.LeaveParentGroup();

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddJsonConsole(json => json.IncludeScopes = false))
            .Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFocusAnalyzer(configuration)
            .AddFocusLiveSource(configuration)
            .AddSingleton(sp => new LaunchedJob(sp.GetRequiredService<AnalyzerHost>(), sp.GetService<RecorderFiber>(),
                sp.GetRequiredService<ILogger<LaunchedJob>>()));
        await using var provider = services.BuildServiceProvider();

        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        try
        {
            ValidateOptions(provider);
        }
        catch (OptionsValidationException ex)
        {
            await stdout.WriteLineAsync(LauncherProtocol.Write(new LauncherEvent
            {
                Event = LauncherEvent.Failed, Failure = LauncherFailure.Invalid, Message = string.Join(" ", ex.Failures),
            }));
            await stdout.FlushAsync();
            return LaunchedJob.ExitStartFailed;
        }

        using var stdin = new StreamReader(Console.OpenStandardInput());
        using var parentWatch = new CancellationTokenSource();
        var parentGone = ParentProcess.WaitGoneAsync(parentPid, parentWatch.Token);
        var exitCode = await provider.GetRequiredService<LaunchedJob>().RunAsync(jobId, port, stdin, stdout, parentGone);
        await parentWatch.CancelAsync();
        return exitCode;
    }

    /// <summary>Options a silo validates at its start, checked here too: the process reports them instead of failing later.</summary>
    private static void ValidateOptions(IServiceProvider provider)
    {
        _ = provider.GetRequiredService<IOptions<Streaming.StreamsOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<EngineOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<Historic.StorageOptions>>().Value;
        _ = provider.GetRequiredService<IOptions<Sources.LiveOptions>>().Value;
    }

    internal static bool TryParse(string[] args, out string jobId, out int port, out int parentPid, out string[] settings)
    {
        (jobId, port, parentPid) = ("", 0, 0);
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--job" when value is { Length: > 0 }:
                    jobId = value;
                    i++;
                    break;
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 65535:
                    port = p;
                    i++;
                    break;
                case "--parent" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var pid):
                    parentPid = pid;
                    i++;
                    break;
                case var arg when arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=', StringComparison.Ordinal):
                    rest.Add(arg);
                    break;
                default:
                    settings = [];
                    return false;
            }
        }
        settings = [.. rest];
        return jobId.Length > 0 && port > 0;
    }
}
