using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Focus.Analyzer.Launcher;

/// <summary>
/// With <c>Focus:Analyzer:Host=process</c>, starts the spare analyzer processes with the silo, so the first job already
/// finds a warm one, and kills and reaps them when the silo stops. In grain mode it does nothing.
/// </summary>
internal sealed class ProcessAnalyzerSpareService(IOptions<AnalyzerHostOptions> options, IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.IsProcess) services.GetRequiredService<ProcessAnalyzerHost>().StartSpares();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.Value.IsProcess) await services.GetRequiredService<ProcessAnalyzerHost>().StopSparesAsync();
    }
}
