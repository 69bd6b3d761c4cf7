using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Focus.Gateway.Metrics;

/// <summary>
/// The Focus histograms in a scrape before their first observation. OpenTelemetry exports an instrument only once
/// it holds a data point, and a histogram gets one only by recording a value (counters have <c>Add(0)</c>, a
/// histogram has nothing alike), so until a job has started a scrape would not mention
/// <c>focus_config_apply_seconds</c> and the like. On the scrape endpoint this writes, for each histogram of this
/// host's "Focus" meter that the exporter left out, the family at zero: its <c># TYPE</c> and <c># HELP</c>, the
/// <c>+Inf</c> bucket, sum and count at 0. The first observation replaces it with the exporter's own series.
/// </summary>
/// <remarks>Histograms are named as Prometheus shows them (no unit to append), as the contract's are.</remarks>
public sealed class HistogramsAtZero : IDisposable
{
    private const string Scope = $"otel_scope_name=\"{GatewayInstruments.MeterName}\"";

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, string?> _histograms = new(); // name → description

    public HistogramsAtZero(IMeterFactory meters)
    {
        // Only this host's meters: other hosts in the process (tests) have meters of the same name.
        _listener.InstrumentPublished = (instrument, _) =>
        {
            if (instrument.Meter.Name == GatewayInstruments.MeterName && ReferenceEquals(instrument.Meter.Scope, meters)
                && instrument is Histogram<double> or Histogram<long> or Histogram<int> or Histogram<float>
                && string.IsNullOrEmpty(instrument.Unit))
                _histograms.TryAdd(instrument.Name, instrument.Description);
        };
        _listener.Start();
    }

    /// <summary>Middleware before the exporter's: adds the families it did not write.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // The exporter gzips its answer when asked (Prometheus always asks): the families are added to text, so the
        // scrape is asked uncompressed. Rewriting gzip bytes as text corrupted every compressed scrape.
        context.Request.Headers.AcceptEncoding = default;
        var response = context.Response;
        var body = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = body;
        }

        var written = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (response.StatusCode == StatusCodes.Status200OK && buffer.Length > 0 && Missing(Encoding.UTF8.GetString(written.Span)) is { } text)
            written = Encoding.UTF8.GetBytes(text);
        if (response.ContentLength is not null) response.ContentLength = written.Length;
        await body.WriteAsync(written, context.RequestAborted);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>The scrape with the missing families added (before OpenMetrics' <c># EOF</c>), or null if none is missing.</summary>
    private string? Missing(string scrape)
    {
        var declared = scrape.Split('\n')
            .Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal))
            .Select(l => l.Split(' ')[2])
            .ToHashSet(StringComparer.Ordinal);
        var families = new StringBuilder();
        foreach (var (name, description) in _histograms.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            if (declared.Contains(name)) continue;
            families.Append("# TYPE ").Append(name).Append(" histogram\n");
            if (!string.IsNullOrEmpty(description))
                families.Append("# HELP ").Append(name).Append(' ').Append(description.Replace("\\", @"\\").Replace("\n", @"\n")).Append('\n');
            families.Append(name).Append("_bucket{").Append(Scope).Append(",le=\"+Inf\"} 0\n");
            families.Append(name).Append("_sum{").Append(Scope).Append("} 0\n");
            families.Append(name).Append("_count{").Append(Scope).Append("} 0\n");
        }
        if (families.Length == 0) return null;
        const string eof = "# EOF\n";
        return scrape.EndsWith(eof, StringComparison.Ordinal)
            ? string.Concat(scrape.AsSpan(0, scrape.Length - eof.Length), families.ToString(), eof)
            : scrape + families;
    }
}
