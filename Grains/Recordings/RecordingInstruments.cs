using System.Diagnostics.Metrics;

namespace Focus.Grains.Recordings;

/// <summary>The recording catalog's metrics (meter <c>Focus</c>): files a scan refused, by reason.</summary>
public sealed class RecordingInstruments
{
    private readonly Counter<long> _skipped;

    public RecordingInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("Focus");
        _skipped = meter.CreateCounter<long>("focus_recordings_skipped",
            description: "Recording files a catalog scan skipped, by reason: no_raw_data, unsupported_format, invalid, unreadable.");
    }

    /// <summary>A file was skipped; <paramref name="reason"/> is one of the counter's reasons.</summary>
    public void Skipped(string reason) => _skipped.Add(1, new KeyValuePair<string, object?>("reason", reason));
}
