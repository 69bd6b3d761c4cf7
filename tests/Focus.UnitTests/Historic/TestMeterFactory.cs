using System.Diagnostics.Metrics;

namespace Focus.UnitTests.Historic;

/// <summary>An <see cref="IMeterFactory"/> of a test's own, so a listener can tell its meters from other tests'.</summary>
public sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters) _meters.Add(meter);
        return meter;
    }

    public bool Owns(Meter meter) => meter.Scope == this;

    public void Dispose()
    {
        lock (_meters) _meters.ForEach(m => m.Dispose());
    }
}
