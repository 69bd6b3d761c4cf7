using System.Diagnostics.Metrics;

namespace Focus.Analyzer.Streaming;

/// <summary>
/// The meters a job's <c>KestrelServer</c> creates. Built outside a host, Kestrel makes its meter through a factory of
/// its own that never disposes it, and every meter stays in the runtime's list of meters for ever: about 5 KiB per
/// job ever served (seen in heap dumps of the soak bench). Instruments are published synchronously on the creating
/// thread, so the meters created while a server is constructed are caught here and disposed when it stops.
/// </summary>
internal static class KestrelMeters
{
    private const string KestrelMeter = "Microsoft.AspNetCore.Server.Kestrel";

    [ThreadStatic] private static List<Meter>? t_caught;

    private static readonly MeterListener Listener = Start();

    /// <summary>Runs <paramref name="create"/> (which constructs one server) and returns the Kestrel meters it made.</summary>
    public static (T Created, IReadOnlyList<Meter> Meters) Catch<T>(Func<T> create)
    {
        _ = Listener;
        var caught = new List<Meter>();
        t_caught = caught;
        try
        {
            return (create(), caught);
        }
        finally
        {
            t_caught = null;
        }
    }

    private static MeterListener Start()
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                // Only on a thread inside Catch, so a host's own Kestrel (the gateway's) is never caught.
                if (t_caught is { } caught && instrument.Meter.Name == KestrelMeter && !caught.Contains(instrument.Meter))
                    caught.Add(instrument.Meter);
            },
        };
        listener.Start();
        return listener;
    }
}
