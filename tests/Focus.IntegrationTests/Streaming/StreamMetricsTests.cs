using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Focus.Analyzer.Streaming.Protos;
using Microsoft.Extensions.DependencyInjection;
using static Focus.IntegrationTests.Streaming.StreamingHarness;

namespace Focus.IntegrationTests.Streaming;

public sealed class StreamMetricsTests
{
    [Fact]
    public async Task Lines_time_to_first_frame_queue_depth_and_start_phases_are_measured()
    {
        await using var harness = new StreamingHarness(new ToneLiveSource(Prr, 4, 128, Prr));
        var factory = harness.Services.GetRequiredService<IMeterFactory>();
        var longs = new ConcurrentDictionary<string, long>();
        var doubles = new ConcurrentBag<(string Name, double Value, object? Phase)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Focus" && ReferenceEquals(instrument.Meter.Scope, factory)) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => longs.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => longs.AddOrUpdate(instrument.Name, value, (_, v) => v + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            object? phase = null;
            foreach (var tag in tags) if (tag.Key == "phase") phase = tag.Value;
            doubles.Add((instrument.Name, value, phase));
        });
        listener.Start();

        var job = await harness.StartAsync(Spectrogram(1, 2));
        using var call = harness.Client(job.Port).StreamData(new StreamDataRequest { StreamId = 0 });
        var lines = 0;
        while (lines < 8) lines += (await NextAsync(call)).DataShapeY;
        listener.RecordObservableInstruments();

        Assert.True(longs.GetValueOrDefault("focus_lines_emitted") >= lines);
        Assert.True(longs.ContainsKey("focus_queue_depth"));
        var ttff = Assert.Single(doubles, d => d.Name == "focus_time_to_first_frame_seconds");
        Assert.InRange(ttff.Value, 0, 10);
        Assert.Equal(0, longs.GetValueOrDefault("focus_gaps"));
        var phases = doubles.Where(d => d.Name == "focus_job_start_seconds").ToList();
        Assert.Equal(["input", "kernel", "pipeline", "server"], phases.Select(d => (string)d.Phase!).Order());
        Assert.All(phases, d => Assert.InRange(d.Value, 0, 10));
    }
}
