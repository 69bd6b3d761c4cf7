using Microsoft.Extensions.Hosting;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// With <c>Focus:Analyzer:Host=process</c> (registered only then), starts the spare analyzer processes with the silo, so
/// the first job already finds a warm one, and kills and reaps them when the silo stops.
/// </summary>
internal sealed class ProcessAnalyzerSpareService(ProcessAnalyzerHost host) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        host.StartSpares();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => host.StopSparesAsync().AsTask();
}
