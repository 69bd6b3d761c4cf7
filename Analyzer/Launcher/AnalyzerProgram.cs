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
/// <c>Focus:Analyzer:Host=process</c> (which starts it). <c>--spare</c> instead warms up (<see cref="AnalyzerWarmup"/>),
/// says <c>ready</c> and waits for the <c>start</c> of whichever job takes it. Configuration (<c>Focus:*</c>, <c>Logging:*</c>) comes from
/// environment variables and <c>--Key=value</c> arguments, as the silo passes its own; logs go to stderr as JSON
/// lines (the silo relogs them), stdout carries only the <see cref="LauncherProtocol"/>.
/// </summary>
public static class AnalyzerProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (!AnalyzerCommandLine.TryParse(args, out var commandLine))
        {
            await Console.Error.WriteLineAsync(AnalyzerCommandLine.Usage);
            return 64;
        }
        ParentProcess.LeaveParentGroup();

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine([.. commandLine.Settings]).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging
                .AddConfiguration(configuration.GetSection("Logging"))
                .AddJsonConsole(json => json.IncludeScopes = false))
            .Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFocusAnalyzer(configuration)
            .AddFocusLiveSource(configuration)
            .AddSingleton(sp => new LaunchedJob(sp.GetRequiredService<AnalyzerHost>(), sp.GetService<RecorderFiber>(),
                sp.GetRequiredService<ILogger<LaunchedJob>>()))
            .AddSingleton<AnalyzerWarmup>();
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
        var parentGone = ParentProcess.WaitGoneAsync(commandLine.ParentPid, parentWatch.Token);
        var exitCode = await provider.GetRequiredService<LaunchedJob>().RunAsync(commandLine, stdin, stdout, parentGone,
            provider.GetRequiredService<AnalyzerWarmup>().RunAsync);
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
}
